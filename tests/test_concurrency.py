"""Simultaneous writing requests: never "database is locked", never a 500.

Each test runs the app on a database of its own (a temporary SQLite file,
or a PostgreSQL database made for it) and sends real requests from several
threads at once (see tests/concurrency.py). Every request must answer as a
single click would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from matchmaking.events.models import EventAttendee
from matchmaking.extensions import db as _db
from tests.concurrency import add_user, at_once, flashed, separate_app
from tests.conftest import PASSWORD

pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")


@pytest.fixture
def race_app(database_url: str, tmp_path: Path) -> Iterator[Flask]:
    with separate_app(database_url, tmp_path) as app:
        yield app


def _client(app: Flask, n: int):  # type: ignore[no-untyped-def]
    client = app.test_client()
    # A client address of its own: the login throttle counts per address.
    client.environ_base["REMOTE_ADDR"] = f"127.0.0.{n + 1}"
    return client


def test_six_simultaneous_logins_all_succeed(race_app: Flask) -> None:
    emails = [f"person{n}@example.no" for n in range(6)]
    for email in emails:
        add_user(race_app, "entrepreneur", email)
    clients = [_client(race_app, n) for n in range(6)]

    def log_in(n: int):  # type: ignore[no-untyped-def]
        return lambda: clients[n].post(
            "/auth/login", data={"email": emails[n], "password": PASSWORD}
        )

    responses = at_once([log_in(n) for n in range(6)])

    assert [r.status_code for r in responses] == [302] * 6
    for n, client in enumerate(clients):
        assert flashed(client.get("/").text) == [f"Velkommen, Person{n}."]


def _new_event(app: Flask, organiser_id: int) -> int:
    from types import SimpleNamespace

    from tests.events.factories import new_event

    with app.app_context():
        event_id: int = new_event(SimpleNamespace(id=organiser_id)).id
        _db.session.remove()
    return event_id


def test_double_clicks_on_sign_up_and_cancel_answer_as_one_click(race_app: Flask) -> None:
    organiser = add_user(race_app, "organiser", "arrangor@example.no")
    investor = add_user(race_app, "investor", "investor@example.no", locale="en")
    event_id = _new_event(race_app, organiser)
    clients = [_client(race_app, n) for n in range(2)]
    for client in clients:
        client.post("/auth/login", data={"email": "investor@example.no", "password": PASSWORD})
        client.get("/")  # shows the welcome

    def click(client, action: str):  # type: ignore[no-untyped-def]
        def post() -> tuple[int, str]:
            response = client.post(f"/events/{event_id}/{action}")
            return response.status_code, client.get(f"/events/{event_id}").text

        return post

    for _round in range(3):
        for action, done, twice in (
            ("signup", "You are signed up.", "You are already signed up."),
            ("cancel", "Your place is cancelled.", "You are not signed up."),
        ):
            answers = at_once([click(c, action) for c in clients])
            assert [status for status, _page in answers] == [302, 302]
            said = sorted(message for _status, page in answers for message in flashed(page))
            assert said == sorted([done, twice])

    with race_app.app_context():
        attendees = _db.session.scalars(
            select(EventAttendee).where(EventAttendee.user_id == investor)
        ).all()
        assert attendees == []


@pytest.mark.parametrize(
    ("method", "path", "immediate"),
    [
        ("GET", "/matches/", True),  # records the visit: "new since your last visit"
        ("HEAD", "/", False),
        ("POST", "/events/1/cancel", True),
        ("POST", "/auth/login", True),
        # An e-mailed link that writes, though it is a GET.
        ("GET", "/auth/confirm/some-token", True),
        ("GET", "/account/email/confirm/some-token", True),
    ],
)
def test_sqlite_takes_the_write_lock_at_begin_for_writing_requests(
    app: Flask, method: str, path: str, immediate: bool
) -> None:
    from matchmaking.app import _begins_immediate

    with app.test_request_context(path, method=method):
        assert _begins_immediate() is immediate
    with app.app_context():  # commands
        assert _begins_immediate() is True


def test_sqlite_file_uses_wal_and_the_configured_busy_timeout(tmp_path: Path) -> None:
    from tests.conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'wal.sqlite'}", SQLITE_BUSY_TIMEOUT=2.5)
    with app.app_context(), _db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2500
        _db.engine.dispose()


def test_in_memory_sqlite_still_works() -> None:
    from tests.conftest import make_app

    app = make_app("sqlite://")
    with app.app_context():
        _db.create_all()
        add = _db.session.connection().exec_driver_sql
        assert add("SELECT count(*) FROM user").scalar() == 0
        _db.session.remove()
        _db.engine.dispose()


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("nb", "Ingenting ble lagret. Vent litt og prøv igjen."),
        ("en", "Nothing was saved. Wait a moment and try again."),
    ],
)
def test_write_lock_held_past_the_busy_timeout_is_a_busy_page(
    tmp_path: Path, lang: str, message: str
) -> None:
    import sqlite3

    with separate_app("sqlite://", tmp_path, SQLITE_BUSY_TIMEOUT=0.2) as app:
        add_user(app, "entrepreneur", "person@example.no")
        client = _client(app, 0)
        holder = sqlite3.connect(tmp_path / "race.sqlite", isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # a long write elsewhere (a command)
        try:
            response = client.post(
                f"/auth/login?lang={lang}",
                data={"email": "person@example.no", "password": PASSWORD},
            )
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert response.status_code == 503
        assert message in response.text

        # Once the lock is free, the same click works.
        response = client.post(
            "/auth/login", data={"email": "person@example.no", "password": PASSWORD}
        )
        assert response.status_code == 302
