"""The investor's home: new matches since the last visit to the matches page,
the upcoming sessions with the investor's place, meeting choices open now,
introductions and their answers, their soft commitments in open rounds
(count and sum, to the portfolio), and how complete the interest profile is.

A pending (not yet approved) investor sees that they await approval and
what they can do meanwhile (fill in the profile, read the teasers, look at
the sessions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from matchmaking.accounts.models import InvestorStatus, User
from matchmaking.events.meetings import services as meetings
from matchmaking.events.models import Event, EventStatus, MeetingRequest, RequestSide
from matchmaking.events.session import services as sessions
from matchmaking.extensions import db, utcnow
from matchmaking.formtools import ConfirmActionForm
from matchmaking.introductions import services as introductions
from matchmaking.introductions.models import Introduction, IntroductionStatus
from matchmaking.investors.models import InvestorProfile
from matchmaking.investors.services import profile_of
from matchmaking.matches.models import MatchScore
from matchmaking.matches.search import MatchFilters, matches_query
from matchmaking.proposals.models import Proposal
from matchmaking.rounds.commitments.portfolio import open_commitments

#: How many of the new matches the home lists by name.
NEW_SHOWN = 5


@dataclass(frozen=True)
class NewMatches:
    count: int
    #: The best few of them, best score first.
    best: list[Proposal]


def new_matches(user: User, shown: int = NEW_SHOWN) -> NewMatches:
    """The investor's listed matches (as the matches page lists them) that first
    became matches after their last visit to that page (all, before any visit)."""
    query = matches_query(user.id, MatchFilters())
    if user.matches_seen_at is not None:
        query = query.where(MatchScore.first_seen_at > user.matches_seen_at)
    count = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    ids = [
        row.proposal_id
        for row in db.session.execute(
            query.order_by(MatchScore.score.desc(), MatchScore.proposal_id).limit(shown)
        )
    ]
    by_id = {p.id: p for p in db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)))}
    return NewMatches(int(count), [by_id[i] for i in ids])


@dataclass(frozen=True)
class SessionRow:
    event: Event
    signed_up: bool
    full: bool
    #: Meeting choices are open to this investor now.
    choosing: bool
    #: Companies the investor asked to meet at this session.
    asked: int


def session_rows(user: User, now: datetime | None = None) -> list[SessionRow]:
    """The published sessions not yet started, soonest first, with the investor's place."""
    now = now or utcnow()
    events = db.session.scalars(
        select(Event)
        .where(Event.status == EventStatus.PUBLISHED, Event.starts_at > now)
        .order_by(Event.starts_at, Event.id)
    )
    rows = []
    for event in events:
        asked = db.session.scalar(
            select(func.count(MeetingRequest.id)).where(
                MeetingRequest.event_id == event.id,
                MeetingRequest.investor_id == user.id,
                MeetingRequest.side == RequestSide.INVESTOR,
            )
        )
        rows.append(
            SessionRow(
                event=event,
                signed_up=sessions.is_signed_up(event, user),
                full=len(event.attendees) >= event.capacity,
                choosing=meetings.why_not(event, user) is None,
                asked=int(asked or 0),
            )
        )
    return rows


@dataclass(frozen=True)
class Completeness:
    """What of the interest profile is filled in, and what is missing (in words)."""

    exists: bool
    filled: int
    total: int
    missing: list[str]


def completeness(profile: InvestorProfile | None) -> Completeness:
    """Seven parts: name, organisation, ticket range, sectors, stages, places, thesis.

    Empty sectors, stages or places mean "any" to the matching; they count as
    missing here because a profile without them matches everything alike.
    """
    parts = [
        (_("a display name"), bool(profile and profile.display_name.strip())),
        (_("your organisation"), bool(profile and (profile.organisation or "").strip())),
        (_("a ticket range"), bool(profile and profile.ticket_max > 0)),
        (_("sectors"), bool(profile and profile.sectors)),
        (_("stages"), bool(profile and profile.stages)),
        (
            _("places (regions or municipalities)"),
            bool(profile and (profile.regions or profile.municipalities)),
        ),
        (_("an investment thesis"), bool(profile and profile.thesis.strip())),
    ]
    missing = [str(name) for name, done in parts if not done]
    return Completeness(profile is not None, len(parts) - len(missing), len(parts), missing)


def introduction_counts(items: list[Introduction]) -> dict[str, int]:
    return {
        status.value: sum(1 for i in items if i.status is status) for status in IntroductionStatus
    }


def page() -> ResponseReturnValue:
    user: User = current_user._get_current_object()
    approved = user.is_approved_investor
    items = introductions.for_investor(user) if approved else []
    return render_template(
        "main/home/investor.html",
        approved=approved,
        rejected=user.investor_status is InvestorStatus.REJECTED,
        new=new_matches(user) if approved else None,
        commitments=open_commitments(user) if approved else None,
        sessions=session_rows(user),
        introductions=items,
        introduction_counts=introduction_counts(items),
        profile=completeness(profile_of(user)),
        form=ConfirmActionForm(),
    )
