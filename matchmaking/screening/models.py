"""The scoring rubric, reviews and screening settings."""

from __future__ import annotations

from datetime import datetime

from flask_babel import get_locale
from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaking.accounts.models import User
from matchmaking.extensions import UTCDateTime, db, utcnow
from matchmaking.proposals.models import Proposal


class Criterion(db.Model):  # type: ignore[name-defined,misc]
    """A rubric criterion, scored 1–5, with a weight organisers can edit."""

    __tablename__ = "criterion"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name_nb: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: What a 1 and a 5 mean for this criterion, shown beside the score.
    low_nb: Mapped[str] = mapped_column(String(200), default="", server_default="")
    low_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    high_nb: Mapped[str] = mapped_column(String(200), default="", server_default="")
    high_en: Mapped[str] = mapped_column(String(200), default="", server_default="")

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_nb

    @property
    def low(self) -> str:
        """What a score of 1 means, in the reader's language."""
        return self.low_en if _english() else self.low_nb

    @property
    def high(self) -> str:
        """What a score of 5 means, in the reader's language."""
        return self.high_en if _english() else self.high_nb


def _english() -> bool:
    locale = get_locale()
    return locale is not None and locale.language == "en"


class Review(db.Model):  # type: ignore[name-defined,misc]
    """One reviewer's review of one proposal, or their declared conflict."""

    __tablename__ = "review"
    __table_args__ = (UniqueConstraint("proposal_id", "reviewer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    conflict_of_interest: Mapped[bool] = mapped_column(Boolean, default=False)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    proposal: Mapped[Proposal] = relationship()
    reviewer: Mapped[User] = relationship()
    scores: Mapped[list[Score]] = relationship(
        back_populates="review", cascade="all, delete-orphan"
    )


class Score(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("review_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id"))
    value: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review] = relationship(back_populates="scores")
    criterion: Mapped[Criterion] = relationship()


class Setting(db.Model):  # type: ignore[name-defined,misc]
    """A named organiser setting, e.g. ``show_scores_before_own``."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
