"""Throttling under real parallel requests: a live server on its own database.

The ``db`` fixture's single rolled-back connection cannot show a race, so
each test here serves a fresh app on 127.0.0.1 from threads, on a database
of its own (a temporary SQLite file, or a PostgreSQL database created and
dropped for the test), with the counters in the database or in Redis. The
password verifier is wrapped to count its calls and to take a little longer,
which widens any window between checking a limit and recording an attempt.
"""

from __future__ import annotations

import http.client
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from flask import Flask

from matchmaking.accounts import models
from matchmaking.accounts.models import Role, User
from matchmaking.extensions import db as _db
from matchmaking.extensions import utcnow
from tests.accounts.test_throttle import _redis_url
from tests.concurrency import separate_app, served
from tests.conftest import PASSWORD

VICTIM = "victim@example.no"
WRONG = "wrong-password-9"
LIMIT_ACCOUNT = 5
LIMIT_ADDRESS = 20


@dataclass
class Live:
    port: int
    app: Flask
    checks: list[str]  # one entry per password verified: "right", "wrong" or "unknown"

    def request(
        self, method: str, path: str, data: dict[str, str] | None = None, cookie: str = ""
    ) -> tuple[int, str, http.client.HTTPResponse]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if cookie:
            headers["Cookie"] = cookie
        try:
            conn.request(method, path, body=urlencode(data or {}), headers=headers)
            response = conn.getresponse()
            return response.status, response.read().decode(), response
        finally:
            conn.close()

    def post(self, path: str, data: dict[str, str], cookie: str = "") -> tuple[int, str]:
        status, body, _response = self.request("POST", path, data, cookie)
        return status, body

    def login(self, email: str, password: str) -> tuple[int, str]:
        return self.post("/auth/login", {"email": email, "password": password})

    @property
    def outbox(self) -> list[Any]:
        box: list[Any] = self.app.extensions.setdefault("mail_outbox", [])
        return box


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call in its own thread, released together; the results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        barrier.wait(timeout=30)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        futures = [pool.submit(run, call) for call in calls]
        return [f.result(timeout=120) for f in futures]


@pytest.fixture(params=["database", "redis"])
def live(
    request: pytest.FixtureRequest,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[Live]:
    """A live server with the victim's account; counters in the database or Redis."""
    overrides: dict[str, Any] = {}
    if request.param == "redis":
        import redis

        try:
            redis.Redis.from_url(_redis_url()).ping()
        except redis.exceptions.ConnectionError:
            if os.environ.get("CI"):
                raise
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        overrides["REDIS_URL"] = _redis_url()
        overrides["REDIS_PREFIX"] = f"test:{uuid.uuid4().hex}:"
    with separate_app(database_url, tmp_path, **overrides) as app:
        app.extensions["mail_outbox"] = []
        with app.app_context():
            user = User(
                email=VICTIM,
                name="Victim",
                role=Role.ENTREPRENEUR,
                locale="nb",
                email_confirmed_at=utcnow(),
            )
            user.set_password(PASSWORD)
            _db.session.add(user)
            _db.session.commit()
            _db.session.remove()

        checks: list[str] = []
        lock = threading.Lock()
        check_password = User.check_password
        dummy_check = models.dummy_password_check

        def counted_check(self: User, password: str) -> bool:
            time.sleep(0.05)
            right = check_password(self, password)
            with lock:
                checks.append("right" if right else "wrong")
            return right

        def counted_dummy(password: str) -> None:
            time.sleep(0.05)
            dummy_check(password)
            with lock:
                checks.append("unknown")

        monkeypatch.setattr(User, "check_password", counted_check)
        monkeypatch.setattr(models, "dummy_password_check", counted_dummy)

        with served(app) as port:
            yield Live(port, app, checks)


def test_parallel_wrong_passwords_check_at_most_the_account_limit(live: Live) -> None:
    answers = at_once([lambda: live.login(VICTIM, WRONG) for _ in range(30)])
    statuses = sorted(status for status, _body in answers)
    assert set(statuses) <= {401, 429}, statuses
    assert live.checks.count("wrong") <= LIMIT_ACCOUNT
    assert statuses.count(401) == len(live.checks)
    assert any("For mange mislykkede forsøk" in body for _status, body in answers)

    # Whatever got through, the account is now over its limit: the right
    # password, sent together with more guesses, is refused like them, and
    # not one more password is checked.
    if len(live.checks) < LIMIT_ACCOUNT:  # pragma: no cover - only if a guess was refused early
        for _ in range(LIMIT_ACCOUNT - len(live.checks)):
            assert live.login(VICTIM, WRONG)[0] == 401
    checked = len(live.checks)
    answers = at_once(
        [lambda: live.login(VICTIM, PASSWORD)] + [lambda: live.login(VICTIM, WRONG)] * 10
    )
    assert answers[0][0] == 429
    assert "For mange mislykkede forsøk" in answers[0][1]
    assert {status for status, _body in answers} == {429}
    assert len(live.checks) == checked
    assert "right" not in live.checks


def test_parallel_guesses_from_one_address_check_at_most_the_address_limit(live: Live) -> None:
    answers = at_once(
        [lambda n=n: live.login(f"guess{n}@example.no", WRONG) for n in range(33)]  # type: ignore[misc]
    )
    statuses = [status for status, _body in answers]
    assert set(statuses) <= {401, 429}, statuses
    assert len(live.checks) <= LIMIT_ADDRESS
    assert statuses.count(401) == len(live.checks)
    while len(live.checks) < LIMIT_ADDRESS:  # pragma: no cover - only if refused early
        live.login(f"more{len(live.checks)}@example.no", WRONG)
    status, body = live.login(VICTIM, PASSWORD)
    assert status == 429
    assert "For mange mislykkede forsøk" in body
    assert "right" not in live.checks


def _session_cookie(live: Live) -> str:
    status, _body, response = live.request(
        "POST", "/auth/login", {"email": VICTIM, "password": PASSWORD}
    )
    assert status == 302
    cookies = [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    live.checks.clear()
    return "; ".join(cookies)


@pytest.mark.parametrize(
    ("path", "fields"),
    [
        (
            "/account/password",
            {"password": "a-brand-new-password", "password_again": "a-brand-new-password"},
        ),
        ("/account/email", {"email": "new-address@example.no"}),
    ],
)
def test_parallel_current_password_guesses_are_limited(
    live: Live, path: str, fields: dict[str, str]
) -> None:
    cookie = _session_cookie(live)
    answers = at_once([lambda: live.post(path, {"current_password": WRONG, **fields}, cookie)] * 30)
    statuses = [status for status, _body in answers]
    assert set(statuses) <= {200, 429}, statuses
    assert len(live.checks) <= LIMIT_ACCOUNT
    assert statuses.count(200) == len(live.checks)
    assert any("For mange feil passord" in body for _status, body in answers)
    while len(live.checks) < LIMIT_ACCOUNT:  # pragma: no cover - only if refused early
        live.post(path, {"current_password": WRONG, **fields}, cookie)
    status, body = live.post(path, {"current_password": PASSWORD, **fields}, cookie)
    assert status == 429
    assert "For mange feil passord" in body
    assert "right" not in live.checks
    assert live.outbox == []


def test_parallel_reset_requests_send_at_most_the_limit(live: Live) -> None:
    answers = at_once([lambda: live.post("/auth/forgot", {"email": VICTIM})] * 25)
    assert {status for status, _body in answers} == {302}
    assert len({body for _status, body in answers}) == 1
    assert 1 <= len(live.outbox) <= 3
    assert {tuple(m.recipients) for m in live.outbox} == {(VICTIM,)}
