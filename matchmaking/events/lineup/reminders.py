"""Reminders before the reply deadline of the pitch invitations.

``flask --app wsgi events remind [--now ISO8601]`` (for cron, hourly say)
runs :func:`send_reminders`. The rule (docs/notifications.md):

- an invitation still unanswered (``InvitationStatus.INVITED``) of a published
  line-up whose reply deadline (``Event.reply_by``) is ahead of ``now`` and at
  most :data:`REMIND_WITHIN` (48 hours) away, in a session not yet started;
- sent to the invitation's founder (an active account), in their language;
- once: ``EventCandidate.reminded_at`` records it, so running the command
  again (or every hour) sends nothing twice;
- not to an invitation sent less than :data:`FRESH` (24 hours) before: the
  invitation itself, with its deadline, has just arrived.

:func:`is_due` is the pure rule; it takes ``now``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaking.events import notifications
from matchmaking.events.models import Event, EventCandidate, EventStatus, InvitationStatus
from matchmaking.extensions import db

#: How long before the deadline the reminder goes out.
REMIND_WITHIN = timedelta(hours=48)
#: An invitation younger than this is not reminded.
FRESH = timedelta(hours=24)


def is_due(
    *,
    reply_by: datetime | None,
    starts_at: datetime,
    invited_at: datetime | None,
    reminded_at: datetime | None,
    now: datetime,
) -> bool:
    """Whether an unanswered invitation is reminded at ``now``."""
    if reply_by is None or reminded_at is not None or starts_at <= now:
        return False
    if not now < reply_by <= now + REMIND_WITHIN:
        return False
    return invited_at is None or invited_at <= now - FRESH


def due_reminders(now: datetime) -> list[EventCandidate]:
    """The invitations to remind at ``now``, session by session."""
    rows = db.session.scalars(
        select(EventCandidate)
        .join(Event, EventCandidate.event_id == Event.id)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.lineup_published_at.is_not(None),
            Event.reply_by.is_not(None),
            Event.reply_by > now,
            Event.reply_by <= now + REMIND_WITHIN,
            Event.starts_at > now,
            EventCandidate.invitation == InvitationStatus.INVITED,
            EventCandidate.reminded_at.is_(None),
        )
        .options(selectinload(EventCandidate.event))
        .order_by(Event.starts_at, Event.id, EventCandidate.lineup_position, EventCandidate.id)
    )
    return [
        c
        for c in rows
        if is_due(
            reply_by=c.event.reply_by,
            starts_at=c.event.starts_at,
            invited_at=c.invited_at,
            reminded_at=c.reminded_at,
            now=now,
        )
    ]


def send_reminders(now: datetime) -> int:
    """Remind each due invitation's founder (disabled accounts are skipped but
    marked, so they are not looked at again); flushes. Returns how many were sent."""
    sent = 0
    for candidate in due_reminders(now):
        candidate.reminded_at = now
        founder = notifications.founder_of(candidate)
        if founder.disabled_at is None:
            notifications.reply_reminder(candidate.event, candidate)
            sent += 1
    db.session.flush()
    return sent
