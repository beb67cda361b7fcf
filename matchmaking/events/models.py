"""Springbrett sessions: the event, its quotas, attendees and candidates."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
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


class InvitationStatus(enum.StrEnum):
    """A founder's answer to the invitation to pitch (sent when the line-up is published)."""

    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class RequestSide(enum.StrEnum):
    """Who asked for a 1:1 meeting: the investor, or the founder of the company."""

    INVESTOR = "investor"
    FOUNDER = "founder"


class MeetingSource(enum.StrEnum):
    ENGINE = "engine"
    MANUAL = "manual"


class MeetingOutcome(enum.StrEnum):
    FOLLOW_UP = "follow_up"
    NO_FOLLOW_UP = "no_follow_up"


#: The longest note on a meeting's outcome, in characters: the outcome form and
#: :func:`matchmaking.events.agenda.outcomes.record_outcome` both hold to it.
OUTCOME_NOTE_MAX = 2000


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
    #: How much the screening score weighs in the line-up: a candidate's bonus is
    #: ``screening_weight * (weighted mean - 1) / 4`` (0 for an unscored one).
    screening_weight: Mapped[float] = mapped_column(Float, default=1.0)
    #: The last engine line-up run (None before the first).
    lineup_run_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lineup_value: Mapped[float | None] = mapped_column(Float)
    lineup_bound: Mapped[float | None] = mapped_column(Float)
    lineup_optimal: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When the line-up was (last) published: founders were invited then.
    lineup_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The 1:1 meetings: the least each pitching company gets, and the last engine run.
    min_meetings: Mapped[int] = mapped_column(Integer, default=0)
    schedule_built_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    schedule_value: Mapped[float | None] = mapped_column(Float)
    schedule_bound: Mapped[float | None] = mapped_column(Float)
    schedule_optimal: Mapped[bool] = mapped_column(Boolean, default=False)
    #: True once a meeting was moved or removed by hand after the last engine run.
    schedule_edited: Mapped[bool] = mapped_column(Boolean, default=False)
    #: When agendas were sent to the participants (None: not yet).
    agendas_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the schedule last changed (built, or a meeting added, moved or removed):
    #: agendas sent before it are out of date.
    schedule_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: The reply deadline of the pitch invitations, set by the organiser on publishing.
    reply_by: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When approved investors were told the session is published, and that
    #: meeting choices are open (each once).
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    choices_announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
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
    meeting_requests: Mapped[list[MeetingRequest]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="MeetingRequest.id"
    )
    unavailable_slots: Mapped[list[UnavailableSlot]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="UnavailableSlot.id"
    )
    meetings: Mapped[list[Meeting]] = relationship(
        back_populates="event",
        cascade="all, delete-orphan",
        order_by="(Meeting.slot, Meeting.investor_id, Meeting.proposal_id)",
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
    #: Organiser choices for the next engine run.
    pinned: Mapped[bool] = mapped_column(Boolean, default=False)
    excluded: Mapped[bool] = mapped_column(Boolean, default=False)
    #: Place in the last engine line-up (0 = largest marginal contribution); None = not in it.
    lineup_position: Mapped[int | None] = mapped_column(Integer)
    #: The founder's invitation to pitch; None until the line-up holding it is published.
    invitation: Mapped[InvitationStatus | None] = mapped_column(str_enum(InvitationStatus, 16))
    invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: Why the founder declined (optional; organisers see it).
    decline_reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    #: When the reply-deadline reminder went out (the command sends it once).
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: When the founder was told a published line-up left the company out.
    left_out_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship(back_populates="candidates")
    proposal: Mapped[Proposal] = relationship()

    @property
    def holds_invitation(self) -> bool:
        """Invited by a published line-up (or accepted) and not declined."""
        return self.invitation in (InvitationStatus.INVITED, InvitationStatus.ACCEPTED)

    @property
    def pitching(self) -> bool:
        """The one rule for "this company pitches": in the published programme
        (invited or accepted, not declined) and the proposal still standing
        (accepted, pitched or in dialogue; once the session has started, also
        funded), defined in :mod:`matchmaking.events.programme`. The programme,
        the agendas, the meeting choices and the schedule all follow it."""
        from matchmaking.events.programme import keeps_pitching

        return keeps_pitching(self)


class MeetingRequest(db.Model):  # type: ignore[name-defined,misc]
    """One side asks to meet the other at a session: investor <-> pitching company."""

    __tablename__ = "event_meeting_request"
    __table_args__ = (UniqueConstraint("event_id", "investor_id", "proposal_id", "side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    investor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    side: Mapped[RequestSide] = mapped_column(str_enum(RequestSide, 16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    event: Mapped[Event] = relationship(back_populates="meeting_requests")
    investor: Mapped[User] = relationship()
    proposal: Mapped[Proposal] = relationship()


class UnavailableSlot(db.Model):  # type: ignore[name-defined,misc]
    """A meeting slot someone cannot attend: an investor (user) or a pitching company (proposal)."""

    __tablename__ = "event_unavailable_slot"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id", "proposal_id", "slot"),
        CheckConstraint("(user_id IS NULL) <> (proposal_id IS NULL)", name="one_participant"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposal.id"), index=True)
    slot: Mapped[int] = mapped_column(Integer)

    event: Mapped[Event] = relationship(back_populates="unavailable_slots")


class Meeting(db.Model):  # type: ignore[name-defined,misc]
    """A 1:1 meeting in the schedule. Nobody is in two meetings in one slot, and a
    pair meets at most once: the unique constraints hold that even for hand edits."""

    __tablename__ = "event_meeting"
    __table_args__ = (
        UniqueConstraint("event_id", "investor_id", "proposal_id", name="pair"),
        UniqueConstraint("event_id", "investor_id", "slot", name="investor_slot"),
        UniqueConstraint("event_id", "proposal_id", "slot", name="company_slot"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id"), index=True)
    investor_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposal.id"), index=True)
    slot: Mapped[int] = mapped_column(Integer)
    #: The affinity the engine used for this pair when the schedule was built.
    affinity: Mapped[float] = mapped_column(Float, default=0.0)
    source: Mapped[MeetingSource] = mapped_column(
        str_enum(MeetingSource, 16), default=MeetingSource.ENGINE
    )
    outcome: Mapped[MeetingOutcome | None] = mapped_column(str_enum(MeetingOutcome, 16))
    outcome_note: Mapped[str] = mapped_column(Text, default="")
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    outcome_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    event: Mapped[Event] = relationship(back_populates="meetings")
    investor: Mapped[User] = relationship(foreign_keys=[investor_id])
    proposal: Mapped[Proposal] = relationship()
    outcome_by: Mapped[User | None] = relationship(foreign_keys=[outcome_by_id])
