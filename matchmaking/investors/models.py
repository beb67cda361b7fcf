"""An investor's interest profile and the organisers' approval decisions."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaking.accounts.models import InvestorStatus, User
from matchmaking.extensions import UTCDateTime, db, str_enum, utcnow
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject


class DigestFrequency(enum.StrEnum):
    NEVER = "never"
    WEEKLY = "weekly"
    DAILY = "daily"


def _link(name: str, other: str) -> Table:
    return Table(
        f"investor_{name}",
        db.metadata,
        Column(
            "profile_id", ForeignKey("investor_profile.id", ondelete="CASCADE"), primary_key=True
        ),
        Column(f"{name}_id", ForeignKey(f"{other}.id"), primary_key=True),
    )


investor_sector = _link("sector", "sector")
investor_stage = _link("stage", "stage")
investor_municipality = _link("municipality", "municipality")
investor_region = _link("region", "region")
investor_subproject = _link("subproject", "subproject")


class InvestorProfile(db.Model):  # type: ignore[name-defined,misc]
    """What an investor looks for. Empty lists mean "no preference"."""

    __tablename__ = "investor_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str | None] = mapped_column(String(160))
    ticket_min: Mapped[int] = mapped_column(BigInteger, default=0)
    ticket_max: Mapped[int] = mapped_column(BigInteger, default=0)
    thesis: Mapped[str] = mapped_column(Text, default="")
    co_invest: Mapped[bool] = mapped_column(Boolean, default=False)
    digest_frequency: Mapped[DigestFrequency] = mapped_column(
        str_enum(DigestFrequency, 20), default=DigestFrequency.WEEKLY
    )
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    sectors: Mapped[list[Sector]] = relationship(secondary=investor_sector)
    stages: Mapped[list[Stage]] = relationship(secondary=investor_stage)
    municipalities: Mapped[list[Municipality]] = relationship(secondary=investor_municipality)
    regions: Mapped[list[Region]] = relationship(secondary=investor_region)
    subprojects: Mapped[list[Subproject]] = relationship(secondary=investor_subproject)


class InvestorDecision(db.Model):  # type: ignore[name-defined,misc]
    """An organiser's approval or rejection of an investor, with the reason sent."""

    __tablename__ = "investor_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    investor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    status: Mapped[InvestorStatus] = mapped_column(str_enum(InvestorStatus, 20))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    investor: Mapped[User] = relationship(foreign_keys=[investor_id])
    decided_by: Mapped[User] = relationship(foreign_keys=[decided_by_id])


class DigestSent(db.Model):  # type: ignore[name-defined,misc]
    """A proposal already told to an investor in a digest: never told twice,
    even when it leaves their best matches and comes back (its match row is
    then new, with a new ``first_seen_at``)."""

    __tablename__ = "digest_sent"

    investor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposal.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
