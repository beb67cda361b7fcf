"""The proposal lifecycle's status sets: one definition each.

A proposal's :class:`~matchmaking.proposals.models.Status` decides who sees
it and what may happen to it. Every feature that asks "is this proposal
matched / open to investors / allowed to pitch" imports the set from here.
"""

from __future__ import annotations

from typing import Final

from matchmaking.proposals.models import Status

__all__ = [
    "CAN_PITCH",
    "DIALOGUE_FROM",
    "HIDDEN_FROM_INVESTORS",
    "MATCHABLE",
    "OPEN_TO_INVESTORS",
    "SCREENING",
    "Status",
]

S = Status

#: Statuses in which organisers screen (and reviewers score) a proposal.
SCREENING: Final = frozenset({S.SUBMITTED, S.IN_SCREENING, S.RESUBMITTED})

#: Statuses in which a proposal is out of the investors' sight: not yet
#: submitted, or taken out (withdrawn by the founder, declined, closed).
HIDDEN_FROM_INVESTORS: Final = frozenset({S.DRAFT, S.WITHDRAWN, S.DECLINED, S.CLOSED})
#: The rest: what investors see, act on and may ask an introduction to.
OPEN_TO_INVESTORS: Final = frozenset(S) - HIDDEN_FROM_INVESTORS

#: The statuses in which a proposal is matched to investors: from submission
#: until it is funded, closed, declined or withdrawn. Drafts and proposals
#: sent back for changes are not (their founder is still writing).
MATCHABLE: Final = frozenset(
    {
        S.SUBMITTED,
        S.IN_SCREENING,
        S.RESUBMITTED,
        S.ACCEPTED,
        S.PITCHED,
        S.IN_DIALOGUE,
    }
)

#: Proposals in these statuses can pitch at a Springbrett session.
CAN_PITCH: Final = frozenset({S.ACCEPTED, S.PITCHED})

#: Where a founder accepting an introduction takes the proposal from.
DIALOGUE_FROM: Final = frozenset(
    {S.SUBMITTED, S.IN_SCREENING, S.RESUBMITTED, S.ACCEPTED, S.PITCHED}
)
