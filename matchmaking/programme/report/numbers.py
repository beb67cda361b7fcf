"""The report's numbers for one period, each with the companies or people behind it.

What each number counts (docs/features/programme-report.md says it for users):

- **The funnel** follows the proposals first submitted in the period (a
  cohort) to the period's end: how many got at least as far as each step,
  the conversion from the step before, and where the others are at the end
  (declined, withdrawn, closed, or still under way).
- **By sub-project, municipality, sector and stage**: the proposals first
  submitted in the period, the capital they seek and their jobs today and in
  three years (as the founders gave them); the capital committed in the
  period (soft commitments registered in it and not withdrawn by its end);
  the capital raised (rounds funded in it); and the jobs reported (the
  latest follow-up report up to the period's end of each company funded by
  then).
- **Springbrett sessions held** in the period, **the investor base** at its
  end, **service to founders** (days from first submission to the first
  answer) and the **larger initiatives** (50 jobs or more in three years).

Every :class:`Cell` carries the count of companies (or people) behind it so
that :mod:`.cells` can hide what would let a reader recognise someone.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final

from matchmaking.accounts.models import InvestorStatus
from matchmaking.programme.report.facts import Facts, ProposalFacts
from matchmaking.programme.report.periods import Period
from matchmaking.proposals.models import Status

#: The funnel's steps, in order; each is a :data:`~.facts.RANK`.
STEPS: Final = ("submitted", "screened", "accepted", "pitched", "in_dialogue", "funded")
#: Where a proposal that did not go on stopped.
STOPS: Final = (Status.DECLINED, Status.WITHDRAWN, Status.CLOSED)
#: The programme's promise: every founder answered within this many days.
ANSWER_DAYS: Final = 30
#: Jobs in three years that make a proposal a larger initiative (the
#: new-jobs sub-project looks for 50-100).
LARGE_INITIATIVE_JOBS: Final = 50
#: The breakdown columns, in the order the tables show them.
COLUMNS: Final = (
    "proposals",
    "sought",
    "committed",
    "raised",
    "jobs_now",
    "jobs_in_3_years",
    "jobs_reported",
)


@dataclass
class Cell:
    """A number and the companies (or people) behind it."""

    value: float = 0
    count: int = 0
    hidden: bool = False


@dataclass
class Row:
    key: int | None
    cells: dict[str, Cell] = field(default_factory=lambda: {c: Cell() for c in COLUMNS})


@dataclass
class Funnel:
    #: Proposals that got at least as far as each step (:data:`STEPS`).
    steps: list[Cell]
    #: Where the cohort stands at the end: declined, withdrawn, closed.
    stopped: dict[Status, Cell]
    #: Neither stopped nor funded: still under way at the period's end.
    under_way: Cell


@dataclass
class Service:
    """How fast founders got an answer (first submission to first decision)."""

    #: Submitted in the period and answered by its end.
    answered: int
    median_days: float | None
    #: Answered within :data:`ANSWER_DAYS`, of those whose days are up or answered.
    within: int
    due: int


@dataclass
class Investors:
    approved: Cell
    new: Cell
    active: Cell


@dataclass
class Numbers:
    period: Period
    funnel: Funnel
    #: Breakdown rows by dimension ("subproject", "municipality", "sector",
    #: "stage"), keyed by the reference row's id (None: no sub-project).
    breakdowns: dict[str, dict[int | None, Row]]
    total: Row
    investors: Investors
    service: Service
    #: Proposals planning :data:`LARGE_INITIATIVE_JOBS` jobs or more.
    large: list[ProposalFacts]


_DIMENSIONS: dict[str, Callable[[ProposalFacts], int | None]] = {
    "subproject": lambda p: p.subproject_id,
    "municipality": lambda p: p.municipality_id,
    "sector": lambda p: p.sector_id,
    "stage": lambda p: p.stage_id,
}


def compute(facts: Facts, period: Period) -> Numbers:
    """The numbers for ``period`` (every count exact; :mod:`.cells` hides)."""
    start, end = period.starts_at, period.ends_at
    cohort = [
        p for p in facts.proposals.values() if (s := p.first_submitted_at) and start <= s < end
    ]
    return Numbers(
        period=period,
        funnel=_funnel(cohort, end),
        breakdowns={
            name: _breakdown(facts, cohort, period, key) for name, key in _DIMENSIONS.items()
        },
        # A period in which nothing happened has no row: all zeros.
        total=_breakdown(facts, cohort, period, lambda _p: 0).get(0) or Row(0),
        investors=_investors(facts, period),
        service=_service(cohort, end),
        large=_large(facts, period),
    )


def _funnel(cohort: list[ProposalFacts], end: datetime) -> Funnel:
    reached = [p.reached_before(end) for p in cohort]
    steps = []
    for rank in range(len(STEPS)):
        got = [p for p, r in zip(cohort, reached, strict=True) if r >= rank]
        steps.append(Cell(len(got), _companies(got)))
    stopped: dict[Status, list[ProposalFacts]] = {s: [] for s in STOPS}
    under_way = []
    for proposal in cohort:
        status = proposal.status_at(end)
        if status in stopped:
            stopped[status].append(proposal)
        elif status is not Status.FUNDED:
            under_way.append(proposal)
    return Funnel(
        steps=steps,
        stopped={s: Cell(len(ps), _companies(ps)) for s, ps in stopped.items()},
        under_way=Cell(len(under_way), _companies(under_way)),
    )


def _breakdown(
    facts: Facts,
    cohort: list[ProposalFacts],
    period: Period,
    key: Callable[[ProposalFacts], int | None],
) -> dict[int | None, Row]:
    rows: dict[int | None, Row] = {}
    # Companies (and, for commitments, investors) behind each cell.
    behind: dict[tuple[int | None, str], set[int]] = defaultdict(set)
    investors: dict[int | None, set[int]] = defaultdict(set)

    def add(proposal: ProposalFacts, column: str, value: float) -> None:
        k = key(proposal)
        row = rows.setdefault(k, Row(k))
        row.cells[column].value += value
        behind[k, column].add(proposal.company_id)

    for p in cohort:
        add(p, "proposals", 1)
        add(p, "sought", p.ask)
        add(p, "jobs_now", p.jobs_now)
        add(p, "jobs_in_3_years", p.jobs_in_3_years)
    for c in facts.commitments:
        proposal = facts.proposals.get(c.proposal_id)
        if proposal is None or not period.holds(c.created_at):
            continue
        if c.withdrawn_at is not None and c.withdrawn_at < period.ends_at:
            continue
        add(proposal, "committed", c.amount)
        investors[key(proposal)].add(c.investor_id)
    funded_by_end: set[int] = set()
    for f in facts.fundings:
        proposal = facts.proposals.get(f.proposal_id)
        if proposal is None or f.funded_on > period.end:
            continue
        funded_by_end.add(f.proposal_id)
        if period.holds_day(f.funded_on):
            add(proposal, "raised", f.raised)
    latest: dict[int, tuple[object, float]] = {}
    for r in facts.reports:
        if r.proposal_id in funded_by_end and r.as_of <= period.end:
            best = latest.get(r.proposal_id)
            if best is None or r.as_of >= best[0]:  # type: ignore[operator]
                latest[r.proposal_id] = (r.as_of, r.employees)
    for proposal_id, (_as_of, employees) in latest.items():
        add(facts.proposals[proposal_id], "jobs_reported", employees)

    for (k, column), companies in behind.items():
        count = len(companies)
        if column == "committed":
            # An investor's amount is as recognisable as a company's.
            count = min(count, len(investors[k]))
        rows[k].cells[column].count = count
    return rows


def _investors(facts: Facts, period: Period) -> Investors:
    approved, new, active = set(), set(), set()
    for investor_id, decisions in facts.investor_decisions.items():
        before_end = [(at, s) for at, s in decisions if at < period.ends_at]
        if not before_end or before_end[-1][1] is not InvestorStatus.APPROVED:
            continue
        approved.add(investor_id)
        first_approval = next(at for at, s in before_end if s is InvestorStatus.APPROVED)
        if period.holds(first_approval):
            new.add(investor_id)
        if any(period.holds(at) for at in facts.investor_activity.get(investor_id, ())):
            active.add(investor_id)
    return Investors(*(Cell(len(s), len(s)) for s in (approved, new, active)))


def _service(cohort: Iterable[ProposalFacts], end: datetime) -> Service:
    days: list[float] = []
    within = due = 0
    limit = timedelta(days=ANSWER_DAYS)
    for p in cohort:
        submitted = p.first_submitted_at
        if submitted is None:  # not in a cohort: it was submitted
            continue
        decided = p.decided_at()
        if decided is not None and decided < end:
            waited = decided - submitted
            days.append(waited / timedelta(days=1))
            due += 1
            within += waited <= limit
        elif end - submitted > limit:
            due += 1  # 30 days passed without an answer
    return Service(
        answered=len(days),
        median_days=statistics.median(days) if days else None,
        within=within,
        due=due,
    )


def _large(facts: Facts, period: Period) -> list[ProposalFacts]:
    """Larger initiatives submitted by the period's end and not stopped by then."""
    end = period.ends_at
    out = []
    for p in facts.proposals.values():
        if p.jobs_in_3_years < LARGE_INITIATIVE_JOBS or p.first_submitted_at is None:
            continue
        if p.first_submitted_at >= end:
            continue
        status = p.status_at(end)
        if status in STOPS and not period.holds(p.first_submitted_at):
            continue  # stopped before this period's cohort
        out.append(p)
    out.sort(key=lambda p: (-p.jobs_in_3_years, p.title, p.id))
    return out


def _companies(proposals: Iterable[ProposalFacts]) -> int:
    return len({p.company_id for p in proposals})
