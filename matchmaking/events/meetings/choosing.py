"""What each side sees when choosing whom to meet: the other side's facts and
match score, and who already asked to meet them (a mutual request is marked).

Read-only; the choices themselves are saved by
:func:`matchmaking.events.meetings.services.save_choices`.

Who asked
    A request counts as "asked to meet you" once it is saved. A pair where both
    sides saved a request is *mutual*; the engine values it most when it
    builds the schedule (see :mod:`~matchmaking.events.meetings.adapter`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaking.accounts.models import User
from matchmaking.events.meetings.services import (
    Chooser,
    InvestorName,
    investor_options,
)
from matchmaking.events.models import Event, RequestSide
from matchmaking.extensions import db
from matchmaking.investors.models import InvestorProfile
from matchmaking.matches.models import MatchScore
from matchmaking.proposals.models import Proposal


@dataclass(frozen=True)
class InvestorChoice:
    """A signed-up investor as a founder sees them when choosing: what they
    look for (from their interest profile) and their match score with the
    founder's company (None when it is not among the investor's best matches)."""

    user: User
    name: InvestorName
    sectors: list[str]
    stages: list[str]
    ticket_min: int | None
    ticket_max: int | None
    score: float | None


def investor_choices(event: Event, proposal: Proposal) -> list[InvestorChoice]:
    """Every signed-up investor with their sectors, stages, ticket range and
    match score with ``proposal``, in the order of the founder's list (by name)."""
    options = investor_options(event)
    ids = [o.user.id for o in options]
    if not ids:
        return []
    profiles = {
        p.user_id: p
        for p in db.session.scalars(
            select(InvestorProfile)
            .where(InvestorProfile.user_id.in_(ids))
            .options(selectinload(InvestorProfile.sectors), selectinload(InvestorProfile.stages))
        )
    }
    scores: dict[int, float] = {
        investor_id: score
        for investor_id, score in db.session.execute(
            select(MatchScore.investor_id, MatchScore.score).where(
                MatchScore.proposal_id == proposal.id, MatchScore.investor_id.in_(ids)
            )
        )
    }
    out = []
    for o in options:
        p = profiles.get(o.user.id)
        out.append(
            InvestorChoice(
                user=o.user,
                name=o.name,
                sectors=sorted((s.name for s in p.sectors), key=str.casefold) if p else [],
                stages=[s.name for s in sorted(p.stages, key=lambda s: s.position)] if p else [],
                ticket_min=p.ticket_min if p and (p.ticket_min or p.ticket_max) else None,
                ticket_max=p.ticket_max if p and (p.ticket_min or p.ticket_max) else None,
                score=scores.get(o.user.id),
            )
        )
    return out


def asked_by_others(event: Event, who: Chooser) -> set[int]:
    """The other side's ids that saved a request to meet ``who``: the pitching
    companies' proposal ids that asked for an investor, or the investors' user
    ids that asked for a founder's company."""
    if who.proposal is None:
        return {
            r.proposal_id
            for r in event.meeting_requests
            if r.side is RequestSide.FOUNDER and r.investor_id == who.user.id
        }
    return {
        r.investor_id
        for r in event.meeting_requests
        if r.side is RequestSide.INVESTOR and r.proposal_id == who.proposal.id
    }
