"""Access rows for agendas, the .ics file, the CSV export and meeting outcomes (see ``tests/test_access.py``).

``scheduled``: a published session that began three hours ago, with a
published line-up and a schedule. The logged-in user takes part where their
role can: an approved investor is signed up and meets a company in slot 0
(``own_meeting``); a founder's accepted proposal pitches and meets an
investor in slot 0. ``others_meeting`` is another investor's meeting with
another founder's company. ``other_scheduled`` is a second such session, for
"another event's meeting through this event's URL".
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from tests.test_access import (
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    ORGANISERS,
    Outcome,
    Route,
    session,
)

#: Endpoint -> the routes tried for it, with what each role gets.
ROWS: dict[str, list[Route]] = {}
#: Ctx key -> a factory that makes the object (called with the Ctx).
CTX: dict[str, Callable[[Any], Any]] = {}


def _scheduled(ctx: Any, *, with_me: bool = True) -> SimpleNamespace:
    from matchmaking.events.models import (
        CandidateSource,
        EventAttendee,
        EventCandidate,
        InvitationStatus,
        Meeting,
    )
    from matchmaking.extensions import db
    from tests.events.agenda_factories import set_start
    from tests.events.factories import new_event

    me = ctx["me"] if with_me else None
    event = new_event(ctx.make_user("organiser"))
    set_start(event, datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3))
    if me is not None and me.is_approved_investor:
        investor = me
    else:
        investor = ctx.make_user("investor", approved=True)
    if me is not None and me.is_entrepreneur:
        own = ctx.make_proposal(me, status="accepted", title="Min pitch")
    else:
        own = ctx.make_proposal(ctx.make_user("entrepreneur"), status="accepted", title="Pitch A")
    other = ctx.make_proposal(ctx["other"], status="accepted", title="Pitch B")
    someone = ctx.make_user("investor", approved=True)
    for position, proposal in enumerate((own, other)):
        event.candidates.append(
            EventCandidate(
                proposal_id=proposal.id,
                source=CandidateSource.NOMINATED,
                lineup_position=position,
                invitation=InvitationStatus.ACCEPTED,
            )
        )
    event.lineup_published_at = datetime.now(UTC)
    for user in (investor, someone):
        event.attendees.append(EventAttendee(user_id=user.id))
    own_meeting = Meeting(investor_id=investor.id, proposal_id=own.id, slot=0)
    others_meeting = Meeting(investor_id=someone.id, proposal_id=other.id, slot=0)
    event.meetings.extend([own_meeting, others_meeting])
    event.schedule_built_at = datetime.now(UTC)
    db.session.commit()
    return SimpleNamespace(
        event=event, own_meeting=own_meeting, others_meeting=others_meeting, someone=someone
    )


CTX["scheduled"] = _scheduled
CTX["other_scheduled"] = lambda ctx: _scheduled(ctx, with_me=False)


def _path(suffix: str, key: str = "scheduled") -> Callable[[dict[str, Any]], str]:
    return lambda ctx: f"/events/{ctx[key].event.id}{suffix}"


def _plain(key: str, suffix: str) -> Callable[[dict[str, Any]], str]:
    return lambda ctx: f"/events/{ctx[key].id}{suffix}"


#: A participant's own agenda: approved investors signed up and pitching founders.
PARTICIPANTS = {
    "anonymous": LOGIN,
    "entrepreneur": OK,
    "pending_investor": FORBIDDEN,
    "investor": OK,
    "organiser": OK,
}
#: A session the user takes no part in: organisers only, others are told why (403).
OUTSIDERS = ORGANISERS
#: A draft: 404 for all but organisers.
DRAFT = (
    {"anonymous": LOGIN}
    | {r: NOT_FOUND for r in PARTICIPANTS if r != "anonymous"}
    | {"organiser": OK}
)
UNKNOWN = {"anonymous": LOGIN} | {r: NOT_FOUND for r in PARTICIPANTS if r != "anonymous"}


def _agenda_rows(suffix: str) -> list[Route]:
    return [
        Route("GET", _path(suffix), PARTICIPANTS),
        Route("GET", _plain("event", suffix), OUTSIDERS),
        Route("GET", _plain("draft_event", suffix), DRAFT),
        Route("GET", f"/events/999999{suffix}", UNKNOWN),
        # Someone else's agenda: organisers only.
        Route(
            "GET",
            lambda ctx: (
                f"/events/{ctx['scheduled'].event.id}{suffix}"
                f"?participant={ctx['scheduled'].someone.id}"
            ),
            ORGANISERS,
        ),
        # Nobody by that id: 404 for organisers; others may not ask at all.
        Route("GET", _path(f"{suffix}?participant=999999"), ORGANISERS | {"organiser": NOT_FOUND}),
    ]


ROWS["events.agenda"] = _agenda_rows("/agenda")
ROWS["events.agenda_ics"] = _agenda_rows("/agenda.ics")


def _organiser_rows(
    method: str, suffix: str, data: dict[str, str] | None = None, done: Outcome = OK
) -> list[Route]:
    """Organisers only (``done``: what they get); an unknown session: 404."""
    data = data or {}
    allowed = ORGANISERS | {"organiser": done}
    return [
        Route(method, _path(suffix), allowed, data),
        Route(method, _plain("draft_event", suffix), allowed, data),
        Route(method, f"/events/999999{suffix}", ORGANISERS | {"organiser": NOT_FOUND}, data),
    ]


# Sent: back to the session's page; marked as held: to the outcomes page.
# The first click only asks (the confirm page); "Yes" (confirm=1) sends. A session
# without a schedule (the draft) has nothing to send: no question, back with the reason.
ROWS["events.agendas_send"] = [
    Route("POST", _path("/agendas/send"), ORGANISERS, {"version": "1"}),
    *_organiser_rows("POST", "/agendas/send", {"version": "1", "confirm": "1"}, session()),
]
ROWS["events.export_csv"] = _organiser_rows("GET", "/schedule.csv")
ROWS["events.export_xlsx"] = _organiser_rows("GET", "/schedule.xlsx")
ROWS["events.outcome_held"] = _organiser_rows("POST", "/held", done=session("/outcomes"))

#: Outcomes: organisers, and investors taking part (for their own meetings).
RECORDERS = {
    "anonymous": LOGIN,
    "entrepreneur": FORBIDDEN,
    "pending_investor": FORBIDDEN,
    "investor": OK,
    "organiser": OK,
}
#: Where the session is a draft or unknown, investors learn nothing (404).
HIDDEN = RECORDERS | {"pending_investor": NOT_FOUND, "investor": NOT_FOUND}

ROWS["events.outcomes"] = [
    Route("GET", _path("/outcomes"), RECORDERS),
    Route("GET", _plain("event", "/outcomes"), RECORDERS | {"investor": FORBIDDEN}),
    Route("GET", _plain("draft_event", "/outcomes"), HIDDEN),
    Route("GET", "/events/999999/outcomes", HIDDEN | {"organiser": NOT_FOUND}),
]


def _meeting(event_key: str, meeting: str) -> Callable[[dict[str, Any]], str]:
    def path(ctx: dict[str, Any]) -> str:
        event_id = ctx[event_key].event.id if event_key != "unknown" else 999999
        if meeting == "unknown":
            meeting_id = 999999
        elif meeting == "other_event":
            meeting_id = ctx["other_scheduled"].own_meeting.id
        else:
            meeting_id = getattr(ctx["scheduled"], meeting).id
        return f"/events/{event_id}/meetings/{meeting_id}/outcome"

    return path


ROWS["events.outcome_record"] = [
    # The investor's own meeting (no data: the form answers with its message beside the field).
    Route("POST", _meeting("scheduled", "own_meeting"), RECORDERS),
    # Another investor's meeting: it does not exist for her.
    Route("POST", _meeting("scheduled", "others_meeting"), RECORDERS | {"investor": NOT_FOUND}),
    # Another session's meeting through this session's URL, or no such meeting: 404.
    Route(
        "POST",
        _meeting("scheduled", "other_event"),
        RECORDERS | {"investor": NOT_FOUND, "organiser": NOT_FOUND},
    ),
    Route(
        "POST",
        _meeting("scheduled", "unknown"),
        RECORDERS | {"investor": NOT_FOUND, "organiser": NOT_FOUND},
    ),
    Route(
        "POST",
        _meeting("unknown", "own_meeting"),
        HIDDEN | {"organiser": NOT_FOUND},
    ),
]
