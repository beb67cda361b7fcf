"""A hand-counted programme: seven proposals, three investors, one funded round.

The report tests check its numbers against the counts written beside each
proposal here, for the period 1 January - 30 June 2026 and the one before it
(4 July - 31 December 2025).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from matchmaking.accounts.models import InvestorStatus
from matchmaking.dates import OSLO
from matchmaking.extensions import db
from matchmaking.investors.models import InvestorDecision
from matchmaking.programme.report.periods import Period
from matchmaking.proposals.models import ProposalEvent, Status
from matchmaking.results.models import ResultReport
from matchmaking.rounds.models import Commitment, Round, RoundState

PERIOD = Period(date(2026, 1, 1), date(2026, 6, 30))


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=OSLO).astimezone(UTC)


def timeline(proposal: Any, *steps: tuple[date, str]) -> None:
    previous = None
    for day, status in steps:
        db.session.add(
            ProposalEvent(
                proposal=proposal,
                at=at(day),
                from_status=previous,
                to_status=Status(status),
            )
        )
        previous = Status(status)
    if previous is not None:
        proposal.status = previous
    db.session.flush()


@dataclass
class Scenario:
    proposals: dict[str, Any]
    investors: list[Any]


def build(make_proposal: Any, make_user: Any) -> Scenario:
    p: dict[str, Any] = {}
    # A: Narvik, early-phase capital, 1 000 000 kr, jobs 2 -> 10. Answered in
    # 15 days, pitched, in dialogue, funded 1 May 2026 (1 200 000 kr raised).
    p["A"] = make_proposal(
        title="A",
        municipality="narvik",
        subproject="tidligfasekapital",
        sector="marine",
        stage="seed",
        ask=1_000_000,
        jobs_now=2,
        jobs_in_3_years=10,
    )
    timeline(
        p["A"],
        (date(2026, 1, 10), "submitted"),
        (date(2026, 1, 25), "accepted"),
        (date(2026, 2, 20), "pitched"),
        (date(2026, 3, 1), "in_dialogue"),
        (date(2026, 5, 1), "funded"),
    )
    # B: Narvik, early-phase capital, 2 000 000 kr, jobs 1 -> 5. Declined
    # after 47 days (in screening is not an answer).
    p["B"] = make_proposal(
        title="B",
        municipality="narvik",
        subproject="tidligfasekapital",
        sector="tourism",
        stage="idea",
        ask=2_000_000,
        jobs_now=1,
        jobs_in_3_years=5,
    )
    timeline(
        p["B"],
        (date(2026, 2, 1), "submitted"),
        (date(2026, 2, 5), "in_screening"),
        (date(2026, 3, 20), "declined"),
    )
    # C: Evenes, marine mapping, 3 000 000 kr, jobs 0 -> 60 (a larger
    # initiative). Accepted in 9 days, then withdrawn.
    p["C"] = make_proposal(
        title="C",
        municipality="evenes",
        subproject="marin-kartlegging",
        sector="marine",
        stage="seed",
        ask=3_000_000,
        jobs_now=0,
        jobs_in_3_years=60,
    )
    timeline(
        p["C"],
        (date(2026, 3, 1), "submitted"),
        (date(2026, 3, 10), "accepted"),
        (date(2026, 4, 1), "withdrawn"),
    )
    # D: Harstad (Sør-Troms), no sub-project, 500 000 kr, jobs 3 -> 4.
    # Submitted ten days before the end: not yet due an answer.
    p["D"] = make_proposal(
        title="D",
        municipality="harstad",
        subproject=None,
        sector="industry",
        stage="idea",
        ask=500_000,
        jobs_now=3,
        jobs_in_3_years=4,
    )
    timeline(p["D"], (date(2026, 6, 20), "submitted"))
    # G: Narvik, early-phase capital, 800 000 kr, jobs 1 -> 2. No answer in
    # 60 days.
    p["G"] = make_proposal(
        title="G",
        municipality="narvik",
        subproject="tidligfasekapital",
        sector="tourism",
        stage="seed",
        ask=800_000,
        jobs_now=1,
        jobs_in_3_years=2,
    )
    timeline(p["G"], (date(2026, 5, 1), "submitted"))
    # E: the period before: submitted, accepted, pitched in autumn 2025.
    p["E"] = make_proposal(
        title="E",
        municipality="narvik",
        subproject="tidligfasekapital",
        sector="marine",
        stage="seed",
        ask=1_500_000,
        jobs_now=4,
        jobs_in_3_years=8,
    )
    timeline(
        p["E"],
        (date(2025, 9, 1), "submitted"),
        (date(2025, 9, 20), "accepted"),
        (date(2025, 10, 10), "pitched"),
    )
    # F: a draft, never submitted: counted nowhere.
    p["F"] = make_proposal(title="F", status="draft", municipality="narvik", jobs_in_3_years=90)

    investors = [make_user("investor", approved=True) for _ in range(3)]
    # Approved: the first in 2025 (before), the other two in March 2026 (new).
    for investor, day in zip(
        investors, (date(2025, 8, 1), date(2026, 3, 2), date(2026, 3, 3)), strict=True
    ):
        investor.created_at = at(date(2025, 1, 1))
        db.session.add(
            InvestorDecision(
                investor_id=investor.id,
                decided_by_id=investor.id,
                status=InvestorStatus.APPROVED,
                at=at(day),
            )
        )
    # Rounds: A's (funded), C's (still open when C was withdrawn).
    round_a = Round(
        proposal=p["A"],
        state=RoundState.FUNDED,
        target=1_000_000,
        min_ticket=100_000,
        instrument=p["A"].instrument,
        opened_at=at(date(2026, 3, 2)),
        closed_at=at(date(2026, 5, 1)),
        funded_on=date(2026, 5, 1),
        raised=1_200_000,
    )
    round_c = Round(
        proposal=p["C"],
        state=RoundState.OPEN,
        target=3_000_000,
        min_ticket=100_000,
        instrument=p["C"].instrument,
        opened_at=at(date(2026, 3, 12)),
    )
    db.session.add_all([round_a, round_c])
    db.session.flush()
    # Commitments: 300 000 on A (investor 0, stays), 400 000 on A (investor
    # 1, withdrawn in April: not counted), 500 000 on C (investor 2).
    db.session.add_all(
        [
            Commitment(
                round_id=round_a.id,
                investor_id=investors[0].id,
                amount=300_000,
                created_at=at(date(2026, 3, 5)),
            ),
            Commitment(
                round_id=round_a.id,
                investor_id=investors[1].id,
                amount=400_000,
                created_at=at(date(2026, 3, 6)),
                withdrawn_at=at(date(2026, 4, 1)),
            ),
            Commitment(
                round_id=round_c.id,
                investor_id=investors[2].id,
                amount=500_000,
                created_at=at(date(2026, 3, 15)),
            ),
        ]
    )
    # A's follow-up reports: 4.5 employees on 1 June (counted), 6 on 15 July
    # (after the period).
    owner = p["A"].company.owner
    for day, employees in ((date(2026, 6, 1), 4.5), (date(2026, 7, 15), 6.0)):
        db.session.add(
            ResultReport(
                proposal_id=p["A"].id,
                as_of=day,
                employees=employees,
                revenue_12m=0,
                entered_by_id=owner.id,
            )
        )
    db.session.commit()
    return Scenario(p, investors)
