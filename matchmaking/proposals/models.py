"""Companies, their proposals, pitch decks and the proposal timeline."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaking.accounts.models import User
from matchmaking.extensions import UTCDateTime, db, str_enum, utcnow
from matchmaking.reference.models import Municipality, Sector, Stage, Subproject


class Status(enum.StrEnum):
    """A proposal's place in its lifecycle (see ``services.TRANSITIONS``)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_SCREENING = "in_screening"
    CHANGES_REQUESTED = "changes_requested"
    RESUBMITTED = "resubmitted"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    PITCHED = "pitched"
    IN_DIALOGUE = "in_dialogue"
    FUNDED = "funded"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"


class Instrument(enum.StrEnum):
    EQUITY = "equity"
    CONVERTIBLE = "convertible"
    LOAN = "loan"
    OTHER = "other"


class Company(db.Model):  # type: ignore[name-defined,misc]
    """An entrepreneur's company; it can have several proposals over time."""

    __tablename__ = "company"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    name: Mapped[str] = mapped_column(String(160))
    org_number: Mapped[str | None] = mapped_column(String(9), unique=True)
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    website: Mapped[str | None] = mapped_column(String(300))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    owner: Mapped[User] = relationship()
    municipality: Mapped[Municipality] = relationship()
    team: Mapped[list[TeamMember]] = relationship(
        back_populates="company", order_by="TeamMember.position", cascade="all, delete-orphan"
    )
    proposals: Mapped[list[Proposal]] = relationship(back_populates="company")


class TeamMember(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "team_member"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(120))
    background: Mapped[str] = mapped_column(String(500), default="")

    company: Mapped[Company] = relationship(back_populates="team")


class Proposal(db.Model):  # type: ignore[name-defined,misc]
    """A business proposal. ``teaser`` is public to logged-in users; the rest,
    and the deck, only to approved investors and organisers once submitted."""

    __tablename__ = "proposal"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    teaser: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    sector_id: Mapped[int] = mapped_column(ForeignKey("sector.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"))
    subproject_id: Mapped[int | None] = mapped_column(ForeignKey("subproject.id"))
    ask: Mapped[int] = mapped_column(BigInteger)
    min_ticket: Mapped[int] = mapped_column(BigInteger)
    instrument: Mapped[Instrument] = mapped_column(str_enum(Instrument, 24))
    pre_money: Mapped[int | None] = mapped_column(BigInteger)
    use_of_funds: Mapped[str] = mapped_column(Text, default="")
    jobs_now: Mapped[int] = mapped_column(Integer, default=0)
    jobs_in_3_years: Mapped[int] = mapped_column(Integer, default=0)
    traction: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[Status] = mapped_column(str_enum(Status, 24), default=Status.DRAFT, index=True)
    # The deck: stored under DECK_DIR by a random name, never in static/.
    deck_file: Mapped[str | None] = mapped_column(String(64))
    deck_name: Mapped[str | None] = mapped_column(String(200))
    deck_size: Mapped[int | None] = mapped_column(Integer)
    deck_uploaded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Decisions: whether a declined founder sees the reviewers' comments.
    share_review_comments: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    company: Mapped[Company] = relationship(back_populates="proposals")
    sector: Mapped[Sector] = relationship()
    stage: Mapped[Stage] = relationship()
    subproject: Mapped[Subproject | None] = relationship()
    events: Mapped[list[ProposalEvent]] = relationship(
        back_populates="proposal", order_by="ProposalEvent.at", cascade="all, delete-orphan"
    )

    @property
    def owner_id(self) -> int:
        return self.company.owner_id


class ProposalEvent(db.Model):  # type: ignore[name-defined,misc]
    """One step of the timeline: who moved the proposal, when, and why."""

    __tablename__ = "proposal_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    from_status: Mapped[Status | None] = mapped_column(str_enum(Status, 24))
    to_status: Mapped[Status] = mapped_column(str_enum(Status, 24))
    comment: Mapped[str] = mapped_column(Text, default="")

    proposal: Mapped[Proposal] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()
