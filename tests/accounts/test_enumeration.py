"""Registration and "forgot password" do not tell whether an address has an account.

The answer (status, page, redirect, message) is the same for a known address
as for a new or unknown one, the work done on the request is the same (the
same password hashing, tokens and e-mail rendering), and no e-mail is sent on
the request thread, so a slow mail server shows in no answer's time. Nothing
here is measured by the clock.
"""

from __future__ import annotations

import re
import threading
from typing import Any

import pytest
from flask import Flask, template_rendered
from sqlalchemy import func, select

from matchmaking.accounts import models, services
from matchmaking.accounts.models import User
from matchmaking.extensions import mail as flask_mail
from matchmaking.mail import wait_for_deliveries
from tests.accounts.test_auth import GOOD_PASSWORD, register
from tests.conftest import links_in, make_app, reload


def _same_token(page: str) -> str:
    """The page with its CSRF tokens (random per visitor) blanked."""
    return re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', page)


class _CountingHasher:
    """The argon2 hasher, counting the passwords it hashes."""

    def __init__(self, real: Any) -> None:
        self.real = real
        self.hashed = 0

    def hash(self, password: str) -> str:
        self.hashed += 1
        return str(self.real.hash(password))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


class _Work:
    """What a request does that takes time: hashing, tokens, rendering."""

    def __init__(self, app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
        self.hasher = _CountingHasher(models._hasher)
        monkeypatch.setattr(models, "_hasher", self.hasher)
        self.tokens: list[str] = []
        real_make_token = services.make_token

        def counting_make_token(kind: str, payload: dict[str, Any]) -> str:
            self.tokens.append(kind)
            return real_make_token(kind, payload)

        monkeypatch.setattr(services, "make_token", counting_make_token)
        self.templates: list[str] = []
        template_rendered.connect(self._rendered, app)

    def _rendered(self, sender: Any, template: Any, context: Any, **extra: Any) -> None:
        if template.name.startswith("email/"):
            self.templates.append(template.name.split(".")[-1])  # txt / html

    def during(self, action: Any) -> tuple[int, int, int, Any]:
        before = (self.hasher.hashed, len(self.tokens), len(self.templates))
        result = action()
        return (
            self.hasher.hashed - before[0],
            len(self.tokens) - before[1],
            len(self.templates) - before[2],
            result,
        )


# Registration -----------------------------------------------------------------------


def test_registering_a_known_address_answers_exactly_as_a_new_one(
    app: Flask, db: Any, make_user: Any, outbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = make_user(email="taken@example.no", name="Tor Owner", locale="en")
    work = _Work(app, monkeypatch)

    def answer(email: str) -> Any:
        client = app.test_client()
        response = client.post(
            "/auth/register",
            data={
                "name": "Someone Else",
                "email": email,
                "password": GOOD_PASSWORD,
                "password_again": GOOD_PASSWORD,
                "role": "investor",
                "locale": "nb",
            },
        )
        page = _same_token(response.get_data(as_text=True))
        return response.status_code, page.replace(email.strip().lower(), "ADDRESS")

    new = work.during(lambda: answer("fresh@example.no"))
    known = work.during(lambda: answer(" Taken@Example.no"))
    # The same answer ...
    assert new[3] == known[3]
    assert new[3][0] == 200
    assert "ADDRESS" in new[3][1]
    # ... after the same work: one argon2 hash, and a message rendered.
    assert new[:3] == known[:3] == (1, 1, 2)

    # No second account, and the owner's password is untouched.
    assert (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.email == "taken@example.no")
        )
        == 1
    )
    assert reload(owner).password_hash == owner.password_hash

    # The owner is told, in their language, with links to log in or reset.
    confirmation, notice = outbox
    assert confirmation.recipients == ["fresh@example.no"]
    assert notice.recipients == ["taken@example.no"]
    assert notice.subject == "Someone tried to register with your e-mail address"
    assert "Hello Tor Owner" in notice.body
    assert "no new account was made" in notice.body
    links = links_in(notice)
    assert "http://localhost/auth/login" in links
    assert "http://localhost/auth/forgot" in links
    assert not any("/auth/confirm/" in link or "/auth/reset/" in link for link in links)
    assert "http://localhost/auth/login" in notice.html


