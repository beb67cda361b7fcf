"""A failed send is retried on the mail thread, then kept for the organisers; never lost."""

from __future__ import annotations

import email
import email.policy
import itertools
import logging
import smtplib
import time
from collections.abc import Callable
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select

from matchmaking import mail
from matchmaking.extensions import db as _db
from matchmaking.extensions import mail as flask_mail
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail import delivery
from matchmaking.mail.backend import FailureReason, classify
from matchmaking.mail.failures import FailedEmail
from tests.conftest import make_app
from tests.smtp import _free_port, smtp_server


def _send(to: str, **options: Any) -> None:
    mail.send_email(
        to,
        _l("Reset your password"),
        "reset",
        "en",
        user={"name": "Kari Nordmann"},
        link="http://x/",
        **options,
    )


def _smtp_app(database_url: str, port: int, **settings: Any) -> Flask:
    return make_app(
        database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port, **settings
    )


def _commit_one(app: Flask, to: str) -> None:
    with app.test_request_context():
        _send(to)
        _db.session.commit()


def _failed() -> list[FailedEmail]:
    _db.session.expire_all()
    return list(_db.session.scalars(select(FailedEmail).order_by(FailedEmail.id)))


def _until(condition: Callable[[], bool], timeout: float = 10) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.01)


def _retrying(caplog: Any) -> bool:
    return any("retrying" in r.getMessage() for r in caplog.records)


def test_a_message_is_sent_when_the_server_comes_back_before_the_retries_run_out(
    database_url: str, db: Any, caplog: Any
) -> None:
    port = _free_port()  # nobody listens yet
    app = _smtp_app(database_url, port, MAIL_RETRIES=5, MAIL_RETRY_DELAYS=(0.3,))
    with caplog.at_level(logging.WARNING, logger="matchmaking.mail"):
        _commit_one(app, "patient@example.no")
        _until(lambda: _retrying(caplog))  # the first try failed
        with smtp_server(port) as (_port, received):
            assert mail.wait_for_deliveries(10, app=app)
    assert [m["To"] for m in received] == ["patient@example.no"]
    assert _failed() == []
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


class _Flaky:
    """Answers 450 (try later) to one address the first time, and takes the rest."""

    def __init__(self, flaky: str, code: str = "450 Mailbox busy") -> None:
        self.flaky, self.code = flaky, code
        self.refused = 0
        self.messages: list[Any] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == self.flaky and (self.refused == 0 or self.code.startswith("5")):
            self.refused += 1
            return self.code
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


def _serving(handler: Any) -> tuple[Controller, int]:
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


def test_a_message_waiting_for_its_retry_does_not_hold_the_ones_behind_it(
    database_url: str, db: Any
) -> None:
    handler = _Flaky("busy@example.no")
    controller, port = _serving(handler)
    try:
        app = _smtp_app(database_url, port, MAIL_RETRIES=1, MAIL_RETRY_DELAYS=(0.5,))
        with app.test_request_context():
            _send("busy@example.no")
            _send("next@example.no")
            _db.session.commit()
        assert mail.wait_for_deliveries(10, app=app)
    finally:
        controller.stop()
    # The second went out while the first waited for its retry.
    assert [m["To"] for m in handler.messages] == ["next@example.no", "busy@example.no"]
    assert handler.refused == 1
    assert _failed() == []


