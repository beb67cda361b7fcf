"""An investor's request to be introduced to a proposal's founder."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaking.accounts.models import User
from matchmaking.extensions import UTCDateTime, db, str_enum, utcnow
from matchmaking.proposals.models import Proposal


class IntroductionStatus(enum.StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Introduction(db.Model):  # type: ignore[name-defined,misc]
    """An investor's request to be introduced to a proposal's founder."""

    __tablename__ = "introduction"
    __table_args__ = (UniqueConstraint("investor_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    investor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    message: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[IntroductionStatus] = mapped_column(
        str_enum(IntroductionStatus, 24), default=IntroductionStatus.REQUESTED
    )
    answer: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship()
    investor: Mapped[User] = relationship()
