"""Demo data for Springbrett: one upcoming published session. Idempotent.

Eight approved investors are signed up (two of them leave before the last
meeting slots) and the seven accepted proposals, each with its own founder,
are candidates for six pitch slots, with at most three from one municipality
(four are from Narvik) and at least one from the marine mapping sub-project:
so "Propose line-up" has a real choice to make.

The 1:1 meetings are asked for already (:func:`load_meeting_requests`, once
the match scores exist): each signed-up investor asks to meet the two to four
candidates they match best, and three founders ask for the investor who
matches them best. Every pitching company gets at least two meetings. So
after "Propose line-up" and "Publish", "Build schedule" seats people who
asked to meet. The demo founder (``grunder@``) and the demo investor's
choices about the demo founder's company are left to the walk-through: nobody
asks for it or on its behalf.
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
    MeetingRequest,
    RequestSide,
    UnavailableSlot,
)
from matchmaking.extensions import db
from matchmaking.matches.models import MatchScore
from matchmaking.proposals.models import Proposal, Status
from matchmaking.reference.models import Municipality, Subproject

TITLE = "Springbrett Narvik – vinter 2027"
OSLO = ZoneInfo("Europe/Oslo")
#: The least number of 1:1 meetings every pitching company gets.
MIN_MEETINGS = 2
#: The demo founder, whose choices the walk-through makes.
DEMO_FOUNDER = "grunder@demo.banofoten.no"
#: How many of their best-matching candidates each signed-up investor asks to meet,
#: in sign-up order (repeating).
ASKS = (3, 4, 2)
#: How many founders ask for the investor who matches them best.
FOUNDERS_ASKING = 3


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
            min_meetings=MIN_MEETINGS,
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


def load_meeting_requests() -> list[MeetingRequest]:
    """Seed the demo session's meeting requests, once (a session that has any
    keeps them: a second load, or choices made since, are left alone). Needs
    the match scores (``services.load`` computes them first).

    Each signed-up investor asks for the ``ASKS`` candidates they match best
    (side investor); the founders of the first ``FOUNDERS_ASKING`` candidates
    (in the order they joined) ask for the investor who matches them best
    (side founder). Requests for a candidate that does not make the line-up
    stay but are not scheduled.
    """
    event = db.session.scalar(select(Event).where(Event.title == TITLE))
    if event is None or event.meeting_requests:
        return []
    proposals = [
        c.proposal for c in event.candidates if c.proposal.company.owner.email != DEMO_FOUNDER
    ]
    investors = [a.user for a in event.attendees if a.user.is_approved_investor]
    if not proposals or not investors:
        return []
    score: dict[tuple[int, int], float] = {
        (inv, pid): float(value)
        for inv, pid, value in db.session.execute(
            select(MatchScore.investor_id, MatchScore.proposal_id, MatchScore.score).where(
                MatchScore.investor_id.in_([u.id for u in investors]),
                MatchScore.proposal_id.in_([p.id for p in proposals]),
            )
        )
    }
    added: list[MeetingRequest] = []
    for i, investor in enumerate(investors):
        best = sorted(proposals, key=lambda p: (-score.get((investor.id, p.id), 0.0), p.id))
        for proposal in best[: ASKS[i % len(ASKS)]]:
            if score.get((investor.id, proposal.id), 0.0) > 0:
                added.append(
                    MeetingRequest(
                        investor_id=investor.id, proposal_id=proposal.id, side=RequestSide.INVESTOR
                    )
                )
    for proposal in proposals[:FOUNDERS_ASKING]:
        investor = max(investors, key=lambda u: (score.get((u.id, proposal.id), 0.0), -u.id))
        added.append(
            MeetingRequest(
                investor_id=investor.id, proposal_id=proposal.id, side=RequestSide.FOUNDER
            )
        )
    event.meeting_requests.extend(added)
    db.session.flush()
    return added
