"""What an investor has put on the table: their soft commitments and, from
funded rounds, their investments (the investor's "Portfolio" page, the line on
their home, and whether a proposal offers "Register" or "Change" a commitment).

Read-only: nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from matchmaking.accounts.models import User
from matchmaking.dates import oslo_today
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.models import Instrument, Proposal
from matchmaking.rounds.access import may_see_round
from matchmaking.rounds.models import Commitment, Investment, Round, RoundState

INSTRUMENT_LABELS = {
    Instrument.EQUITY: _l("Equity"),
    Instrument.CONVERTIBLE: _l("Convertible loan"),
    Instrument.LOAN: _l("Loan"),
    Instrument.OTHER: _l("Other"),
}

ROUND_STATE_LABELS = {
    RoundState.OPEN: _l("Open"),
    RoundState.FUNDED: _l("Funded"),
    RoundState.NOT_FUNDED: _l("Closed without funding"),
}


def instrument_label(instrument: Instrument) -> str:
    return str(INSTRUMENT_LABELS[instrument])


def round_state_label(state: RoundState) -> str:
    return str(ROUND_STATE_LABELS[state])


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    #: Whether the investor may still open the round's page (a proposal later
    #: closed or withdrawn is hidden from investors: its title is shown unlinked).
    linked: bool
    #: What the investor put into the round at its funded close (None: nothing
    #: recorded for them, or the round is not funded).
    invested: int | None = None

    @property
    def round(self) -> Round:
        return self.commitment.round

    @property
    def round_day(self) -> date | None:
        """The day that dates the round: while open, its planned closing date
        (None: none set); once funded, the date of the funding; closed
        without funding, the day (in Oslo) its outcome was recorded."""
        return round_day(self.round)

    @property
    def proposal(self) -> Proposal:
        return self.commitment.round.proposal


@dataclass(frozen=True)
class InvestmentRow:
    investment: Investment
    linked: bool

    @property
    def round(self) -> Round:
        return self.investment.round

    @property
    def proposal(self) -> Proposal:
        return self.investment.round.proposal


@dataclass(frozen=True)
class Portfolio:
    """An investor's commitments (active ones first: open rounds, then closed;
    withdrawn ones last, marked) and their investments from funded rounds."""

    commitments: list[CommitmentRow]
    investments: list[InvestmentRow]

    @property
    def open_commitments(self) -> list[Commitment]:
        """Active commitments in rounds still open: what the investor has indicated now."""
        return [
            r.commitment for r in self.commitments if r.commitment.is_active and r.round.is_open
        ]

    @property
    def open_total(self) -> int:
        return sum(c.amount for c in self.open_commitments)

    @property
    def invested_total(self) -> int:
        return sum(r.investment.amount for r in self.investments)


def round_day(round_: Round) -> date | None:
    """The planned closing date of an open round; the funded date of a funded
    one; the day a round closed without funding was closed (Oslo's calendar)."""
    if round_.state is RoundState.OPEN:
        return round_.closes_on
    if round_.state is RoundState.FUNDED and round_.funded_on is not None:
        return round_.funded_on
    return oslo_today(round_.closed_at) if round_.closed_at is not None else None


def portfolio_of(investor: User) -> Portfolio:
    """Every commitment ``investor`` made (also withdrawn ones) and every
    investment recorded for them in a funded round."""
    commitments = list(
        db.session.scalars(
            select(Commitment)
            .where(Commitment.investor_id == investor.id)
            .options(selectinload(Commitment.round).selectinload(Round.proposal))
        )
    )
    commitments.sort(
        key=lambda c: (
            not c.is_active,
            not c.round.is_open,
            -(c.updated_at.timestamp()),
            c.id,
        )
    )
    investments = list(
        db.session.scalars(
            select(Investment)
            .join(Round, Round.id == Investment.round_id)
            .where(Investment.investor_id == investor.id, Round.state == RoundState.FUNDED)
            .options(selectinload(Investment.round).selectinload(Round.proposal))
            .order_by(Round.funded_on.desc(), Investment.id)
        )
    )
    invested: dict[int, int] = {}
    for i in investments:
        invested[i.round_id] = invested.get(i.round_id, 0) + i.amount
    return Portfolio(
        commitments=[
            CommitmentRow(c, may_see_round(investor, c.round.proposal), invested.get(c.round_id))
            for c in commitments
        ],
        investments=[
            InvestmentRow(i, may_see_round(investor, i.round.proposal)) for i in investments
        ],
    )


@dataclass(frozen=True)
class OpenCommitments:
    """The investor's active commitments in open rounds: how many, and their sum."""

    count: int
    total: int


def open_commitments(investor: User) -> OpenCommitments:
    amounts = list(
        db.session.scalars(
            select(Commitment.amount)
            .join(Round, Round.id == Commitment.round_id)
            .where(
                Commitment.investor_id == investor.id,
                Commitment.withdrawn_at.is_(None),
                Round.state == RoundState.OPEN,
            )
        )
    )
    return OpenCommitments(count=len(amounts), total=sum(amounts))


def committed_proposal_ids(investor: User) -> set[int]:
    """The proposals whose open round holds an active commitment of ``investor``."""
    return set(
        db.session.scalars(
            select(Round.proposal_id)
            .join(Commitment, Commitment.round_id == Round.id)
            .where(
                Commitment.investor_id == investor.id,
                Commitment.withdrawn_at.is_(None),
                Round.state == RoundState.OPEN,
            )
        )
    )


def closed_round_proposal_ids() -> set[int]:
    """The proposals whose rounds have all closed (none is open): their
    commitments can no longer be registered or changed."""
    open_ids = select(Round.proposal_id).where(Round.state == RoundState.OPEN)
    return set(
        db.session.scalars(select(Round.proposal_id).where(Round.proposal_id.not_in(open_ids)))
    )
