"""What needs an organiser's action at a Springbrett session: one list of notices.

The session page, the schedule page, the agenda overview and the organisers'
home page all show the notices of :func:`notices`; each says what is wrong, in
words, how many, and the action that fixes it with the page where it is done.
Nothing here writes to the database.

The checks reuse the one definition each of the line-up and meeting rules:

- ``unanswered``: founders invited by the published line-up who have not
  answered (``InvitationStatus.INVITED`` and still ``EventCandidate.pitching``),
  with the reply deadline ``Event.reply_by`` when set.
- ``empty_place``: a place of the published programme with nobody pitching in
  it, because its founder declined or the proposal can no longer pitch
  (:func:`matchmaking.events.programme.out_reason` says why).
- ``lineup``: the stored line-up no longer fits the rules
  (:attr:`matchmaking.events.lineup.state.LineupState.problems`).
- ``lineup_unpublished``: the line-up was run again after it was published.
- ``not_pitching`` / ``cancelled``: meetings with a company that no longer
  pitches, or with an investor who is no longer an attendee (the schedule's
  clashes of those kinds, :func:`matchmaking.events.meetings.grid.clashes`).
- ``schedule_stale``: the schedule was made before the line-up was last published.
- ``agendas_unsent`` / ``agendas_stale``: the schedule exists but the agendas
  were not sent, or were sent before the last change of the schedule
  (``Event.schedule_changed_at``) or of the programme (``lineup_published_at``).

Once the session has started only the schedule's notices remain: invitations,
places and agendas can no longer be acted on.

The organiser menu's badge (:func:`sessions_needing_action_count`) is one
COUNT query over the quick checks (invitations, emptied places, a line-up run
not published, agendas, meetings with an investor who cancelled): it can miss
what needs the line-up's rules or the schedule's other clashes, which the
pages themselves show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import url_for
from sqlalchemy import and_, exists, func, or_, select

from matchmaking.dates import when
from matchmaking.events.agenda.services import agendas_out_of_date, schedule_changed
from matchmaking.events.lineup.state import lineup_state
from matchmaking.events.meetings.grid import clashes
from matchmaking.events.models import (
    Event,
    EventAttendee,
    EventCandidate,
    EventStatus,
    InvitationStatus,
    Meeting,
)
from matchmaking.events.programme import out_reason
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l

UNANSWERED = "unanswered"
EMPTY_PLACE = "empty_place"
LINEUP = "lineup"
LINEUP_UNPUBLISHED = "lineup_unpublished"
NOT_PITCHING = "not_pitching"
CANCELLED = "cancelled"
SCHEDULE_STALE = "schedule_stale"
AGENDAS_UNSENT = "agendas_unsent"
AGENDAS_STALE = "agendas_stale"


@dataclass(frozen=True)
class Notice:
    """One thing that needs doing: what, how many, and the action that fixes it where."""

    kind: str
    count: int
    message: str
    action: str
    url: str
    #: The particulars (one line each: who, which meeting), may be empty.
    details: tuple[str, ...] = field(default_factory=tuple)


def unanswered(event: Event) -> list[EventCandidate]:
    """Founders invited by the published line-up who have not answered yet."""
    if event.lineup_published_at is None:
        return []
    return [c for c in event.candidates if c.invitation is InvitationStatus.INVITED and c.pitching]


def empty_places(event: Event) -> list[EventCandidate]:
    """Founders whose place in the published programme is now empty: they
    declined, or the proposal can no longer pitch, and nobody pitches there."""
    if event.lineup_published_at is None:
        return []
    taken = {c.lineup_position for c in event.candidates if c.pitching}
    return sorted(
        (
            c
            for c in event.candidates
            if c.invitation is not None
            and c.lineup_position is not None
            and not c.pitching
            and c.lineup_position not in taken
        ),
        key=lambda c: c.lineup_position or 0,
    )


def _empty_place_line(c: EventCandidate) -> str:
    reason = out_reason(c) or ""
    line = str(
        _l(
            "Place %(place)d, “%(title)s”: %(reason)s",
            place=(c.lineup_position or 0) + 1,
            title=c.proposal.title,
            reason=reason,
        )
    )
    if c.invitation is InvitationStatus.DECLINED and c.decline_reason.strip():
        line += " " + str(_l("The founder wrote: “%(reason)s”", reason=c.decline_reason.strip()))
    return line


def notices(event: Event, now: datetime | None = None) -> list[Notice]:
    """Everything that needs an organiser's action at ``event``, most urgent first."""
    now = now or utcnow()
    before = event.starts_at > now
    lineup_url = url_for("events.lineup", event_id=event.id)
    schedule_url = url_for("events.schedule", event_id=event.id)
    send_url = url_for("events.show", event_id=event.id, _anchor="agenda-heading")
    out: list[Notice] = []

    if before:
        waiting = unanswered(event)
        if waiting:
            if event.reply_by is None:
                deadline = ""
            elif event.reply_by > now:
                deadline = " " + str(_l("They reply by %(when)s.", when=when(event.reply_by)))
            else:
                deadline = " " + str(
                    _l("The reply deadline, %(when)s, has passed.", when=when(event.reply_by))
                )
            out.append(
                Notice(
                    UNANSWERED,
                    len(waiting),
                    str(_l("Invitations to pitch not answered yet: %(n)d.", n=len(waiting)))
                    + deadline,
                    str(_l("See who has not answered on the line-up page")),
                    lineup_url,
                    tuple(c.proposal.title for c in waiting),
                )
            )
        empty = empty_places(event)
        if empty:
            out.append(
                Notice(
                    EMPTY_PLACE,
                    len(empty),
                    str(_l("Empty pitch places in the programme: %(n)d.", n=len(empty))),
                    str(_l("Run the line-up again and publish it to fill them")),
                    lineup_url,
                    tuple(_empty_place_line(c) for c in empty),
                )
            )
        if event.lineup_run_at is not None:
            state = lineup_state(event)
            if state.problems:
                out.append(
                    Notice(
                        LINEUP,
                        len(state.problems),
                        str(_l("The line-up is out of date: it no longer fits the rules.")),
                        str(_l("Run the line-up again")),
                        lineup_url,
                        tuple(state.problems),
                    )
                )
            published = event.lineup_published_at
            if published is not None and event.lineup_run_at > published:
                out.append(
                    Notice(
                        LINEUP_UNPUBLISHED,
                        1,
                        str(
                            _l(
                                "The line-up was run again after it was published; founders"
                                " see the published one until you publish again."
                            )
                        ),
                        str(_l("Publish the line-up")),
                        lineup_url,
                        tuple(state.notes),
                    )
                )

    found = clashes(event) if event.meetings else []
    gone = [c for c in found if c.kind == "not_pitching"]
    if gone:
        n = len({c.meeting_id for c in gone})
        out.append(
            Notice(
                NOT_PITCHING,
                n,
                str(_l("Meetings with a company that no longer pitches: %(n)d.", n=n)),
                str(_l("Remove or move these meetings on the schedule page")),
                schedule_url,
                tuple(c.message for c in gone),
            )
        )
    left = [c for c in found if c.kind == "not_signed_up"]
    if left:
        n = len({c.meeting_id for c in left})
        out.append(
            Notice(
                CANCELLED,
                n,
                str(
                    _l(
                        "Meetings with an investor who cancelled or is no longer approved: %(n)d.",
                        n=n,
                    )
                ),
                str(_l("Remove or move these meetings on the schedule page")),
                schedule_url,
                tuple(c.message for c in left),
            )
        )
    changed = schedule_changed(event)
    published = event.lineup_published_at
    if before and changed is not None and published is not None and published > changed:
        out.append(
            Notice(
                SCHEDULE_STALE,
                1,
                str(
                    _l(
                        "The schedule was made before the line-up was last published (%(when)s).",
                        when=when(published),
                    )
                ),
                str(_l("Build the schedule again, or add the missing meetings by hand")),
                schedule_url,
            )
        )
    if before and event.schedule_built_at is not None and event.meetings:
        if event.agendas_sent_at is None:
            out.append(
                Notice(
                    AGENDAS_UNSENT,
                    1,
                    str(_l("The schedule is ready, but the agendas have not been sent.")),
                    str(_l("Send the agendas")),
                    send_url,
                )
            )
        elif agendas_out_of_date(event):
            last = max(t for t in (changed, published) if t is not None)
            out.append(
                Notice(
                    AGENDAS_STALE,
                    1,
                    str(
                        _l(
                            "The agendas were sent %(sent)s, before the last change (%(changed)s):"
                            " people have an old plan.",
                            sent=when(event.agendas_sent_at),
                            changed=when(last),
                        )
                    ),
                    str(_l("Send the agendas again")),
                    send_url,
                )
            )
    return out


