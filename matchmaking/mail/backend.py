"""Handing one message to the configured backend, and what a failure means.

``MAIL_BACKEND`` decides where a message goes: ``smtp`` (Flask-Mail through
``MAIL_SERVER``), ``log`` (development: written to the log and printed) or
``record`` (tests: kept in ``app.extensions["mail_outbox"]``).
"""

from __future__ import annotations

import enum
import logging
import smtplib
from dataclasses import dataclass

from flask import Flask, current_app, has_app_context
from flask_mail import Message

from matchmaking.extensions import mail

#: Every module of the package logs here (the tests look for this name).
log = logging.getLogger("matchmaking.mail")

#: What a mail server's failure raises: an unreachable or stalled server
#: (``OSError``), or an answer refusing the message (``smtplib.SMTPException``,
#: itself an ``OSError``).
SEND_ERRORS = (OSError, smtplib.SMTPException)


@dataclass(frozen=True)
class Outgoing:
    """A rendered message and what it was made from (kept if it cannot be sent)."""

    message: Message
    template: str
    locale: str


def deliver(app: Flask, message: Message) -> None:
    """Send ``message`` through ``app``'s backend on this thread.

    With ``smtp`` the mail server's error is raised (see ``SEND_ERRORS``).
    """
    backend = app.config["MAIL_BACKEND"]
    if backend == "smtp":
        if has_app_context() and current_app._get_current_object() is app:  # type: ignore[attr-defined]
            mail.send(message)
        else:
            # The mail thread. (Not inside a request: leaving a second app
            # context would end the request's database session.)
            with app.app_context():
                mail.send(message)
    elif backend == "record":
        app.extensions.setdefault("mail_outbox", []).append(message)
    else:
        files = "".join(f"[attached: {a.filename}]\n" for a in message.attachments)
        text = f"--- e-mail to {recipients(message)}: {message.subject}\n"
        text += f"{message.body}\n{files}---"
        log.info("%s", text)
        print(text, flush=True)


def recipients(message: Message) -> str:
    return ", ".join(str(r) for r in message.recipients)


class FailureReason(enum.StrEnum):
    """Why a message was not sent, in words an organiser can act on."""

    UNREACHABLE = "unreachable"  # no connection (refused, unknown host, TLS)
    TIMEOUT = "timeout"  # the server stopped answering (MAIL_TIMEOUT)
    DISCONNECTED = "disconnected"  # the server hung up
    LOGIN = "login"  # MAIL_USERNAME / MAIL_PASSWORD refused
    ADDRESS = "address"  # the recipient's address refused
    BUSY = "busy"  # a 4xx answer: try again later
    REFUSED = "refused"  # a 5xx answer to the message or the sender
    OTHER = "other"


@dataclass(frozen=True)
class Failure:
    """A failed attempt: why, whether trying again soon can help, and the server's words."""

    reason: FailureReason
    permanent: bool
    detail: str


def _permanent(code: int) -> bool:
    return 500 <= code < 600


def classify(error: BaseException) -> Failure:
    """What ``error`` (raised by :func:`deliver`) means.

    Permanent: the server answered 5xx (every recipient refused with 5xx,
    the sender or the message refused, the login refused); retrying within
    minutes would get the same answer. A 4xx answer, a refused or dropped
    connection and a timeout are temporary. An error that is no mail
    server's (a bug) is permanent: it would happen again.
    """
    detail = f"{type(error).__name__}: {error}"[:2000]
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [answer[0] for answer in error.recipients.values()]
        permanent = bool(codes) and all(_permanent(code) for code in codes)
        return Failure(FailureReason.ADDRESS, permanent, detail)
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return Failure(FailureReason.LOGIN, _permanent(error.smtp_code), detail)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return Failure(FailureReason.DISCONNECTED, False, detail)
    if isinstance(error, smtplib.SMTPResponseException):
        if _permanent(error.smtp_code):
            return Failure(FailureReason.REFUSED, True, detail)
        return Failure(FailureReason.BUSY, False, detail)
    if isinstance(error, smtplib.SMTPException):  # e.g. no STARTTLS offered
        return Failure(FailureReason.OTHER, False, detail)
    if isinstance(error, TimeoutError):
        return Failure(FailureReason.TIMEOUT, False, detail)
    if isinstance(error, OSError):
        return Failure(FailureReason.UNREACHABLE, False, detail)
    return Failure(FailureReason.OTHER, True, detail)
