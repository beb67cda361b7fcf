"""The organisers' planning of the 1:1 meetings: the minimum, building the schedule
with the engine, and the hand edits. Functions flush, never commit.

Building asks the engine's one check of the minimum first
(:func:`matchmaking.engine.check_schedule`: a company that cannot get its
minimum even alone is named, and why, without solving), then solves.
Rebuilding replaces the whole schedule, hand edits included; it is refused
once an outcome has been recorded for a meeting (that record would be lost).
Every schedule change by an organiser checks and bumps ``Event.version``
(:func:`matchmaking.events.versioning.claim`), so two organisers cannot
overwrite each other's work unknowingly; a stale post raises
:class:`~matchmaking.events.errors.StaleError`, every other refusal
:class:`~matchmaking.events.errors.EventError`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from matchmaking.engine import InfeasibleError, check_schedule, solve_schedule
from matchmaking.events.errors import EventError
from matchmaking.events.meetings.adapter import engine_input, refusal
from matchmaking.events.meetings.services import (
    investor_names,
    investors,
    is_open,
    pitching,
    slot_label,
)
from matchmaking.events.models import Event, Meeting, MeetingSource
from matchmaking.events.versioning import check_version, claim
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l

#: Seconds the engine may spend proving its schedule optimal in a web request.
DEFAULT_TIME_LIMIT = 10.0


def _edited(event: Event) -> None:
    """A hand edit: agendas sent before it are out of date."""
    event.schedule_edited = True
    event.schedule_changed_at = utcnow()
    db.session.flush()


def set_minimum(event: Event, minimum: int, version: int | str | None) -> None:
    """The least number of meetings every pitching company gets (0 .. meeting slots)."""
    check_version(event, version)
    if not 0 <= minimum <= event.meeting_slots:
        raise EventError(
            str(_l("Enter a whole number from 0 to %(max)d.", max=event.meeting_slots)),
            "min_meetings",
        )
    claim(event, version)
    event.min_meetings = minimum
    db.session.flush()


@dataclass(frozen=True)
class Built:
    """What a build did: the engine's value, bound and whether it is proven optimal."""

    meetings: int
    value: float
    bound: float
    optimal: bool


def build_schedule(
    event: Event,
    version: int | str | None,
    *,
    time_limit: float = DEFAULT_TIME_LIMIT,
    now: datetime | None = None,
) -> Built:
    """Run the engine and replace the session's meetings with its schedule.

    Raises EventError (and changes nothing) on a stale version (StaleError),
    before the line-up is published, with no investors or no pitching
    companies, once outcomes are recorded, or when the minimum cannot be met
    (the engine's words, from :func:`~.adapter.refusal`: naming the company
    and why, else saying that the minimums do not fit together).
    """
    check_version(event, version)
    if not is_open(event):
        raise EventError(str(_l("The 1:1 meetings open when the line-up is published.")))
    if any(m.outcome is not None for m in event.meetings):
        raise EventError(
            str(
                _l(
                    "Outcomes have been recorded for meetings of this session; building"
                    " again would lose them. Edit the schedule by hand instead."
                )
            )
        )
    inp = engine_input(event)
    if not inp.companies:
        raise EventError(str(_l("No company is pitching, so there is nobody to meet.")))
    if not inp.investors:
        raise EventError(str(_l("No approved investor has signed up yet.")))
    violations = check_schedule(inp.problem)
    if violations:
        raise EventError(refusal(event, inp, violations))
    try:
        result = solve_schedule(inp.problem, time_limit=time_limit)
    except InfeasibleError as e:
        raise EventError(refusal(event, inp, e.violations)) from e

    # The engine only read; the version is claimed just before the write, so a
    # long engine run never holds the session's row.
    claim(event, version)
    event.meetings.clear()
    db.session.flush()
    for m in sorted(result.meetings, key=lambda m: (m.slot, m.investor, m.company)):
        inv, pid = int(m.investor), int(m.company)
        event.meetings.append(
            Meeting(
                investor_id=inv,
                proposal_id=pid,
                slot=int(m.slot),
                affinity=inp.affinity[(inv, pid)],
                source=MeetingSource.ENGINE,
            )
        )
    event.schedule_value = round(float(result.value), 6) + 0.0
    event.schedule_bound = round(float(result.bound), 6) + 0.0
    event.schedule_optimal = bool(result.optimal)
    event.schedule_built_at = now or utcnow()
    event.schedule_changed_at = event.schedule_built_at
    event.schedule_edited = False
    db.session.flush()
    return Built(
        len(result.meetings), event.schedule_value, event.schedule_bound, event.schedule_optimal
    )


