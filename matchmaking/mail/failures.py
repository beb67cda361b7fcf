"""E-mails that could not be sent, kept for the organisers.

A message the mail thread could not deliver, even after its retries, is
recorded here (:func:`record`) with everything needed to send it again:
recipient, subject, the rendered text and HTML, any attachments, the
template and language it was made from, and the last error. Organisers see
the unresolved ones (``/admin/mail``) and either send one again
(:func:`send_again`: at once, from their request, so they see the answer)
or dismiss it (:func:`dismiss`). Either resolves it and erases its bodies:
a message may carry a reset link or someone's contact details, which are
kept only as long as the message may still be sent.

Messages sent with ``deliver_now`` (agendas, digests) are never recorded
here: their senders count the failures themselves and say so on the page
or in the command's output.
"""

from __future__ import annotations

import base64
import enum
from datetime import datetime
from typing import Any

from flask import current_app
from flask_mail import Message
from sqlalchemy import JSON, ForeignKey, Integer, String, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column

from matchmaking.db_utils import lock
from matchmaking.extensions import UTCDateTime, db, str_enum, utcnow
from matchmaking.i18n import LazyText
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail.backend import (
    SEND_ERRORS,
    Failure,
    FailureReason,
    Outgoing,
    classify,
    deliver,
    log,
)

#: What each reason means, for the organisers' page.
REASON_LABELS: dict[FailureReason, LazyText] = {
    FailureReason.UNREACHABLE: _l("The mail server could not be reached."),
    FailureReason.TIMEOUT: _l("The mail server stopped answering."),
    FailureReason.DISCONNECTED: _l("The mail server closed the connection."),
    FailureReason.LOGIN: _l(
        "The mail server did not accept our login (MAIL_USERNAME and MAIL_PASSWORD)."
    ),
    FailureReason.ADDRESS: _l("The mail server refused the recipient's address."),
    FailureReason.BUSY: _l("The mail server asked us to try again later."),
    FailureReason.REFUSED: _l("The mail server refused the message."),
    FailureReason.OTHER: _l("The message could not be sent."),
}


class Resolution(enum.StrEnum):
    SENT = "sent"  # sent again by an organiser
    DISMISSED = "dismissed"


class AlreadyResolved(Exception):
    """Another organiser sent it again or dismissed it first."""


class FailedEmail(db.Model):  # type: ignore[name-defined,misc]
    """A message that could not be sent, until an organiser sends it again or dismisses it."""

    __tablename__ = "failed_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(Text)
    template: Mapped[str] = mapped_column(String(64))
    locale: Mapped[str] = mapped_column(String(8))
    text_body: Mapped[str] = mapped_column(Text, default="")
    html_body: Mapped[str | None] = mapped_column(Text)
    #: Each file as {"filename", "content_type", "data" (base64)}.
    attachments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    reason: Mapped[FailureReason] = mapped_column(str_enum(FailureReason, 16))
    #: The last error as the mail server or the network gave it.
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_failed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    resolution: Mapped[Resolution | None] = mapped_column(str_enum(Resolution, 16))

    @property
    def reason_label(self) -> LazyText:
        return REASON_LABELS[self.reason]

    def message(self) -> Message:
        """The message as it was rendered (a new Message-ID and date)."""
        message = Message(
            subject=self.subject,
            recipients=[self.recipient],
            body=self.text_body,
            html=self.html_body,
        )
        for item in self.attachments or []:
            message.attach(item["filename"], item["content_type"], base64.b64decode(item["data"]))
        return message

    def failed_again(self, failure: Failure, *, attempts: int = 1) -> None:
        self.reason = failure.reason
        self.error = failure.detail
        self.attempts += attempts
        self.last_failed_at = utcnow()

    def resolve(self, resolution: Resolution, by_id: int | None) -> None:
        self.resolution = resolution
        self.resolved_at = utcnow()
        self.resolved_by_id = by_id
        self.text_body, self.html_body, self.attachments = "", None, []


def _attachments(message: Message) -> list[dict[str, str]]:
    files = []
    for attachment in message.attachments:
        data: Any = attachment.data
        if isinstance(data, str):
            data = data.encode()
        files.append(
            {
                "filename": str(attachment.filename),
                "content_type": str(attachment.content_type),
                "data": base64.b64encode(data).decode("ascii"),
            }
        )
    return files


def record(
    outgoing: Outgoing, failure: Failure, *, attempts: int, failed_at: datetime
) -> FailedEmail:
    """Keep a message that could not be sent (added to the session, not committed)."""
    message = outgoing.message
    failed = FailedEmail(
        recipient=", ".join(str(r) for r in message.recipients)[:254],
        subject=str(message.subject or ""),
        template=outgoing.template[:64],
        locale=outgoing.locale[:8],
        text_body=message.body or "",
        html_body=message.html,
        attachments=_attachments(message),
        reason=failure.reason,
        error=failure.detail,
        attempts=attempts,
        failed_at=failed_at,
        last_failed_at=utcnow(),
    )
    db.session.add(failed)
    return failed


def unresolved() -> list[FailedEmail]:
    """The messages still waiting for an organiser, oldest first."""
    query = select(FailedEmail).where(FailedEmail.resolved_at.is_(None))
    return list(db.session.scalars(query.order_by(FailedEmail.failed_at, FailedEmail.id)))


def unresolved_count() -> int:
    query = select(func.count()).select_from(FailedEmail)
    return db.session.scalar(query.where(FailedEmail.resolved_at.is_(None))) or 0


def _claim(failed: FailedEmail) -> None:
    """Lock the row; AlreadyResolved if someone resolved it meanwhile."""
    lock(failed)
    if failed.resolved_at is not None:
        raise AlreadyResolved


def send_again(failed: FailedEmail, by_id: int) -> Failure | None:
    """Send the message now, on this thread; the caller commits.

    Returns None when the mail server took it (the record is resolved),
    else the failure (noted on the record, which stays unresolved). Raises
    :class:`AlreadyResolved` if it was sent again or dismissed meanwhile:
    two organisers clicking at once send it once.
    """
    _claim(failed)
    try:
        deliver(current_app._get_current_object(), failed.message())  # type: ignore[attr-defined]
    except SEND_ERRORS as error:
        failure = classify(error)
        failed.failed_again(failure)
        log.warning(
            "e-mail to %s (subject %r) failed again: %s",
            failed.recipient,
            failed.subject,
            failure.detail,
        )
        return failure
    failed.resolve(Resolution.SENT, by_id)
    return None


def dismiss(failed: FailedEmail, by_id: int) -> None:
    """Resolve without sending (the organiser told the person another way)."""
    _claim(failed)
    failed.resolve(Resolution.DISMISSED, by_id)
