"""The proposal lifecycle's status sets: one definition each.

A proposal's :class:`~matchmaking.proposals.models.Status` decides who sees
it and what may happen to it. Every feature that asks "is this proposal
matched / open to investors / allowed to pitch" imports the set from here.
"""

from __future__ import annotations

from typing import Final

from matchmaking.proposals.models import Status

__all__ = [
    "DIALOGUE_FROM",
    "HIDDEN_FROM_INVESTORS",
    "KEEPS_PITCHING",
    "MATCHABLE",
    "MAY_APPLY",
    "MAY_COMMIT",
    "MAY_STAND",
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

#: Springbrett: a proposal may become a session's candidate (apply or be
#: nominated) in these statuses.
MAY_APPLY: Final = frozenset({S.ACCEPTED})
#: Springbrett: a candidate not yet invited may stand for the line-up in these
#: (going in dialogue with an investor does not end a candidacy).
MAY_STAND: Final = frozenset({S.ACCEPTED, S.PITCHED, S.IN_DIALOGUE})
#: Springbrett: once the session has started, an invited founder's pitch stays
#: in the programme in these (a proposal funded since is still what was pitched).
KEEPS_PITCHING: Final = MAY_STAND | {S.FUNDED}

#: Where a founder accepting an introduction takes the proposal from.
DIALOGUE_FROM: Final = frozenset(
    {S.SUBMITTED, S.IN_SCREENING, S.RESUBMITTED, S.ACCEPTED, S.PITCHED}
)

#: Funding rounds: investors may register a soft commitment, and a round may be
#: opened and closed as funded, in these (accepted for Springbrett, pitched or
#: in dialogue).
MAY_COMMIT: Final = frozenset({S.ACCEPTED, S.PITCHED, S.IN_DIALOGUE})