def test_a_permanent_refusal_is_not_retried_and_is_kept_for_the_organisers(
    database_url: str, db: Any, caplog: Any
) -> None:
    handler = _Flaky("nobody@example.no", "550 No such mailbox")
    controller, port = _serving(handler)
    try:
        app = _smtp_app(database_url, port, MAIL_RETRIES=3, MAIL_RETRY_DELAYS=(0.01,))
        with caplog.at_level(logging.WARNING, logger="matchmaking.mail"):
            _commit_one(app, "nobody@example.no")
            assert mail.wait_for_deliveries(10, app=app)
    finally:
        controller.stop()
    assert handler.refused == 1
    assert not _retrying(caplog)
    (failed,) = _failed()
    assert failed.recipient == "nobody@example.no"
    assert failed.subject == "Reset your password"
    assert failed.reason is FailureReason.ADDRESS
    assert failed.attempts == 1
    assert "550" in failed.error
    assert failed.resolved_at is None
    assert "Hello Kari Nordmann" in failed.text_body
    assert failed.html_body is not None
    (error,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert "nobody@example.no" in error
    assert "Reset your password" in error


def test_a_message_that_keeps_failing_is_recorded_once_after_its_retries(
    database_url: str, db: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    attempts: list[float] = []

    def refusing_send(message: Any) -> None:
        attempts.append(time.monotonic())
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(flask_mail, "send", refusing_send)
    app = _smtp_app(database_url, 1, MAIL_RETRIES=3, MAIL_RETRY_DELAYS=(0.05, 0.2))
    with caplog.at_level(logging.WARNING, logger="matchmaking.mail"):
        _commit_one(app, "unreachable@example.no")
        assert mail.wait_for_deliveries(10, app=app)
    assert len(attempts) == 4
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert gaps[0] >= 0.05
    assert gaps[1] >= 0.2
    assert gaps[2] >= 0.2  # the last delay repeats
    (failed,) = _failed()
    assert failed.attempts == 4
    assert failed.reason is FailureReason.UNREACHABLE
    assert failed.last_failed_at >= failed.failed_at
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 3
    assert len([r for r in caplog.records if r.levelno >= logging.ERROR]) == 1


def test_when_the_process_exits_a_waiting_retry_is_tried_at_once_then_recorded(
    database_url: str, db: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    """Exiting does not wait minutes for the retries, nor drop the message."""

    def refusing_send(message: Any) -> None:
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(flask_mail, "send", refusing_send)
    app = _smtp_app(database_url, 1, MAIL_RETRIES=3, MAIL_RETRY_DELAYS=(600,))
    with caplog.at_level(logging.WARNING, logger="matchmaking.mail"):
        _commit_one(app, "leaving@example.no")
        _until(lambda: _retrying(caplog))
        monkeypatch.setattr(delivery, "_exiting", lambda: True)
        started = time.monotonic()
        assert mail.wait_for_deliveries(10, app=app)
    assert time.monotonic() - started < 5
    (failed,) = _failed()
    assert failed.attempts == 2


def test_deliver_now_failures_are_the_callers_and_are_not_recorded(
    database_url: str, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Agendas and digests count their failures on the page: no second report."""

    def refusing_send(message: Any) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(flask_mail, "send", refusing_send)
    app = _smtp_app(database_url, 1)
    with app.test_request_context(), pytest.raises(OSError, match="connection refused"):
        _send("counted@example.no", deliver_now=True)
    assert mail.wait_for_deliveries(10, app=app)
    assert _db.session.scalar(select(func.count()).select_from(FailedEmail)) == 0


@pytest.mark.parametrize(
    ("error", "reason", "permanent"),
    [
        (ConnectionRefusedError(111, "Connection refused"), FailureReason.UNREACHABLE, False),
        (TimeoutError("timed out"), FailureReason.TIMEOUT, False),
        (smtplib.SMTPServerDisconnected("gone"), FailureReason.DISCONNECTED, False),
        (smtplib.SMTPRecipientsRefused({"a@x.no": (550, b"no")}), FailureReason.ADDRESS, True),
        (smtplib.SMTPRecipientsRefused({"a@x.no": (450, b"busy")}), FailureReason.ADDRESS, False),
        (smtplib.SMTPSenderRefused(451, b"later", "s@x.no"), FailureReason.BUSY, False),
        (smtplib.SMTPDataError(554, b"spam"), FailureReason.REFUSED, True),
        (smtplib.SMTPAuthenticationError(535, b"bad login"), FailureReason.LOGIN, True),
        (smtplib.SMTPNotSupportedError("no STARTTLS"), FailureReason.OTHER, False),
        (ValueError("a bug"), FailureReason.OTHER, True),
    ],
)
def test_what_a_failure_means(error: Exception, reason: FailureReason, permanent: bool) -> None:
    failure = classify(error)
    assert (failure.reason, failure.permanent) == (reason, permanent)
    assert type(error).__name__ in failure.detail
