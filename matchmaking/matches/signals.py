"""The receivers that keep stored match scores fresh.

Lower features send signals (``proposals.signals``, ``investors.signals``)
instead of importing ``matches``; :func:`connect` hooks the receivers below
to them, once, at app start (``create_app``). Each receiver runs inside the
sender's transaction and flushes, exactly where the sender used to call
``recompute_for_*`` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matchmaking.investors.signals import investor_profile_changed
from matchmaking.matches.services import recompute_for_investor, recompute_for_proposal
from matchmaking.proposals.lifecycle import MATCHABLE
from matchmaking.proposals.signals import company_moved, proposal_status_changed

if TYPE_CHECKING:
    from matchmaking.accounts.models import User
    from matchmaking.proposals.models import Company, Proposal, Status


def on_proposal_status_changed(proposal: Proposal, *, before: Status, **_: Any) -> None:
    """Recompute the proposal's stored match scores when it enters or leaves
    :data:`MATCHABLE` (moves between matchable statuses change nothing the
    engine sees; a proposal's content can only be edited while it is not
    matchable)."""
    if (before in MATCHABLE) != (proposal.status in MATCHABLE):
        recompute_for_proposal(proposal)


def on_company_moved(company: Company, **_: Any) -> None:
    """Geography is part of every match of the company's live proposals, and
    of its "why": recompute each matchable one."""
    for proposal in company.proposals:
        if proposal.status in MATCHABLE:
            recompute_for_proposal(proposal)


def on_investor_profile_changed(investor: User, **_: Any) -> None:
    """Refresh the investor's stored scores (a rejected investor loses them)."""
    recompute_for_investor(investor)


def connect() -> None:
    """Connect the receivers (idempotent: blinker keeps one connection per receiver)."""
    proposal_status_changed.connect(on_proposal_status_changed)
    company_moved.connect(on_company_moved)
    investor_profile_changed.connect(on_investor_profile_changed)
