"""The demo proposals: twenty made-up companies across Ofoten and Sør-Troms.

The data is in ``proposals.toml`` beside this module (package data), read
once on import into :data:`PROPOSALS`, in the file's order.

Every company, person and figure there is invented. Organisation numbers are
computed from ``orgnr_base`` (the first eight digits) by the MOD11 rule, see
:func:`matchmaking.demo.proposals.valid_orgnr`; ``None`` means none yet
(allowed at the idea stage).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Team members: name, role, short background.
Team = tuple[tuple[str, str, str], ...]

DATA = Path(__file__).with_name("proposals.toml")


@dataclass(frozen=True)
class DemoProposal:
    owner: str  # e-mail of the founder
    company: str
    orgnr_base: str | None
    municipality: str  # slug
    website: str | None
    team: Team
    title: str
    teaser: str
    description: str
    sector: str  # slug
    stage: str  # slug
    subproject: str | None  # slug
    ask: int
    min_ticket: int
    instrument: str
    pre_money: int | None
    use_of_funds: str
    jobs_now: int
    jobs_in_3_years: int
    traction: str
    status: str  # the status it ends in; the timeline is made to lead there
    days_ago: int  # when the founder created it
    # When the timeline's last step was made (days before now); None: the steps
    # spread evenly up to a few hours ago.
    last_step_days_ago: int | None = None
    quality: int = 3  # 1–5: the reviewers' scores vary around it
    reason: str = ""  # for changes requested or declined
    conflict: bool = False  # the second reviewer declares a conflict of interest
    share_review_comments: bool = False
    review_comments: tuple[str, str] = field(default=("", ""))


#: The fields a TOML entry leaves out for None (TOML has no null).
OPTIONAL = ("orgnr_base", "website", "subproject", "pre_money")


def _proposal(entry: dict[str, Any]) -> DemoProposal:
    values = {name: None for name in OPTIONAL} | entry
    values["team"] = tuple(tuple(member) for member in entry["team"])
    if "review_comments" in entry:
        values["review_comments"] = tuple(entry["review_comments"])
    return DemoProposal(**values)


def load_proposals(path: Path = DATA) -> tuple[DemoProposal, ...]:
    """The proposals of a TOML file like ``proposals.toml``, in its order."""
    with path.open("rb") as file:
        return tuple(_proposal(entry) for entry in tomllib.load(file)["proposal"])


PROPOSALS: tuple[DemoProposal, ...] = load_proposals()
