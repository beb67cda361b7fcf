"""Making the 1:1 meetings' data in tests: a published line-up, sign-ups,
match scores, requests and unavailable slots, all set directly and committed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from matchmaking.events.models import (
    CandidateSource,
    Event,
    EventAttendee,
    EventCandidate,
    InvitationStatus,
    Meeting,
    MeetingRequest,
    MeetingSource,
    RequestSide,
    UnavailableSlot,
)
from matchmaking.extensions import db
from matchmaking.matches.models import MatchScore


def _fresh(event: Event) -> Event:
    """The event in the current session (a request in between detaches the test's copy)."""
    found = db.session.get(Event, event.id)
    assert found is not None
    return found


def publish_lineup(event: Event, *proposals: Any, status: InvitationStatus | None = None) -> None:
    """``proposals`` pitch (invited, in this order); the line-up is published."""
    event = _fresh(event)
    for position, proposal in enumerate(proposals):
        event.candidates.append(
            EventCandidate(
                proposal_id=proposal.id,
                source=CandidateSource.NOMINATED,
                lineup_position=position,
                invitation=status or InvitationStatus.INVITED,
                invited_at=datetime.now(UTC),
            )
        )
    event.lineup_published_at = datetime.now(UTC)
    db.session.commit()


def sign_up(event: Event, *users: Any) -> None:
    event = _fresh(event)
    for user in users:
        event.attendees.append(EventAttendee(user_id=user.id))
    db.session.commit()


def score(investor: Any, proposal: Any, value: float) -> None:
    db.session.add(
        MatchScore(
            investor_id=investor.id,
            proposal_id=proposal.id,
            score=value,
            reasons=json.dumps({"sector": value}),
        )
    )
    db.session.commit()


def ask(event: Event, investor: Any, proposal: Any, side: str = "investor", **values: Any) -> None:
    event = _fresh(event)
    event.meeting_requests.append(
        MeetingRequest(
            investor_id=investor.id, proposal_id=proposal.id, side=RequestSide(side), **values
        )
    )
    db.session.commit()


def busy(event: Event, slot: int, *, user: Any = None, proposal: Any = None) -> None:
    event = _fresh(event)
    event.unavailable_slots.append(
        UnavailableSlot(
            user_id=user.id if user is not None else None,
            proposal_id=proposal.id if proposal is not None else None,
            slot=slot,
        )
    )
    db.session.commit()


def meeting(event: Event, investor: Any, proposal: Any, slot: int) -> Meeting:
    event = _fresh(event)
    m = Meeting(
        investor_id=investor.id, proposal_id=proposal.id, slot=slot, source=MeetingSource.ENGINE
    )
    event.meetings.append(m)
    db.session.commit()
    return m


def built(event: Event, minutes_ago: int = 60) -> None:
    """Mark the schedule as built a while ago."""
    event = _fresh(event)
    event.schedule_built_at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    event.schedule_value = 0.0
    event.schedule_bound = 0.0
    event.schedule_optimal = True
    db.session.commit()
