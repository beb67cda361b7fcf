"""Making line-up situations in tests: candidates, sign-ups, stored match scores, screening."""

from __future__ import annotations

from datetime import timedelta
from itertools import count
from typing import Any

from sqlalchemy import select

from matchmaking.events.models import (
    CandidateSource,
    Event,
    EventAttendee,
    EventCandidate,
    EventSubprojectMinimum,
    InvitationStatus,
)
from matchmaking.extensions import db, utcnow
from matchmaking.matches.models import MatchScore
from matchmaking.proposals.models import Proposal
from matchmaking.reference.models import Subproject
from matchmaking.screening.models import Criterion, Review, Score

_serial = count(1)


def candidate(
    event: Event,
    proposal: Proposal,
    *,
    pinned: bool = False,
    excluded: bool = False,
    position: int | None = None,
    invitation: InvitationStatus | None = None,
) -> EventCandidate:
    row = EventCandidate(
        event_id=event.id,
        proposal_id=proposal.id,
        source=CandidateSource.NOMINATED,
        pinned=pinned,
        excluded=excluded,
        lineup_position=position,
        invitation=invitation,
        invited_at=utcnow() if invitation else None,
        created_at=utcnow() - timedelta(hours=1),
    )
    db.session.add(row)
    db.session.commit()
    return row


def attend(event: Event, user: Any) -> EventAttendee:
    row = EventAttendee(
        event_id=event.id, user_id=user.id, signed_up_at=utcnow() - timedelta(hours=1)
    )
    db.session.add(row)
    db.session.commit()
    return row


def score(investor: Any, proposal: Proposal, value: float) -> MatchScore:
    """A stored match score for the pair."""
    row = MatchScore(investor_id=investor.id, proposal_id=proposal.id, score=value, reasons="{}")
    db.session.add(row)
    db.session.commit()
    return row


def screen(proposal: Proposal, reviewer: Any, value: int) -> Review:
    """A review scoring ``value`` (1-5) on one criterion of weight 1."""
    criterion = db.session.scalar(select(Criterion).where(Criterion.slug == "t-lineup"))
    if criterion is None:
        criterion = Criterion(slug="t-lineup", name_nb="Lag", name_en="Team", weight=1.0)
        db.session.add(criterion)
        db.session.flush()
    review = Review(proposal_id=proposal.id, reviewer_id=reviewer.id)
    review.scores.append(Score(criterion_id=criterion.id, value=value))
    db.session.add(review)
    db.session.commit()
    return review


def minimum(event: Event, subproject_slug: str, value: int) -> EventSubprojectMinimum:
    sub = db.session.scalar(select(Subproject).where(Subproject.slug == subproject_slug))
    assert sub is not None
    row = EventSubprojectMinimum(event_id=event.id, subproject_id=sub.id, minimum=value)
    db.session.add(row)
    db.session.commit()
    return row


def founder_proposal(
    make_user: Any,
    make_proposal: Any,
    *,
    municipality: str = "narvik",
    subproject: str | None = "marin-kartlegging",
    locale: str = "en",
    title: str | None = None,
    status: str = "accepted",
) -> Proposal:
    """An accepted proposal of a new founder (each founder has their own company)."""
    n = next(_serial)
    founder = make_user("entrepreneur", locale=locale, name=f"Founder {n}")
    proposal: Proposal = make_proposal(
        founder,
        status=status,
        title=title or f"Pitch {n}",
        teaser=f"Teaser of pitch {n}.",
        municipality=municipality,
        subproject=subproject,
    )
    return proposal
