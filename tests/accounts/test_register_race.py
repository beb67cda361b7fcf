"""Registering one address several times at once (a double click, two tabs).

Real concurrent requests against a live server on its own database (not the
rolled-back test connection, which cannot show a race). Before the fix the
unique index's IntegrityError answered 500 on PostgreSQL.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from matchmaking.accounts.models import User
from matchmaking.extensions import db as _db
from tests.concurrency import separate_app, served

PARALLEL = 4


# Every click counts against the per-address limit on account e-mails (three
# an hour, tested in test_throttle.py); here each click's own answer is what
# is looked at, so the limit is set out of the way.
_NO_MAIL_LIMIT = {"MAIL_LIMIT_PER_RECIPIENT": 100}


@pytest.fixture
def race_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app on a database of its own (``tests.concurrency.separate_app``)."""
    with separate_app(database_url, tmp_path, **_NO_MAIL_LIMIT) as app:
        yield app


def _post(url: str, fields: dict[str, str]) -> tuple[int, str]:
    data = urllib.parse.urlencode(fields).encode()
    try:
        # The URL is the live server's own, http://127.0.0.1:<port>/ (S310).
        with urllib.request.urlopen(url, data=data, timeout=60) as response:  # noqa: S310
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_registering_one_address_at_once_answers_each_click_as_a_single_one(
    race_app: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    fields = {
        "name": "Dobbelt Klikk",
        "email": "double@example.no",
        "password": "fjord-lighthouse-42",
        "password_again": "fjord-lighthouse-42",
        "role": "entrepreneur",
        "locale": "nb",
    }
    start = threading.Barrier(PARALLEL)
    answers: list[tuple[int, str]] = []

    def click() -> None:
        start.wait(timeout=30)
        answers.append(_post(url, fields))

    clicks = [threading.Thread(target=click) for _ in range(PARALLEL)]
    with served(race_app) as port:
        url = f"http://127.0.0.1:{port}/auth/register"
        for thread in clicks:
            thread.start()
        for thread in clicks:
            thread.join(timeout=90)

    assert [status for status, _page in answers] == [200] * PARALLEL
    for _status, page in answers:
        assert "Sjekk e-posten din" in page
        assert "double@example.no" in page
    with race_app.app_context():
        accounts = _db.session.scalar(
            select(func.count()).select_from(User).where(User.email == "double@example.no")
        )
        _db.session.remove()
    assert accounts == 1
    outbox: list[Any] = race_app.extensions.get("mail_outbox", [])
    subjects = sorted(m.subject for m in outbox)
    assert subjects.count("Bekreft e-postadressen din") == 1
    assert subjects.count("Noen prøvde å registrere seg med e-postadressen din") == PARALLEL - 1
