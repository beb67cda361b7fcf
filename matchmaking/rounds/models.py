"""A proposal's funding round, the investors' soft commitments, and the close.

A round belongs to one proposal; at most one round per proposal is open at a
time (a partial unique index). Investors commit an indicative amount while
it is open; at the close the founder or organisers record what was raised,
by whom (``Investment``: members of the network and investors outside it),
or why the round closed without funding. Amounts are whole kroner.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaking.accounts.models import User
from matchmaking.extensions import UTCDateTime, db, str_enum, utcnow
from matchmaking.proposals.models import Instrument, Proposal


class RoundState(enum.StrEnum):
    OPEN = "open"
    FUNDED = "funded"
    NOT_FUNDED = "not_funded"


class CloseReason(enum.StrEnum):
    """Why a round closed without funding (a short list; words may add to it)."""

    TOO_LITTLE_INTEREST = "too_little_interest"
    TERMS_NOT_AGREED = "terms_not_agreed"
    OTHER_FUNDING = "other_funding"
    COMPANY_STOPPED = "company_stopped"
    POSTPONED = "postponed"
    OTHER = "other"


class Round(db.Model):  # type: ignore[name-defined,misc]
    """One funding round of a proposal."""

    __tablename__ = "funding_round"
    __table_args__ = (
        # One open round per proposal at a time (both databases honour the WHERE).
        Index(
            "uq_funding_round_one_open",
            "proposal_id",
            unique=True,
            sqlite_where=text("state = 'open'"),
            postgresql_where=text("state = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    state: Mapped[RoundState] = mapped_column(str_enum(RoundState, 16), default=RoundState.OPEN)
    # The terms: prefilled from the proposal when the round opens.
    target: Mapped[int] = mapped_column(BigInteger)
    min_ticket: Mapped[int] = mapped_column(BigInteger)
    instrument: Mapped[Instrument] = mapped_column(str_enum(Instrument, 24))
    closes_on: Mapped[date | None] = mapped_column(Date)
    # Whether approved investors who may see the proposal see the total and count.
    totals_visible: Mapped[bool] = mapped_column(Boolean, default=False)
    # The lead: chosen by organisers among those who offered to lead; the
    # founder's agreement is recorded apart (who and when).
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    lead_chosen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lead_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lead_agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # Optimistic lock: every form that changes the round posts the version it showed.
    version: Mapped[int] = mapped_column(Integer, default=1)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # E-mails sent once each: the target reached, the closing date near.
    target_reached_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closing_reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The close.
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    raised: Mapped[int | None] = mapped_column(BigInteger)
    funded_on: Mapped[date | None] = mapped_column(Date)
    pre_money: Mapped[int | None] = mapped_column(BigInteger)
    close_reason: Mapped[CloseReason | None] = mapped_column(str_enum(CloseReason, 32))
    close_words: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship()
    lead: Mapped[User | None] = relationship(foreign_keys=[lead_id])
    lead_agreed_by: Mapped[User | None] = relationship(foreign_keys=[lead_agreed_by_id])
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
    commitments: Mapped[list[Commitment]] = relationship(
        back_populates="round", order_by="Commitment.created_at", cascade="all, delete-orphan"
    )
    investments: Mapped[list[Investment]] = relationship(
        back_populates="round", order_by="Investment.position", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.state is RoundState.OPEN


class Commitment(db.Model):  # type: ignore[name-defined,misc]
    """An investor's soft commitment: an indicative amount, not a promise.

    Withdrawing keeps the row (``withdrawn_at``) so the change shows in the
    round's history; committing again clears it. One row per investor and round.
    """

    __tablename__ = "commitment"
    __table_args__ = (UniqueConstraint("round_id", "investor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id"), index=True)
    investor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    conditions: Mapped[str] = mapped_column(Text, default="")
    would_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    # The investor decides, per commitment, whether the founder sees their name.
    named_to_founder: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[Round] = relationship(back_populates="commitments")
    investor: Mapped[User] = relationship()

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


class Investment(db.Model):  # type: ignore[name-defined,misc]
    """Who put money in at a funded close: a member of the network
    (``investor_id``) or someone outside it (``outside_name``, e.g. public
    co-funding)."""

    __tablename__ = "investment"
    __table_args__ = (
        CheckConstraint(
            "investor_id IS NOT NULL OR outside_name IS NOT NULL", name="investment_has_investor"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("funding_round.id"), index=True)
    investor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    outside_name: Mapped[str | None] = mapped_column(String(160))
    amount: Mapped[int] = mapped_column(BigInteger)
    position: Mapped[int] = mapped_column(Integer, default=0)

    round: Mapped[Round] = relationship(back_populates="investments")
    investor: Mapped[User | None] = relationship()
