"""What the report counts, read from the database in a few bulk queries.

The report for 10,000 proposals must come in under a second, so nothing
here loads ORM objects one by one: each query returns plain rows, and
:mod:`.numbers` counts them in Python. Everything recorded up to ``until``
is read (the end of the report's period): a report of a past period says
what was known at its end, whatever happened since.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.events.models import EventAttendee
from matchmaking.extensions import db
from matchmaking.introductions.models import Introduction
from matchmaking.investors.models import InvestorDecision
from matchmaking.proposals.models import Company, Proposal, ProposalEvent, Status
from matchmaking.reference.models import Municipality
from matchmaking.results.models import ResultReport
from matchmaking.rounds.models import Commitment, Round, RoundState

S = Status

#: How far a status shows a proposal got: 0 submitted, 1 screened, 2 accepted
#: for Springbrett, 3 pitched, 4 in dialogue, 5 funded. Withdrawn and closed
#: say where it stopped, not how far it got.
RANK: dict[Status, int] = {
    S.SUBMITTED: 0,
    S.RESUBMITTED: 0,
    S.IN_SCREENING: 1,
    S.CHANGES_REQUESTED: 1,
    S.DECLINED: 1,
    S.ACCEPTED: 2,
    S.PITCHED: 3,
    S.IN_DIALOGUE: 4,
    S.FUNDED: 5,
}
#: A decision answers the founder: accepted, declined or sent back for changes.
DECISIONS = frozenset({S.ACCEPTED, S.DECLINED, S.CHANGES_REQUESTED})


@dataclass
class ProposalFacts:
    id: int
    title: str
    company_id: int
    company_name: str
    municipality_id: int
    region_id: int
    subproject_id: int | None
    sector_id: int
    stage_id: int
    ask: int
    jobs_now: int
    jobs_in_3_years: int
    #: The timeline, oldest first: (when, to which status).
    history: list[tuple[datetime, Status]] = field(default_factory=list)

    @property
    def first_submitted_at(self) -> datetime | None:
        return next((at for at, to in self.history if to is S.SUBMITTED), None)

    def status_at(self, moment: datetime) -> Status | None:
        """The status just before ``moment`` (None: not yet created or submitted)."""
        index = bisect_left([at for at, _ in self.history], moment)
        return self.history[index - 1][1] if index else None

    def reached_before(self, moment: datetime) -> int:
        """How far (:data:`RANK`) it got before ``moment``; -1: not submitted."""
        return max((RANK.get(to, -1) for at, to in self.history if at < moment), default=-1)

    def decided_at(self) -> datetime | None:
        """The first answer to the founder after the first submission."""
        first = self.first_submitted_at
        if first is None:
            return None
        return next((at for at, to in self.history if to in DECISIONS and at >= first), None)


@dataclass(frozen=True)
class CommitmentFacts:
    proposal_id: int
    investor_id: int
    amount: int
    created_at: datetime
    withdrawn_at: datetime | None


@dataclass(frozen=True)
class FundingFacts:
    proposal_id: int
    raised: int
    funded_on: date


@dataclass(frozen=True)
class ReportFacts:
    proposal_id: int
    as_of: date
    employees: float


@dataclass
class Facts:
    proposals: dict[int, ProposalFacts]
    commitments: list[CommitmentFacts]
    #: Every funded round (the numbers pick by ``funded_on``).
    fundings: list[FundingFacts]
    #: Every follow-up report, whatever its date (the report picks by ``as_of``).
    reports: list[ReportFacts]
    #: Each investor's decisions (approved, rejected ...), oldest first.
    investor_decisions: dict[int, list[tuple[datetime, InvestorStatus]]]
    #: When each investor did something: signed up for a session, committed,
    #: asked for an introduction.
    investor_activity: dict[int, list[datetime]]


def load(until: datetime) -> Facts:
    """Everything recorded before ``until`` that the report counts."""
    session = db.session
    proposals: dict[int, ProposalFacts] = {}
    rows = session.execute(
        select(
            Proposal.id,
            Proposal.title,
            Proposal.company_id,
            Company.name,
            Company.municipality_id,
            Municipality.region_id,
            Proposal.subproject_id,
            Proposal.sector_id,
            Proposal.stage_id,
            Proposal.ask,
            Proposal.jobs_now,
            Proposal.jobs_in_3_years,
        )
        .join(Company, Proposal.company_id == Company.id)
        .join(Municipality, Company.municipality_id == Municipality.id)
    )
    for row in rows:
        proposals[row[0]] = ProposalFacts(*row)  # type: ignore[call-arg]
    events = session.execute(
        select(ProposalEvent.proposal_id, ProposalEvent.at, ProposalEvent.to_status)
        .where(ProposalEvent.at < until)
        .order_by(ProposalEvent.at, ProposalEvent.id)
    )
    for proposal_id, at, to in events:
        facts = proposals.get(proposal_id)
        if facts is not None:
            facts.history.append((at, to))

    commitments = [
        CommitmentFacts(p, i, a, c, w if w is not None and w < until else None)
        for p, i, a, c, w in session.execute(
            select(
                Round.proposal_id,
                Commitment.investor_id,
                Commitment.amount,
                Commitment.created_at,
                Commitment.withdrawn_at,
            )
            .join(Round, Commitment.round_id == Round.id)
            .where(Commitment.created_at < until)
        )
    ]
    fundings = [
        FundingFacts(p, r or 0, d)
        for p, r, d in session.execute(
            select(Round.proposal_id, Round.raised, Round.funded_on).where(
                Round.state == RoundState.FUNDED,
                Round.funded_on.is_not(None),
            )
        )
        if d is not None
    ]
    reports = [
        ReportFacts(p, d, e)
        for p, d, e in session.execute(
            select(ResultReport.proposal_id, ResultReport.as_of, ResultReport.employees)
        )
    ]

    decisions: dict[int, list[tuple[datetime, InvestorStatus]]] = defaultdict(list)
    for investor_id, at, status in session.execute(
        select(InvestorDecision.investor_id, InvestorDecision.at, InvestorDecision.status)
        .join(User, InvestorDecision.investor_id == User.id)
        .where(InvestorDecision.at < until, User.role == Role.INVESTOR)
        .order_by(InvestorDecision.at, InvestorDecision.id)
    ):
        decisions[investor_id].append((at, status))
    # Investors approved without a recorded decision (accounts older than the
    # decision log, or made by an organiser): approved when the account was.
    for investor_id, created_at in session.execute(
        select(User.id, User.created_at).where(
            User.role == Role.INVESTOR,
            User.investor_status == InvestorStatus.APPROVED,
            User.created_at < until,
        )
    ):
        if investor_id not in decisions:
            decisions[investor_id].append((created_at, InvestorStatus.APPROVED))

    activity: dict[int, list[datetime]] = defaultdict(list)
    for query in (
        select(EventAttendee.user_id, EventAttendee.signed_up_at),
        select(Commitment.investor_id, Commitment.created_at),
        select(Introduction.investor_id, Introduction.created_at),
    ):
        for user_id, at in session.execute(query):
            if at < until:
                activity[user_id].append(at)

    return Facts(proposals, commitments, fundings, reports, dict(decisions), dict(activity))
