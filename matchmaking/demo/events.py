"""Demo data for Springbrett: one upcoming published session. Idempotent.

Eight approved investors are signed up (two of them leave before the last
meeting slots) and the seven accepted proposals are candidates for six pitch
slots, with at most three from one municipality (four are from Narvik) and at
least one from the marine mapping sub-project: so "Propose line-up" has a
real choice to make, and after "Publish", "Build schedule" has people to seat.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.events.models import (
    CandidateSource,
    Event,
    EventAttendee,
    EventCandidate,
    EventStatus,
    EventSubprojectMinimum,
    UnavailableSlot,
)
from matchmaking.extensions import db
from matchmaking.proposals.models import Proposal, Status
from matchmaking.reference.models import Municipality, Subproject

TITLE = "Springbrett Narvik – vinter 2027"
OSLO = ZoneInfo("Europe/Oslo")


def load_events(now: datetime | None = None) -> Event:
    """The demo session five weeks from ``now`` (17:00 Oslo time), made once."""
    event = db.session.scalar(select(Event).where(Event.title == TITLE))
    if event is None:
        now = now or datetime.now(UTC)
        day = (now.astimezone(OSLO) + timedelta(weeks=5)).date()
        starts = datetime.combine(day, time(17, 0), tzinfo=OSLO).astimezone(UTC)
        organiser = db.session.scalar(
            select(User).where(User.role == Role.ORGANISER).order_by(User.id)
        )
        if organiser is None:
            raise RuntimeError("load the demo users first")
        event = Event(
            title=TITLE,
            starts_at=starts,
            venue="Malmen, Narvik",
            municipality_id=db.session.scalar(
                select(Municipality.id).where(Municipality.slug == "narvik")
            ),
            pitch_slots=6,
            minutes_per_pitch=10,
            meeting_slots=8,
            meeting_minutes=20,
            meetings_start_at=starts + timedelta(hours=1, minutes=30),
            capacity=40,
            max_per_municipality=3,
            status=EventStatus.PUBLISHED,
            version=1,
            created_by_id=organiser.id,
        )
        marine = db.session.scalar(select(Subproject).where(Subproject.slug == "marin-kartlegging"))
        if marine is not None:
            event.minimums.append(EventSubprojectMinimum(subproject_id=marine.id, minimum=1))
        db.session.add(event)
        db.session.flush()
    investors = db.session.scalars(
        select(User)
        .where(User.role == Role.INVESTOR, User.investor_status == InvestorStatus.APPROVED)
        .order_by(User.id)
        .limit(8)
    )
    have = {a.user_id for a in event.attendees}
    marked = {u.user_id for u in event.unavailable_slots}
    for i, investor in enumerate(investors):
        if investor.id not in have:
            event.attendees.append(EventAttendee(user_id=investor.id))
        if i in (2, 5) and investor.id not in marked:  # they leave before the last two slots
            for slot in (event.meeting_slots - 2, event.meeting_slots - 1):
                event.unavailable_slots.append(UnavailableSlot(user_id=investor.id, slot=slot))
    accepted = db.session.scalars(
        select(Proposal).where(Proposal.status == Status.ACCEPTED).order_by(Proposal.id)
    )
    taken = {c.proposal_id for c in event.candidates}
    for i, proposal in enumerate(accepted):
        if proposal.id not in taken:
            source = CandidateSource.APPLIED if i % 2 == 0 else CandidateSource.NOMINATED
            event.candidates.append(EventCandidate(proposal_id=proposal.id, source=source))
    db.session.flush()
    return event
