"""Springbrett sessions: the event, its quotas, attendees and candidates."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matchmaking.accounts.models import User
from matchmaking.extensions import UTCDateTime, db, str_enum, utcnow
from matchmaking.proposals.models import Proposal
from matchmaking.reference.models import Municipality, Subproject


class EventStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class CandidateSource(enum.StrEnum):
    APPLIED = "applied"
    NOMINATED = "nominated"


class Event(db.Model):  # type: ignore[name-defined,misc]
    """A Springbrett session: pitches, then a block of 1:1 meetings."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(160))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue: Mapped[str] = mapped_column(String(200))
    municipality_id: Mapped[int] = mapped_column(ForeignKey("municipality.id"))
    pitch_slots: Mapped[int] = mapped_column(Integer)
    minutes_per_pitch: Mapped[int] = mapped_column(Integer)
    meeting_slots: Mapped[int] = mapped_column(Integer)
    meeting_minutes: Mapped[int] = mapped_column(Integer)
    meetings_start_at: Mapped[datetime] = mapped_column(UTCDateTime())
    capacity: Mapped[int] = mapped_column(Integer)
    max_per_municipality: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[EventStatus] = mapped_column(
        str_enum(EventStatus, 16), default=EventStatus.DRAFT, index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    municipality: Mapped[Municipality] = relationship()
    created_by: Mapped[User] = relationship()
    minimums: Mapped[list[EventSubprojectMinimum]] = relationship(
        back_populates="event", cascade="all, delete-orphan"
    )
    attendees: Mapped[list[EventAttendee]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventAttendee.signed_up_at"
    )
    candidates: Mapped[list[EventCandidate]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="EventCandidate.created_at"
    )

    @property
    def is_published(self) -> bool:
        return self.status is EventStatus.PUBLISHED


class EventSubprojectMinimum(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "event_subproject_minimum"
    __table_args__ = (UniqueConstraint("event_id", "subproject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    subproject_id: Mapped[int] = mapped_column(ForeignKey("subproject.id"))
    minimum: Mapped[int] = mapped_column(Integer)

    event: Mapped[Event] = relationship(back_populates="minimums")
    subproject: Mapped[Subproject] = relationship()


class EventAttendee(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "event_attendee"
    __table_args__ = (UniqueConstraint("event_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    signed_up_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship(back_populates="attendees")
    user: Mapped[User] = relationship()


class EventCandidate(db.Model):  # type: ignore[name-defined,misc]
    __tablename__ = "event_candidate"
    __table_args__ = (UniqueConstraint("event_id", "proposal_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    source: Mapped[CandidateSource] = mapped_column(str_enum(CandidateSource, 16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship(back_populates="candidates")
    proposal: Mapped[Proposal] = relationship()