def _slot_index(event: Event, value: int | None) -> int:
    if value is None or not 0 <= value < event.meeting_slots:
        raise EventError(str(_l("Choose one of the session's slots.")), "slot")
    return value


def _double_booking(
    event: Event, investor_id: int, proposal_id: int, slot_index: int, moving: Meeting | None
) -> str | None:
    """Why a meeting of this pair in this slot would double-book someone (None: it would not)."""
    others = [m for m in event.meetings if m is not moving]
    names = investor_names([m.investor for m in others if m.investor_id == investor_id])
    for m in others:
        if m.investor_id == investor_id and m.proposal_id == proposal_id:
            return str(
                _l(
                    "%(investor)s already meets “%(company)s”, in %(slot)s.",
                    investor=names[investor_id],
                    company=m.proposal.title,
                    slot=slot_label(event, m.slot),
                )
            )
    for m in others:
        if m.slot != slot_index:
            continue
        if m.investor_id == investor_id:
            return str(
                _l(
                    "%(investor)s already has a meeting in %(slot)s, with “%(company)s”.",
                    investor=names[investor_id],
                    slot=slot_label(event, slot_index),
                    company=m.proposal.title,
                )
            )
        if m.proposal_id == proposal_id:
            name = investor_names([m.investor])[m.investor_id]
            return str(
                _l(
                    "“%(company)s” already has a meeting in %(slot)s, with %(investor)s.",
                    company=m.proposal.title,
                    slot=slot_label(event, slot_index),
                    investor=name,
                )
            )
    return None


def move_meeting(meeting: Meeting, slot_index: int | None, version: int | str | None) -> None:
    """Move a meeting to another slot; refused (nothing changes) if it double-books."""
    event = meeting.event
    claim(event, version)
    target = _slot_index(event, slot_index)
    if target == meeting.slot:
        raise EventError(str(_l("The meeting is already in that slot.")), "slot")
    problem = _double_booking(event, meeting.investor_id, meeting.proposal_id, target, meeting)
    if problem is not None:
        raise EventError(problem, "slot")
    meeting.slot = target
    meeting.source = MeetingSource.MANUAL
    _edited(event)


def remove_meeting(meeting: Meeting, version: int | str | None) -> None:
    """Take a meeting out of the schedule; refused once its outcome is recorded
    (the record and its note would be lost with it)."""
    event = meeting.event
    claim(event, version)
    db.session.refresh(meeting)  # an outcome recorded since the page was shown counts
    if meeting.outcome is not None:
        name = investor_names([meeting.investor])[meeting.investor_id]
        raise EventError(
            str(
                _l(
                    "The meeting of %(investor)s with “%(company)s” has an outcome recorded,"
                    " so it stays in the schedule: removing it would lose that record."
                    " Move it instead if it took place in another slot.",
                    investor=name,
                    company=meeting.proposal.title,
                )
            )
        )
    event.meetings.remove(meeting)
    _edited(event)


def add_meeting(
    event: Event,
    investor_id: int | None,
    proposal_id: int | None,
    slot_index: int | None,
    version: int | str | None,
) -> Meeting:
    """Add a meeting by hand: a signed-up investor, a pitching company, a slot.

    A double booking is refused; a clash (an unavailable slot, a conflict of
    interest) is saved and shown among the clashes.
    """
    claim(event, version)
    users = {u.id: u for u in investors(event)}
    companies = {p.id: p for p in pitching(event)}
    if investor_id not in users:
        raise EventError(str(_l("Choose an investor signed up for this session.")), "investor")
    if proposal_id not in companies:
        raise EventError(str(_l("Choose a company that pitches at this session.")), "company")
    target = _slot_index(event, slot_index)
    problem = _double_booking(event, investor_id, proposal_id, target, None)
    if problem is not None:
        raise EventError(problem, "slot")
    inp = engine_input(event)
    meeting = Meeting(
        investor_id=investor_id,
        proposal_id=proposal_id,
        slot=target,
        affinity=inp.affinity.get((investor_id, proposal_id), 0.0),
        source=MeetingSource.MANUAL,
    )
    event.meetings.append(meeting)
    _edited(event)
    return meeting
