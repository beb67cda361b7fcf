"""A proposal's lifecycle as a progress bar: the main road and the side exits.

The main road runs draft → submitted → in screening → accepted → pitched →
in dialogue → funded. A proposal can leave it by a side exit (changes
requested, declined, withdrawn, closed); the bar then shows the exit right
after the step it left from, and the steps beyond it as not reached. Steps
the proposal went past without stopping (a founder who accepts an
introduction while the proposal is still in screening goes straight to "in
dialogue") are shown as skipped. Pure: reads the proposal and its timeline.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final

from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.models import Proposal, Status
from matchmaking.proposals.services import status_label

S = Status

#: The main road, in order.
MAIN: Final = (
    S.DRAFT,
    S.SUBMITTED,
    S.IN_SCREENING,
    S.ACCEPTED,
    S.PITCHED,
    S.IN_DIALOGUE,
    S.FUNDED,
)
#: Where a status sits on the main road (resubmitted is the "submitted" step again).
POSITION: Final = {**{status: i for i, status in enumerate(MAIN)}, S.RESUBMITTED: 1}
#: The side exits, and the step each leaves from when the timeline does not say.
EXITS: Final = {
    S.CHANGES_REQUESTED: 1,
    S.DECLINED: 2,
    S.WITHDRAWN: 0,
    S.CLOSED: 5,
}
#: Shorter names on the bar where the status label is long.
SHORT_LABELS: Final = {S.IN_DIALOGUE: _l("In dialogue")}


class StepState(enum.StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    CURRENT = "current"
    TODO = "todo"
    #: A side exit the proposal took (it stands there now).
    EXIT = "exit"


STATE_WORDS: Final = {
    StepState.DONE: _l("done"),
    StepState.SKIPPED: _l("skipped"),
    StepState.CURRENT: _l("current step"),
    StepState.TODO: _l("not reached"),
    StepState.EXIT: _l("current step"),
}


@dataclass(frozen=True)
class Step:
    status: Status
    label: str
    state: StepState

    @property
    def is_current(self) -> bool:
        return self.state in (StepState.CURRENT, StepState.EXIT)

    @property
    def words(self) -> str:
        """The state in words, for screen readers (never colour alone)."""
        return str(STATE_WORDS[self.state])


def _left_from(proposal: Proposal) -> int:
    """The main-road step a proposal standing at a side exit left from."""
    for event in reversed(proposal.events):
        if event.to_status is proposal.status and event.from_status in POSITION:
            return POSITION[event.from_status]
    return EXITS[proposal.status]


def steps(proposal: Proposal) -> list[Step]:
    """The bar for ``proposal``: the main road, with a side exit in place if it took one."""
    status = proposal.status
    reached = {e.to_status for e in proposal.events} | {S.DRAFT}
    if S.RESUBMITTED in reached:
        reached.add(S.SUBMITTED)
    exit_at = _left_from(proposal) if status in EXITS else None
    here = exit_at if exit_at is not None else POSITION[status]
    result: list[Step] = []
    for i, step in enumerate(MAIN):
        shown = S.RESUBMITTED if i == 1 and status is S.RESUBMITTED else step
        label = str(SHORT_LABELS.get(shown) or status_label(shown))
        if exit_at is None and i == here:
            state = StepState.CURRENT
        elif i < here or (exit_at is not None and i == here):
            state = StepState.DONE if step in reached else StepState.SKIPPED
        else:
            state = StepState.TODO
        result.append(Step(step, label, state))
        if exit_at is not None and i == exit_at:
            result.append(Step(status, status_label(status), StepState.EXIT))
    return result
