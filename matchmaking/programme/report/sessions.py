"""The Springbrett sessions held in a period: pitches, investors, 1:1 meetings, follow-ups.

A session is *held* in the period when its start falls in it and has
passed. Its pitches are the companies its published line-up invited that
did not decline (what was on the programme, whatever became of the
proposals since); its investors are those attending
(:func:`matchmaking.events.programme.attendee_investors`); its meetings are
the 1:1 meetings of its schedule, and the follow-ups those whose outcome
says a follow-up is wanted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaking.events.models import Event, EventCandidate, EventStatus, MeetingOutcome
from matchmaking.events.programme import attendee_investors
from matchmaking.extensions import db
from matchmaking.programme.report.numbers import Cell
from matchmaking.programme.report.periods import Period

#: The columns of the sessions table, in order.
SESSION_COLUMNS = ("pitches", "investors", "meetings", "follow_ups")


@dataclass
class SessionRow:
    id: int
    title: str
    starts_at: datetime
    municipality: str
    cells: dict[str, Cell]


def sessions_held(period: Period, now: datetime) -> list[SessionRow]:
    events = db.session.scalars(
        select(Event)
        .where(
            Event.status == EventStatus.PUBLISHED,
            Event.starts_at >= period.starts_at,
            Event.starts_at < min(period.ends_at, now),
        )
        .options(
            selectinload(Event.candidates).selectinload(EventCandidate.proposal),
            selectinload(Event.attendees),
            selectinload(Event.meetings),
        )
        .order_by(Event.starts_at, Event.id)
    )
    rows = []
    for event in events:
        pitches = (
            {c.proposal.company_id for c in event.candidates if c.holds_invitation}
            if event.lineup_published_at is not None
            else set()
        )
        investors = {u.id for u in attendee_investors(event)}
        meetings = event.meetings
        follow_ups = [m for m in meetings if m.outcome is MeetingOutcome.FOLLOW_UP]
        rows.append(
            SessionRow(
                id=event.id,
                title=event.title,
                starts_at=event.starts_at,
                municipality=event.municipality.name,
                cells={
                    "pitches": Cell(len(pitches), len(pitches)),
                    "investors": Cell(len(investors), len(investors)),
                    # A meeting is two parties; fewer than 3 meetings name
                    # too few pairs to hide anyone.
                    "meetings": Cell(len(meetings), len(meetings)),
                    "follow_ups": Cell(len(follow_ups), len(follow_ups)),
                },
            )
        )
    return rows