def sessions_needing_action_count(now: datetime | None = None) -> int:
    """Upcoming published sessions where a quick check finds something to do:
    an unanswered invitation, a declined founder still holding a place, a
    line-up run not published, agendas not sent or sent before a change, a
    meeting with an investor who cancelled."""
    now = now or utcnow()
    candidate = EventCandidate.event_id == Event.id
    checks = or_(
        exists().where(candidate, EventCandidate.invitation == InvitationStatus.INVITED),
        exists().where(
            candidate,
            EventCandidate.invitation == InvitationStatus.DECLINED,
            EventCandidate.lineup_position.is_not(None),
        ),
        and_(
            Event.lineup_published_at.is_not(None),
            Event.lineup_run_at > Event.lineup_published_at,
        ),
        and_(
            Event.schedule_built_at.is_not(None),
            Event.agendas_sent_at.is_(None),
            exists().where(Meeting.event_id == Event.id),
        ),
        Event.schedule_changed_at > Event.agendas_sent_at,
        Event.lineup_published_at > Event.agendas_sent_at,
        # A meeting with an investor who cancelled their place (the sign-up row is gone).
        exists().where(
            Meeting.event_id == Event.id,
            ~exists().where(
                EventAttendee.event_id == Event.id, EventAttendee.user_id == Meeting.investor_id
            ),
        ),
    )
    query = select(func.count(Event.id)).where(
        Event.starts_at > now, Event.status == EventStatus.PUBLISHED, checks
    )
    return int(db.session.scalar(query) or 0)
