"""Sending e-mail: a plain-text and an HTML part, in the recipient's language.

``MAIL_BACKEND`` decides where a message goes: ``smtp`` (Flask-Mail through
``MAIL_SERVER``), ``log`` (development: written to the log and printed) or
``record`` (tests: kept in ``app.extensions["mail_outbox"]``).

A message is sent only if the work that caused it is kept (house style, "E-mail
and other side effects after the commit"): ``send_email`` renders the message
and queues it on the database session; the queue is delivered when the session
commits and dropped when it rolls back. A rolled-back SAVEPOINT
(``begin_nested``) drops only what was queued inside it. With ``smtp`` the
delivery happens on the app's mail thread, so no response waits on the mail
server; a failure there is logged (recipient and subject) and never reaches
the request. ``record`` and ``log`` deliver at the commit itself, so tests and
development see the message as soon as the request is over.

``send_email(..., deliver_now=True)`` sends at once on the caller's thread and raises
the mail server's error: only for callers that report failed sends themselves
(the organiser's "send agendas", the digest command). Commands call
``wait_for_deliveries()`` before they exit.

Every link in a message (and in a calendar file) is made by
``absolute_url`` from the ``BASE_URL`` setting, never from the request's
host, so a forged ``Host`` header cannot send a reset link elsewhere.
Flask's ``url_for`` with its external flag is used nowhere in the code or
the e-mail templates (``tests/test_email_links.py`` checks).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass
from typing import Any, Protocol, cast
from urllib.parse import urlsplit

from flask import Flask, current_app, has_app_context, render_template
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from matchmaking.extensions import db, mail
from matchmaking.text import single_line

log = logging.getLogger(__name__)


def check_base_url(text: str) -> str:
    """``text`` as a base URL (``https://host[:port][/prefix]``, no trailing slash).

    Raises ValueError saying what is wrong.
    """
    text = text.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.query
        or parts.fragment
    ):
        raise ValueError(
            f"BASE_URL must be the address people use to reach the service, like "
            f"https://match.banofoten.no, not {text!r}"
        )
    return f"{parts.scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def base_url_from(config: Mapping[str, Any]) -> str:
    """The checked BASE_URL of ``config``, or PREFERRED_URL_SCHEME://SERVER_NAME
    when only the older SERVER_NAME is set. Raises ValueError."""
    text = config.get("BASE_URL")
    if not text and config.get("SERVER_NAME"):
        text = f"{config.get('PREFERRED_URL_SCHEME') or 'http'}://{config['SERVER_NAME']}"
    if not text:
        raise ValueError("BASE_URL must be set (e.g. https://match.banofoten.no)")
    return check_base_url(str(text))


def absolute_url(endpoint: str, **values: Any) -> str:
    """The absolute link to ``endpoint`` for an e-mail or a calendar file.

    Built from BASE_URL with the app's URL map, inside a request or not
    (commands), and never from the request's host.
    """
    parts = urlsplit(current_app.config["BASE_URL"])
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme
    )
    return adapter.build(endpoint, values, force_external=True)


def base_host() -> str:
    """BASE_URL's host name (e.g. for calendar UIDs)."""
    return urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"


#: A file sent with a message: (file name, content type, data).
Attachment = tuple[str, str, bytes]

#: Where the queue lives in ``Session.info``.
_QUEUE = "mail_queue"


@dataclass
class _Queued:
    app: Flask
    message: Message
    #: The SAVEPOINT it was queued in (None: the session's own transaction).
    transaction: SessionTransaction | None


def render_email(
    to: str,
    subject: object,
    template: str,
    locale: str,
    *,
    attachments: Sequence[Attachment] = (),
    **context: object,
) -> Message:
    """Render ``email/<template>.txt`` and ``.html`` in ``locale`` into a message.

    ``subject`` is a lazy string (``lazy_gettext``), translated in ``locale``,
    and put on one line: a name stored with a line break cannot break the header.
    ``attachments`` go with the message as files (an agenda's ``.ics``).
    Nothing is sent.
    """
    with force_locale(locale):
        message = Message(
            subject=single_line(subject),
            recipients=[to],
            body=render_template(f"email/{template}.txt", **context),
            html=render_template(f"email/{template}.html", **context),
        )
    for filename, content_type, data in attachments:
        message.attach(filename, content_type, data)
    return message


def send_email(
    to: str,
    subject: object,
    template: str,
    locale: str,
    *,
    attachments: Sequence[Attachment] = (),
    deliver_now: bool = False,
    **context: object,
) -> Message:
    """Render a message (see ``render_email``) and send it after the commit.

    The message is queued on the current database session and delivered
    when it commits; a rollback drops it. ``deliver_now=True`` sends at once on this
    thread instead, raising the mail server's error (``OSError`` or
    ``smtplib.SMTPException``), for callers that count failed sends.
    """
    message = render_email(to, subject, template, locale, attachments=attachments, **context)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if deliver_now:
        _deliver(app, message)
        return message
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that the commit or rollback that follows is seen
    session.info.setdefault(_QUEUE, []).append(
        _Queued(app, message, session.get_nested_transaction())
    )
    return message


class Recipient(Protocol):
    """Anyone with an address and a language: a :class:`User` in practice."""

    email: str
    locale: str


def send_to(
    person: Recipient,
    subject: object,
    template: str,
    /,
    *,
    attachments: Sequence[Attachment] = (),
    deliver_now: bool = False,
    **context: object,
) -> Message:
    """:func:`send_email` to ``person``'s address, in ``person``'s language.

    Every message to someone with an account goes through here, so that the
    address and the language are never taken from two different people.
    """
    return send_email(
        person.email,
        subject,
        template,
        person.locale,
        attachments=attachments,
        deliver_now=deliver_now,
        **context,
    )


# Delivery -----------------------------------------------------------------------------


class _Deliveries:
    """The app's mail thread and the messages handed to it but not yet sent."""

    def __init__(self) -> None:
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail")
        self.pending: set[Future[None]] = set()
        self.lock = threading.Lock()

    def submit(self, app: Flask, message: Message) -> None:
        future = self.executor.submit(_deliver_logged, app, message)
        with self.lock:
            self.pending.add(future)
        future.add_done_callback(self._done)

    def _done(self, future: Future[None]) -> None:
        with self.lock:
            self.pending.discard(future)

    def wait(self, timeout: float | None) -> bool:
        with self.lock:
            pending = set(self.pending)
        _done, not_done = wait_futures(pending, timeout=timeout)
        return not not_done


_deliveries_lock = threading.Lock()


def _deliveries(app: Flask) -> _Deliveries:
    with _deliveries_lock:
        deliveries = app.extensions.get("mail_deliveries")
        if deliveries is None:
            deliveries = app.extensions["mail_deliveries"] = _Deliveries()
        return cast(_Deliveries, deliveries)


def _deliver(app: Flask, message: Message) -> None:
    """Send ``message`` through the app's backend on this thread; SMTP errors raise."""
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
        text = f"--- e-mail to {_recipients(message)}: {message.subject}\n"
        text += f"{message.body}\n{files}---"
        log.info("%s", text)
        print(text, flush=True)


def _recipients(message: Message) -> str:
    return ", ".join(str(r) for r in message.recipients)


def _deliver_logged(app: Flask, message: Message) -> None:
    """Deliver on the mail thread: a failure is logged, never raised."""
    try:
        _deliver(app, message)
    except Exception:
        log.exception(
            "e-mail to %s (subject %r) could not be sent",
            _recipients(message),
            message.subject,
        )


def _hand_over(app: Flask, message: Message) -> None:
    """Deliver a committed message: on the mail thread for SMTP, else at once."""
    if app.config["MAIL_BACKEND"] == "smtp":
        try:
            _deliveries(app).submit(app, message)
            return
        except RuntimeError:  # the interpreter is shutting down: send it here
            pass
    _deliver_logged(app, message)


def wait_for_deliveries(timeout: float | None = 60, app: Flask | None = None) -> bool:
    """Wait until every message handed to the mail thread is sent (or failed).

    Returns False if some are still pending after ``timeout`` seconds.
    ``app`` defaults to the current app.
    """
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    deliveries = app.extensions.get("mail_deliveries")
    return True if deliveries is None else bool(deliveries.wait(timeout))


# The session's queue: sent after the commit, dropped on a rollback ----------------------


def _inside(transaction: SessionTransaction | None, ended: SessionTransaction) -> bool:
    """Whether ``transaction`` is ``ended`` or a SAVEPOINT within it."""
    while transaction is not None:
        if transaction is ended:
            return True
        transaction = transaction.parent
    return False


@event.listens_for(Session, "after_commit")
def _after_commit(session: Any) -> None:
    # SQLAlchemy fires this for a released SAVEPOINT too: that is not the
    # commit, so the queue waits for the session's own transaction. (The
    # tests' sessions run their transaction inside an outer SAVEPOINT of the
    # connection; to the session it is its own, so the tests see their mail.)
    if session.in_nested_transaction():
        return
    for queued in session.info.pop(_QUEUE, []):
        _hand_over(queued.app, queued.message)


@event.listens_for(Session, "after_soft_rollback")
def _after_soft_rollback(session: Any, previous_transaction: SessionTransaction) -> None:
    queue = session.info.get(_QUEUE)
    if not queue:
        return
    if not previous_transaction.nested:
        session.info.pop(_QUEUE, None)
        return
    session.info[_QUEUE] = [q for q in queue if not _inside(q.transaction, previous_transaction)]


@event.listens_for(Session, "after_transaction_end")
def _after_transaction_end(session: Any, transaction: SessionTransaction) -> None:
    # A session closed without a commit: nothing it queued is sent.
    if transaction.parent is None and not transaction.nested:
        session.info.pop(_QUEUE, None)
