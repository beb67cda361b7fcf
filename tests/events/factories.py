"""Making Springbrett sessions in tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from matchmaking.events.models import Event, EventStatus
from matchmaking.extensions import db
from matchmaking.reference.models import Municipality


def new_event(organiser: Any, *, published: bool = True, **values: Any) -> Event:
    """A session four weeks ahead in Narvik, 6 pitches, 8 meetings, committed."""
    from sqlalchemy import select

    # At 15:00 UTC (16:00 or 17:00 in Oslo), whatever the time the suite runs:
    # a start taken from the clock put the 1:1s (two hours later) past midnight
    # in Oslo for runs after about 20:30 UTC, and a test that moves them by half
    # an hour then failed only in the evening.
    starts = (datetime.now(UTC) + timedelta(days=28)).replace(
        hour=15, minute=0, second=0, microsecond=0
    )
    event = Event(
        title=values.pop("title", "Springbrett Narvik"),
        starts_at=starts,
        venue="Malmen",
        municipality_id=db.session.scalar(
            select(Municipality.id).where(Municipality.slug == "narvik")
        ),
        pitch_slots=6,
        minutes_per_pitch=10,
        meeting_slots=8,
        meeting_minutes=20,
        meetings_start_at=starts + timedelta(hours=2),
        capacity=values.pop("capacity", 20),
        status=EventStatus.PUBLISHED if published else EventStatus.DRAFT,
        version=1,
        created_by_id=organiser.id,
        **values,
    )
    db.session.add(event)
    db.session.commit()
    return event
