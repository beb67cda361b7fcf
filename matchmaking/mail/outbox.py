"""The session's mail queue: a message is sent only if the work that caused it is kept.

House style, "E-mail and other side effects after the commit": ``send_email``
renders the message and queues it on the database session; the queue is
handed over for delivery (:mod:`.delivery`) when the session commits and
dropped when it rolls back. A rolled-back SAVEPOINT (``begin_nested``) drops
only what was queued inside it; releasing one is not the commit.

``send_email(..., deliver_now=True)`` sends at once on the caller's thread and
raises the mail server's error, with no retry and no record: only for callers
that report failed sends themselves (the organiser's "send agendas", the
digest command).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flask import Flask, current_app, render_template
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from matchmaking.extensions import db
from matchmaking.mail.backend import Outgoing, deliver
from matchmaking.mail.delivery import hand_over
from matchmaking.text import single_line

#: A file sent with a message: (file name, content type, data).
Attachment = tuple[str, str, bytes]

#: Where the queue lives in ``Session.info``.
_QUEUE = "mail_queue"


@dataclass
class _Queued:
    app: Flask
    outgoing: Outgoing
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
        deliver(app, message)
        return message
    session = db.session()
    if not session.in_transaction():
        session.begin()  # so that the commit or rollback that follows is seen
    session.info.setdefault(_QUEUE, []).append(
        _Queued(app, Outgoing(message, template, locale), session.get_nested_transaction())
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
        hand_over(queued.app, queued.outgoing)


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
