"""E-mail goes out after the commit, never for rolled-back work, and never on the request thread."""

from __future__ import annotations

import logging
import threading
from typing import Any

import pytest
from flask import Flask

from matchmaking import mail
from matchmaking.extensions import db as _db
from matchmaking.extensions import mail as flask_mail
from matchmaking.i18n import lazy_gettext as _l
from tests.conftest import make_app


def _send(to: str, **options: Any) -> None:
    user = {"name": "Kari Nordmann"}
    mail.send_email(
        to, _l("Reset your password"), "reset", "en", user=user, link="http://x/", **options
    )


def test_mail_waits_for_the_commit(app: Flask, db: Any, outbox: list[Any]) -> None:
    with app.test_request_context():
        _send("kari@example.no")
        assert outbox == []  # queued, not sent
        db.session.commit()
    assert [m.recipients for m in outbox] == [["kari@example.no"]]
    assert outbox[0].subject == "Reset your password"


def test_a_rollback_drops_the_mail(app: Flask, db: Any, outbox: list[Any]) -> None:
    with app.test_request_context():
        _send("rolled-back@example.no")
        db.session.rollback()
        db.session.commit()
    assert outbox == []


def test_a_closed_session_without_commit_sends_nothing(
    app: Flask, db: Any, outbox: list[Any]
) -> None:
    with app.test_request_context():
        _send("never@example.no")
        db.session.close()
        db.session.commit()
    assert outbox == []


def test_a_rolled_back_savepoint_drops_only_its_own_mail(
    app: Flask, db: Any, outbox: list[Any]
) -> None:
    with app.test_request_context():
        _send("before@example.no")
        savepoint = db.session.begin_nested()
        _send("inside@example.no")
        savepoint.rollback()
        with db.session.begin_nested():
            _send("kept-savepoint@example.no")
        db.session.commit()
    assert [m.recipients[0] for m in outbox] == ["before@example.no", "kept-savepoint@example.no"]


def test_a_released_savepoint_sends_nothing_before_the_outer_commit(
    app: Flask, db: Any, outbox: list[Any]
) -> None:
    # Releasing a SAVEPOINT (a unique insert, a registration) is not the
    # commit: what was queued before it and inside it waits for the real one,
    # and goes with the rollback if there is none.
    with app.test_request_context():
        _send("before@example.no")
        with db.session.begin_nested():
            _send("inside@example.no")
        assert outbox == []
        db.session.rollback()
        db.session.commit()
    assert outbox == []

    with app.test_request_context():
        _send("before@example.no")
        with db.session.begin_nested():
            _send("inside@example.no")
        assert outbox == []
        db.session.commit()
    assert [m.recipients[0] for m in outbox] == ["before@example.no", "inside@example.no"]


def test_deliver_now_sends_at_once(app: Flask, db: Any, outbox: list[Any]) -> None:
    with app.test_request_context():
        _send("now@example.no", deliver_now=True)
        assert [m.recipients for m in outbox] == [["now@example.no"]]
        db.session.rollback()
    assert len(outbox) == 1


def _smtp_app(database_url: str) -> Flask:
    return make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=1)


def test_smtp_mail_is_sent_off_the_request_thread_and_the_response_does_not_wait(
    database_url: str, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A mail server that hangs does not hold the answer: the send happens on
    another thread, after the response is complete."""
    app = _smtp_app(database_url)
    release = threading.Event()
    senders: list[str] = []

    def hanging_send(message: Any) -> None:
        senders.append(threading.current_thread().name)
        release.wait(timeout=10)

    monkeypatch.setattr(flask_mail, "send", hanging_send)
    with app.test_request_context():
        _send("slow-server@example.no")
        _db.session.commit()
        answered_while_sending = not release.is_set()
    release.set()
    assert mail.wait_for_deliveries(10, app=app)
    assert answered_while_sending
    assert len(senders) == 1
    assert senders[0] != threading.current_thread().name


def test_a_failed_smtp_send_is_logged_with_recipient_and_subject_and_never_raises(
    database_url: str, db: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    app = _smtp_app(database_url)

    def refusing_send(message: Any) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(flask_mail, "send", refusing_send)
    with caplog.at_level(logging.ERROR, logger="matchmaking.mail"):
        with app.test_request_context():
            _send("unreachable@example.no")
            _db.session.commit()  # no error here
        assert mail.wait_for_deliveries(10, app=app)
    (record,) = [r for r in caplog.records if r.name == "matchmaking.mail"]
    assert "unreachable@example.no" in record.getMessage()
    assert "Reset your password" in record.getMessage()


def test_deliver_now_raises_the_mail_servers_error(
    database_url: str, db: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _smtp_app(database_url)

    def refusing_send(message: Any) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(flask_mail, "send", refusing_send)
    with app.test_request_context(), pytest.raises(OSError, match="connection refused"):
        _send("counted@example.no", deliver_now=True)


def test_a_mail_server_that_accepts_and_stalls_does_not_hold_the_mail_thread(
    database_url: str, db: Any, caplog: Any
) -> None:
    """Flask-Mail sets no timeout: a server that accepts the connection and
    never greets would hold the one mail thread, and every message after it,
    for good. With MAIL_TIMEOUT the send fails (logged) and the next goes on."""
    import socket

    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    try:
        app = make_app(
            database_url,
            MAIL_BACKEND="smtp",
            MAIL_SERVER="127.0.0.1",
            MAIL_PORT=silent.getsockname()[1],
            MAIL_TIMEOUT=0.5,
        )
        with caplog.at_level(logging.ERROR, logger="matchmaking.mail"):
            with app.test_request_context():
                _send("first@example.no")
                _send("second@example.no")
                _db.session.commit()
            assert mail.wait_for_deliveries(10, app=app)
    finally:
        silent.close()
    failed = [r.getMessage() for r in caplog.records if r.name == "matchmaking.mail"]
    assert len(failed) == 2
    assert "first@example.no" in failed[0]
    assert "second@example.no" in failed[1]
