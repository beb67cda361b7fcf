"""Stored match scores and an investor's choices on a match."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, Float, ForeignKey, Index, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaking.accounts.models import User
from matchmaking.extensions import UTCDateTime, db, str_enum, utcnow
from matchmaking.proposals.models import Proposal


class MatchScore(db.Model):  # type: ignore[name-defined,misc]
    """The engine's score for one approved investor and one submitted proposal.

    Stored, not computed per page view; ``reasons`` is the engine's
    per-feature contribution as JSON text (they add up to ``score``).
    ``first_seen_at`` is when the pair first became a match (for digests).
    """

    __tablename__ = "match_score"
    __table_args__ = (Index("ix_match_score_investor_score", "investor_id", "score"),)

    investor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id"), primary_key=True, index=True
    )
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[Proposal] = relationship()


class NotInterestedReason(enum.StrEnum):
    SECTOR = "sector"
    STAGE = "stage"
    TICKET = "ticket"
    GEOGRAPHY = "geography"
    TEAM = "team"
    MARKET = "market"
    TIMING = "timing"
    OTHER = "other"


class MatchChoice(db.Model):  # type: ignore[name-defined,misc]
    """What an investor said about a proposal: saved, or not interested (and why)."""

    __tablename__ = "match_choice"
    __table_args__ = (UniqueConstraint("investor_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    investor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    saved: Mapped[bool] = mapped_column(Boolean, default=False)
    not_interested: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[NotInterestedReason | None] = mapped_column(str_enum(NotInterestedReason, 24))
    reason_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    proposal: Mapped[Proposal] = relationship()
    investor: Mapped[User] = relationship()
