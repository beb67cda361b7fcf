"""Who may see a proposal's round, manage it, and commit to it.

Commitments are confidential to the investor who made them, the organisers
and, as each investor chooses, the founder (docs/features/rounds.md).
"""

from __future__ import annotations

from matchmaking.accounts.models import User
from matchmaking.proposals.lifecycle import MAY_COMMIT
from matchmaking.proposals.models import Proposal
from matchmaking.proposals.services import can_see_confidential, is_owner


def may_see_round(user: User, proposal: Proposal) -> bool:
    """The founder, organisers, and approved investors who may see the
    proposal's confidential part."""
    return can_see_confidential(user, proposal)


def may_manage_round(user: User, proposal: Proposal) -> bool:
    """The founder and organisers: open the round, change its terms, close it."""
    return bool(user.is_authenticated and (is_owner(user, proposal) or user.is_organiser))


def may_commit(user: User, proposal: Proposal) -> bool:
    """An approved investor who may see the confidential part, while the
    proposal is accepted for Springbrett, pitched or in dialogue."""
    return bool(
        user.is_authenticated
        and user.is_approved_investor
        and proposal.status in MAY_COMMIT
        and can_see_confidential(user, proposal)
    )
