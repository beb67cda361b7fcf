"""Access rows for meeting requests, unavailable slots and the schedule grid (see ``tests/test_access.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.test_access import (
    FORBIDDEN,
    LOGGED_IN,
    LOGIN,
    NOT_FOUND,
    OK,
    ORGANISERS,
    Outcome,
    Route,
    _event_routes,
    session,
)

#: Choosing meetings: everyone logged in sees the page (those who cannot choose
#: are told why); saving is for investors and founders (others are sent back to
#: the page that says why), organisers plan on the schedule page instead.
PARTICIPANTS: dict[str, Outcome] = {
    "anonymous": LOGIN,
    "entrepreneur": OK,
    "pending_investor": OK,
    "investor": OK,
    "organiser": FORBIDDEN,
}
#: Saving: back to the meetings page (saved, or told why not).
SAVED = PARTICIPANTS | dict.fromkeys(
    ("entrepreneur", "pending_investor", "investor"), session("/meetings")
)
#: The organisers' schedule actions go back to the schedule page.
SCHEDULE = ORGANISERS | {"organiser": session("/schedule")}


def _meeting(key: str) -> Callable[[Any], Any]:
    """A meeting in the session ``key`` (another organiser's), between a new
    approved investor and another founder's accepted proposal."""

    def make(ctx: Any) -> Any:
        from matchmaking.events.models import Meeting
        from matchmaking.extensions import db

        event = ctx[key]
        investor = ctx.make_user("investor", approved=True)
        proposal = ctx.make_proposal(ctx["other"], status="accepted", title=f"Møte {key}")
        meeting = Meeting(
            event_id=event.id, investor_id=investor.id, proposal_id=proposal.id, slot=0
        )
        db.session.add(meeting)
        db.session.commit()
        return meeting

    return make


def _open_session(ctx: Any) -> Any:
    """A session whose line-up is published, where the logged-in user takes part:
    an approved investor is signed up; a founder has a pitching company."""
    from tests.events import meeting_factories as mf
    from tests.events.factories import new_event

    event = new_event(ctx.make_user("organiser"))
    me = ctx["me"]
    pitching = [ctx.make_proposal(ctx["other"], status="accepted", title="Pitcher")]
    if me is not None and me.is_entrepreneur:
        pitching.append(ctx.make_proposal(me, status="accepted", title="Min pitch"))
    mf.publish_lineup(event, *pitching)
    if me is not None and me.is_investor:
        mf.sign_up(event, me)
    return event


def _path(event_key: str, meeting_key: str | None, action: str) -> Callable[[Any], str]:
    def path(ctx: Any) -> str:
        mid = ctx[meeting_key].id if meeting_key else 999999
        return f"/events/{ctx[event_key].id}/meetings/{mid}{action}"

    return path


def _meeting_routes(action: str, method: str = "POST") -> list[Route]:
    """The session's own meeting; a draft's (organisers only see drafts); another
    session's meeting through this session's URL, or none: 404; an unknown session: 404.
    ``action`` is the path after the meeting's id ("" for its page)."""
    data = {"slot": "1", "version": "1"} if method == "POST" else {}
    done = SCHEDULE if method == "POST" else ORGANISERS
    return [
        Route(method, _path("event", "meeting", action), done, data),
        Route(method, _path("draft_event", "draft_meeting", action), done, data),
        Route(
            method,
            _path("event", "other_meeting", action),
            ORGANISERS | {"organiser": NOT_FOUND},
            data,
        ),
        Route(method, _path("event", None, action), ORGANISERS | {"organiser": NOT_FOUND}, data),
        Route(
            method,
            lambda ctx: f"/events/999999/meetings/{ctx['meeting'].id}{action}",
            ORGANISERS | {"organiser": NOT_FOUND},
            data,
        ),
    ]


#: Endpoint -> the routes tried for it, with what each role gets.
ROWS: dict[str, list[Route]] = {
    "events.meetings": [
        *_event_routes("GET", "/meetings", LOGGED_IN),
        Route("GET", lambda ctx: f"/events/{ctx['open_session'].id}/meetings", LOGGED_IN),
    ],
    "events.meetings_save": [
        *_event_routes("POST", "/meetings", SAVED),
        Route(
            "POST",
            lambda ctx: f"/events/{ctx['open_session'].id}/meetings",
            SAVED,
            {"unavailable": "1"},
        ),
    ],
    "events.schedule": [
        *_event_routes("GET", "/schedule", ORGANISERS),
        *_event_routes("GET", "/schedule?view=investor", ORGANISERS),
    ],
    "events.schedule_minimum": _event_routes("POST", "/schedule/minimum", ORGANISERS),
    "events.schedule_build": _event_routes("POST", "/schedule/build", SCHEDULE),
    "events.meeting_add": _event_routes("POST", "/schedule/add", ORGANISERS),
    # A meeting's own page (the move and remove forms); the schedule by investor.
    "events.meeting_edit": _meeting_routes("", "GET"),
    "events.meeting_move": _meeting_routes("/move"),
    "events.meeting_remove": _meeting_routes("/remove"),
}
#: Ctx key -> a factory that makes the object (called with the Ctx).
CTX: dict[str, Callable[[Any], Any]] = {
    "meeting": _meeting("event"),
    "draft_meeting": _meeting("draft_event"),
    "other_meeting": _meeting("other_event"),
    "open_session": _open_session,
}