def test_the_owner_is_told_in_norwegian_and_offered_a_confirmation_link_if_unconfirmed(
    client: Any, make_user: Any, outbox: list[Any]
) -> None:
    make_user(email="sent-me-nothing@example.no", name="Åse", locale="nb", confirmed=False)
    register(client, email="sent-me-nothing@example.no", locale="en")
    (notice,) = outbox
    assert notice.subject == "Noen prøvde å registrere seg med e-postadressen din"
    assert "Hei Åse" in notice.body
    assert "http://localhost/auth/confirm" in links_in(notice)


def test_a_disabled_account_is_not_mailed_but_the_answer_is_the_same(
    client: Any, make_user: Any, outbox: list[Any]
) -> None:
    make_user(email="gone@example.no", disabled=True)
    response = register(client, email="gone@example.no")
    assert response.status_code == 200
    assert "gone@example.no" in response.get_data(as_text=True)
    assert outbox == []


# Forgotten password ---------------------------------------------------------------------


def test_forgot_answers_the_same_and_does_the_same_work_for_every_address(
    app: Flask, db: Any, make_user: Any, outbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(email="known@example.no", locale="en")
    make_user(email="disabled@example.no", disabled=True)
    work = _Work(app, monkeypatch)

    def answer(email: str) -> Any:
        client = app.test_client()
        response = client.post("/auth/forgot", data={"email": email})
        page = _same_token(client.get(response.headers["Location"]).get_data(as_text=True))
        return response.status_code, response.headers["Location"], page

    known = work.during(lambda: answer("known@example.no"))
    unknown = work.during(lambda: answer("nobody@example.no"))
    disabled = work.during(lambda: answer("disabled@example.no"))
    assert known[3] == unknown[3] == disabled[3]
    assert known[3][:2] == (302, "/auth/login")
    assert "Hvis adressen har en konto" in known[3][2]
    # The same work: one reset token made and one message rendered (txt and html).
    assert known[:3] == unknown[:3] == disabled[:3] == (0, 1, 2)
    assert work.tokens == ["reset", "reset", "reset"]
    # Only the account's owner gets anything.
    assert [m.recipients for m in outbox] == [["known@example.no"]]


def test_forgot_does_not_send_on_the_request_thread(
    database_url: str, db: Any, make_user: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The reset e-mail leaves after the answer, from the app's mail thread: a
    mail server that hangs does not hold the answer, and its time shows in no
    response."""
    make_user(email="hanging@example.no", locale="en")
    app = make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    release = threading.Event()
    sent: list[tuple[str, list[str]]] = []

    def hanging_send(message: Any) -> None:
        sent.append((threading.current_thread().name, message.recipients))
        release.wait(timeout=5)

    monkeypatch.setattr(flask_mail, "send", hanging_send)
    try:
        response = app.test_client().post("/auth/forgot", data={"email": "hanging@example.no"})
        answered_before_the_send_finished = not release.is_set()
    finally:
        release.set()
    assert wait_for_deliveries(10, app=app)
    assert response.status_code == 302
    assert answered_before_the_send_finished
    assert len(sent) == 1
    thread, recipients = sent[0]
    assert recipients == ["hanging@example.no"]
    assert thread != threading.current_thread().name


def test_forgot_with_a_dead_mail_server_answers_as_usual(
    database_url: str, db: Any, make_user: Any
) -> None:
    """Nobody listens on the mail port: the failure is logged on the mail
    thread, and the person sees the usual answer (before: a 500 page)."""
    make_user(email="dead-server@example.no")
    app = make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    response = app.test_client().post(
        "/auth/forgot", data={"email": "dead-server@example.no"}, follow_redirects=True
    )
    assert wait_for_deliveries(10, app=app)
    assert response.status_code == 200
    assert "Hvis adressen har en konto" in response.get_data(as_text=True)
