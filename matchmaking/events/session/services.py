"""Rules for Springbrett sessions. Functions flush, never commit."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select, update

from matchmaking.accounts.models import User
from matchmaking.dates import clock
from matchmaking.events import notifications
from matchmaking.events.errors import EventError
from matchmaking.events.models import (
    CandidateSource,
    Event,
    EventAttendee,
    EventCandidate,
    EventStatus,
    EventSubprojectMinimum,
)
from matchmaking.events.programme import exists_in_oslo, oslo_to_utc
from matchmaking.events.versioning import check_version, claim, lock
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.models import Proposal
from matchmaking.reference.models import Subproject

MAX_PITCH_SLOTS = 50
MAX_MEETING_SLOTS = 40
MAX_MINUTES = 240
MAX_CAPACITY = 1000


@dataclass
class EventData:
    title: str
    day: date
    start: time
    venue: str
    municipality_id: int
    pitch_slots: int
    minutes_per_pitch: int
    meeting_slots: int
    meeting_minutes: int
    meetings_start: time
    capacity: int
    max_per_municipality: int | None = None
    minimums: dict[int, int] = field(default_factory=dict)

    @property
    def starts_at(self) -> datetime:
        return oslo_to_utc(self.day, self.start)

    @property
    def meetings_start_at(self) -> datetime:
        return oslo_to_utc(self.day, self.meetings_start)


def check_event(data: EventData, now: datetime | None = None) -> dict[str, str]:
    """Every broken rule, as ``{field name: message}``; empty when all is well."""
    now = now or utcnow()
    errors: dict[str, str] = {}
    skipped = str(_l("That time does not exist in Norway on this day (the clocks go forward)."))
    if not exists_in_oslo(data.day, data.start):
        errors["start"] = skipped
    if not exists_in_oslo(data.day, data.meetings_start):
        errors["meetings_start"] = skipped
    if data.starts_at <= now:
        errors["day"] = str(_l("The session must start in the future."))
    limits = {
        "pitch_slots": MAX_PITCH_SLOTS,
        "minutes_per_pitch": MAX_MINUTES,
        "meeting_slots": MAX_MEETING_SLOTS,
        "meeting_minutes": MAX_MINUTES,
        "capacity": MAX_CAPACITY,
    }
    for name, limit in limits.items():
        value = getattr(data, name)
        if value < 1 or value > limit:
            errors[name] = str(_l("Enter a whole number from 1 to %(max)d.", max=limit))
    mpm = data.max_per_municipality
    if mpm is not None and (mpm < 1 or mpm > MAX_PITCH_SLOTS):
        errors["max_per_municipality"] = str(
            _l("Enter a whole number from 1 to %(max)d, or leave it empty.", max=MAX_PITCH_SLOTS)
        )
    if any(m < 0 for m in data.minimums.values()):
        errors["minimums"] = str(_l("A minimum cannot be negative."))
    elif "pitch_slots" not in errors and sum(data.minimums.values()) > data.pitch_slots:
        names = {
            s.id: s.name
            for s in db.session.scalars(
                select(Subproject).where(Subproject.id.in_(list(data.minimums)))
            )
        }
        asked = ", ".join(
            f"{names.get(sid, sid)}: {m}" for sid, m in sorted(data.minimums.items()) if m
        )
        errors["minimums"] = str(
            _l(
                "These quotas cannot be met: the minimums add up to %(total)d"
                " but there are only %(slots)d pitch slots (%(asked)s).",
                total=sum(data.minimums.values()),
                slots=data.pitch_slots,
                asked=asked,
            )
        )
    if not {"pitch_slots", "minutes_per_pitch", "start", "meetings_start"} & errors.keys():
        pitches_end = data.starts_at + timedelta(minutes=data.pitch_slots * data.minutes_per_pitch)
        if data.meetings_start_at < pitches_end:
            errors["meetings_start"] = str(
                _l(
                    "The 1:1 meetings cannot start before the pitches end (%(end)s).",
                    end=clock(pitches_end),
                )
            )
    return errors


def _apply(event: Event, data: EventData) -> None:
    event.title = data.title
    event.starts_at = data.starts_at
    event.venue = data.venue
    event.municipality_id = data.municipality_id
    event.pitch_slots = data.pitch_slots
    event.minutes_per_pitch = data.minutes_per_pitch
    event.meeting_slots = data.meeting_slots
    event.meeting_minutes = data.meeting_minutes
    event.meetings_start_at = data.meetings_start_at
    event.capacity = data.capacity
    event.max_per_municipality = data.max_per_municipality
    current = {m.subproject_id: m for m in event.minimums}
    for sid, minimum in data.minimums.items():
        if minimum:
            if sid in current:
                current[sid].minimum = minimum
            else:
                event.minimums.append(EventSubprojectMinimum(subproject_id=sid, minimum=minimum))
        elif sid in current:
            event.minimums.remove(current[sid])


def create_event(data: EventData, by: User, now: datetime | None = None) -> Event:
    errors = check_event(data, now)
    if errors:
        name, message = next(iter(errors.items()))
        raise EventError(message, name)
    event = Event(created_by_id=by.id, status=EventStatus.DRAFT, version=1)
    _apply(event, data)
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event: Event, data: EventData, version: int, now: datetime | None = None) -> Event:
    """Save changes unless someone else saved first (``version`` is stale).

    The version is checked and bumped in one conditional UPDATE (``... WHERE
    version = :seen``), so of two organisers saving at the same moment the
    second is refused even when both read the same version: on PostgreSQL
    the second UPDATE waits for the first to commit and then matches no row.
    """
    check_version(event, version)
    errors = check_event(data, now)
    if errors:
        name, message = next(iter(errors.items()))
        raise EventError(message, name)
    claim(event, version)
    _apply(event, data)
    db.session.flush()
    return event


def publish(event: Event, now: datetime | None = None) -> None:
    """Publish a draft session; approved, active investors are told once
    (``Event.announced_at``), with the link to sign up."""
    if event.is_published:
        raise EventError(str(_l("This session is already published.")))
    event.status = EventStatus.PUBLISHED
    # version + 1 in SQL: a save committed meanwhile keeps its own bump.
    db.session.execute(
        update(Event).where(Event.id == event.id).values(version=Event.version + 1),
        execution_options={"synchronize_session": "fetch"},
    )
    now = now or utcnow()
    if event.announced_at is None and event.starts_at > now:
        event.announced_at = now
        db.session.flush()
        notifications.session_announced(event)
    db.session.flush()


def _attendee(event: Event, user: User) -> EventAttendee | None:
    return next((a for a in event.attendees if a.user_id == user.id), None)


def is_signed_up(event: Event, user: User) -> bool:
    return _attendee(event, user) is not None


def sign_up(event: Event, user: User) -> EventAttendee:
    if not user.is_approved_investor:
        raise EventError(str(_l("Only approved investors can sign up.")))
    lock(event, "attendees")
    if not event.is_published:
        raise EventError(str(_l("This session is not open for sign-up.")))
    if _attendee(event, user) is not None:
        raise EventError(str(_l("You are already signed up.")))
    if len(event.attendees) >= event.capacity:
        raise EventError(str(_l("Sorry, this session is full.")))
    attendee = EventAttendee(user_id=user.id)
    event.attendees.append(attendee)
    db.session.flush()
    return attendee


def cancel(event: Event, user: User) -> None:
    lock(event, "attendees")
    attendee = _attendee(event, user)
    if attendee is None:
        raise EventError(str(_l("You are not signed up.")))
    event.attendees.remove(attendee)
    db.session.flush()


def _add_candidate(event: Event, proposal: Proposal, source: CandidateSource) -> EventCandidate:
    from matchmaking.proposals.lifecycle import MAY_APPLY

    if proposal.status not in MAY_APPLY:
        raise EventError(str(_l("Only accepted proposals can pitch at a session.")), "proposal")
    lock(event, "candidates")
    if any(c.proposal_id == proposal.id for c in event.candidates):
        raise EventError(str(_l("That proposal is already a candidate.")), "proposal")
    candidate = EventCandidate(proposal_id=proposal.id, source=source)
    event.candidates.append(candidate)
    db.session.flush()
    return candidate


def apply(event: Event, proposal: Proposal, founder: User) -> EventCandidate:
    """A founder applies with one of their own accepted proposals."""
    if not event.is_published or proposal.owner_id != founder.id:
        raise EventError(str(_l("Choose one of your accepted proposals.")), "proposal")
    return _add_candidate(event, proposal, CandidateSource.APPLIED)


def nominate(event: Event, proposal: Proposal) -> EventCandidate:
    return _add_candidate(event, proposal, CandidateSource.NOMINATED)


def remove_candidate(candidate: EventCandidate) -> None:
    """Take a candidate off the list. Refused while its founder is invited or
    has accepted: the founder must be told, which publishing a line-up
    without it does (see :mod:`matchmaking.events.lineup.services`). A second click on
    a candidate already taken off is told so."""
    event = candidate.event
    lock(event, "candidates")
    if candidate not in event.candidates:
        raise EventError(str(_l("That candidate was already removed.")))
    db.session.refresh(candidate)
    if candidate.pitching:
        raise EventError(
            str(
                _l(
                    "“%(title)s” is invited to pitch. Exclude it on the line-up page and "
                    "publish again, so that the founder is told.",
                    title=candidate.proposal.title,
                )
            )
        )
    event.candidates.remove(candidate)
    db.session.flush()


def accepted_proposals(owner: User | None = None, exclude: Event | None = None) -> list[Proposal]:
    """Accepted proposals (a founder's own when ``owner``), minus an event's candidates."""
    from matchmaking.proposals.lifecycle import MAY_APPLY
    from matchmaking.proposals.models import Company

    query = select(Proposal).where(Proposal.status.in_(MAY_APPLY))
    if owner is not None:
        query = query.join(Company).where(Company.owner_id == owner.id)
    rows = list(db.session.scalars(query.order_by(Proposal.title)))
    if exclude is not None:
        taken = {c.proposal_id for c in exclude.candidates}
        rows = [p for p in rows if p.id not in taken]
    return rows
