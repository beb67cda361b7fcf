"""Access rows for the line-up page, pin/exclude, publish and the founders' invitations (see ``tests/test_access.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.test_access import (
    FOUNDERS,
    NOT_FOUND,
    ORGANISERS,
    OTHERS_PROPOSAL_FOUNDER_ACTION,
    Route,
    _event_routes,
    session,
)


def _invitation(event_key: str, own: bool) -> Callable[[Any], Any]:
    """An invited candidate in the session ``event_key`` (published line-up):
    the logged-in founder's own when ``own``, else another founder's."""

    def make(ctx: Any) -> Any:
        from matchmaking.events.models import CandidateSource, EventCandidate, InvitationStatus
        from matchmaking.extensions import db, utcnow

        event = ctx[event_key]
        owner = ctx["me"] if own else ctx["other"]
        proposal = ctx.make_proposal(owner, status="accepted", title=f"Invitert {event_key}")
        event.lineup_published_at = utcnow()
        value = EventCandidate(
            event_id=event.id,
            proposal_id=proposal.id,
            source=CandidateSource.APPLIED,
            lineup_position=0,
            invitation=InvitationStatus.INVITED,
            invited_at=utcnow(),
        )
        db.session.add(value)
        db.session.commit()
        return value

    return make


CTX: dict[str, Callable[[Any], Any]] = {
    "lineup_own_invitation": _invitation("event", own=True),
    "lineup_own_draft_invitation": _invitation("draft_event", own=True),
    "lineup_other_invitation": _invitation("event", own=False),
}


def _answer(event_key: str, which: str, answer: str = "accept") -> Callable[[Any], str]:
    """``which`` in session ``event_key``; for roles other than founders (refused by
    role anyway) the own invitation is another founder's."""

    def path(ctx: Any) -> str:
        me = ctx["me"]
        key = which
        if which.startswith("lineup_own") and (me is None or not me.is_entrepreneur):
            key = "lineup_other_invitation"
        return f"/events/{ctx[event_key].id}/invitation/{ctx[key].id}/{answer}"

    return path


def _candidate(event_key: str, candidate: str = "", action: str = "pin") -> Callable[[Any], str]:
    def path(ctx: Any) -> str:
        cid = candidate or ctx["candidate"].id
        return f"/events/{ctx[event_key].id}/lineup/candidates/{cid}/{action}"

    return path


LINEUP = ORGANISERS | {"organiser": session("/lineup")}
ANSWERED = FOUNDERS | {"entrepreneur": session()}

#: Endpoint -> the routes tried for it, with what each role gets.
ROWS: dict[str, list[Route]] = {
    "events.lineup": _event_routes("GET", "/lineup", ORGANISERS),
    "events.lineup_weight": [
        *_event_routes("POST", "/lineup/weight", ORGANISERS),
        Route(
            "POST",
            lambda ctx: f"/events/{ctx['event'].id}/lineup/weight",
            ORGANISERS,
            {"screening_weight": "11", "version": "1"},
        ),
    ],
    "events.lineup_run": _event_routes("POST", "/lineup/run", ORGANISERS),
    "events.lineup_next_best": _event_routes("POST", "/lineup/next-best", ORGANISERS),
    "events.lineup_publish": _event_routes("POST", "/lineup/publish", ORGANISERS),
    "events.lineup_candidate": [
        # Done: back to the line-up page.
        Route("POST", _candidate("other_event"), LINEUP),
        Route("POST", _candidate("other_event", action="exclude"), LINEUP),
        Route("POST", _candidate("other_event", action="clear"), LINEUP),
        # Another event's candidate through this event's URL, or none: 404.
        Route("POST", _candidate("event"), ORGANISERS | {"organiser": NOT_FOUND}),
        Route("POST", _candidate("event", "999999"), ORGANISERS | {"organiser": NOT_FOUND}),
        Route(
            "POST",
            lambda ctx: f"/events/999999/lineup/candidates/{ctx['candidate'].id}/pin",
            ORGANISERS | {"organiser": NOT_FOUND},
        ),
    ],
    "events.invitation_answer": [
        # The founder's own invitation: answered, back to the session's page.
        Route("POST", _answer("event", "lineup_own_invitation"), ANSWERED),
        # Declining asks first (the confirm page); "Yes" (confirm=1) declines.
        Route("POST", _answer("event", "lineup_own_invitation", "decline"), FOUNDERS),
        Route(
            "POST",
            _answer("event", "lineup_own_invitation", "decline"),
            ANSWERED,
            {"confirm": "1"},
        ),
        # Another founder's invitation: it does not exist for them.
        Route("POST", _answer("event", "lineup_other_invitation"), OTHERS_PROPOSAL_FOUNDER_ACTION),
        Route(
            "POST",
            _answer("event", "lineup_other_invitation", "decline"),
            OTHERS_PROPOSAL_FOUNDER_ACTION,
        ),
        # Their own invitation through another session's URL, an unknown one, a draft's.
        Route(
            "POST", _answer("other_event", "lineup_own_invitation"), OTHERS_PROPOSAL_FOUNDER_ACTION
        ),
        Route(
            "POST",
            lambda ctx: f"/events/{ctx['event'].id}/invitation/999999/accept",
            OTHERS_PROPOSAL_FOUNDER_ACTION,
        ),
        Route(
            "POST",
            _answer("draft_event", "lineup_own_draft_invitation"),
            OTHERS_PROPOSAL_FOUNDER_ACTION,
        ),
        Route(
            "POST",
            lambda ctx: f"/events/999999/invitation/{ctx['lineup_other_invitation'].id}/accept",
            OTHERS_PROPOSAL_FOUNDER_ACTION,
        ),
    ],
}
