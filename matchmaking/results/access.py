"""Who may see a proposal's follow-up reports, and who may file one.

- The founder (the proposal's owner) and the organisers see the history;
  before a funded round the page only explains that reports start then.
- An approved investor who invested in a funded round of the proposal (an
  ``Investment`` with their ``investor_id``) sees the history too, read only:
  they own part of the company, and the reports are what became of their
  money. Other investors and other founders: 404, as for anything they may
  not see.
- Filing a report: the founder at any time once a round is funded; an
  organiser on the founder's behalf (marked as such).
"""

from __future__ import annotations

from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.extensions import db
from matchmaking.proposals.models import Proposal, Status
from matchmaking.proposals.services import is_owner
from matchmaking.rounds.models import Investment, Round, RoundState


def funded_rounds(proposal: Proposal) -> list[Round]:
    """The proposal's funded rounds, the earliest funding first."""
    return list(
        db.session.scalars(
            select(Round)
            .where(Round.proposal_id == proposal.id, Round.state == RoundState.FUNDED)
            .order_by(Round.funded_on, Round.id)
        )
    )


def is_funded(proposal: Proposal) -> bool:
    """Whether the proposal has a funded round (with its funding date)."""
    return any(r.funded_on is not None for r in funded_rounds(proposal))


def invested(user: User, proposal: Proposal) -> bool:
    """Whether ``user`` put money into a funded round of the proposal."""
    found = db.session.scalar(
        select(Investment.id)
        .join(Round, Round.id == Investment.round_id)
        .where(
            Round.proposal_id == proposal.id,
            Round.state == RoundState.FUNDED,
            Investment.investor_id == user.id,
        )
        .limit(1)
    )
    return found is not None


def manages_results(user: User, proposal: Proposal) -> bool:
    """The founder, and organisers (a draft is the founder's alone)."""
    if not user.is_authenticated:
        return False
    if is_owner(user, proposal):
        return True
    return bool(user.is_organiser and proposal.status is not Status.DRAFT)


def may_see_results(user: User, proposal: Proposal) -> bool:
    """The founder, organisers, and approved investors who invested in it."""
    if manages_results(user, proposal):
        return True
    return bool(user.is_authenticated and user.is_approved_investor and invested(user, proposal))


def may_report(user: User, proposal: Proposal) -> bool:
    """The founder or an organiser, once the proposal has a funded round."""
    return manages_results(user, proposal) and is_funded(proposal)
