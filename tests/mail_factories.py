"""A failed e-mail as the mail thread records it, for tests of the organisers' page."""

from __future__ import annotations

from typing import Any

from flask_mail import Message

from matchmaking.extensions import db, utcnow
from matchmaking.mail.backend import Failure, FailureReason, Outgoing
from matchmaking.mail.failures import FailedEmail, record


def failed_email(
    person: Any,
    *,
    subject: str = "Your agenda",
    reason: FailureReason = FailureReason.UNREACHABLE,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
) -> FailedEmail:
    """A message to ``person`` that could not be sent (committed)."""
    message = Message(
        subject=subject,
        recipients=[person.email],
        body=f"Hello {person.name}",
        html=f"<p>Hello {person.name}</p>",
        sender="BAN Ofoten <no-reply@banofoten.no>",
    )
    for filename, content_type, data in attachments:
        message.attach(filename, content_type, data)
    failure = Failure(reason, False, "ConnectionRefusedError: [Errno 111] Connection refused")
    failed = record(
        Outgoing(message, "reset", person.locale), failure, attempts=4, failed_at=utcnow()
    )
    db.session.commit()
    return failed
