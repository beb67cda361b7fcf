"""Access rows for the round page, opening a round, its terms and its lead
(see ``tests/test_access.py``).

``round_own``: an accepted proposal of the logged-in founder (another
founder's for other roles) with an open round; ``round_other``: another
founder's accepted proposal with an open round, which approved investors and
organisers may see and founders may not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.test_access import FORBIDDEN, LOGIN, NOT_FOUND, OK, Outcome, Route, up

#: Endpoint -> the routes tried for it, with what each role gets.
ROWS: dict[str, list[Route]] = {}
#: Ctx key -> a factory that makes the object (called with the Ctx).
CTX: dict[str, Callable[[Any], Any]] = {}


def open_round_for(ctx: Any, owner: Any, title: str) -> Any:
    from matchmaking.extensions import db
    from matchmaking.rounds import services

    proposal = ctx.make_proposal(owner, status="accepted", title=title)
    services.start_round(proposal, None)
    db.session.commit()
    return proposal


def _round_own(ctx: Any) -> Any:
    me = ctx["me"]
    owner = me if me is not None and me.is_entrepreneur else ctx.make_user("entrepreneur")
    return open_round_for(ctx, owner, "Min runde")


CTX["round_own"] = _round_own
CTX["round_other"] = lambda ctx: open_round_for(ctx, ctx["other"], "Annens runde")


def round_path(key: str, suffix: str = "") -> Callable[[dict[str, Any]], str]:
    def path(ctx: dict[str, Any]) -> str:
        return f"/proposals/{ctx[key].id}/round{suffix}"

    return path


#: The round page of a proposal the user does not own: approved investors and organisers.
SEE_OTHERS: dict[str, Outcome] = {
    "anonymous": LOGIN,
    "entrepreneur": NOT_FOUND,
    "pending_investor": NOT_FOUND,
    "investor": OK,
    "organiser": OK,
}

ROWS["rounds.show"] = [
    # The founder's own round; the others see another founder's, as below.
    Route("GET", round_path("round_own"), SEE_OTHERS | {"entrepreneur": OK}),
    Route("GET", round_path("round_other"), SEE_OTHERS),
    Route(
        "GET",
        "/proposals/999999/round",
        {"anonymous": LOGIN}
        | dict.fromkeys(("entrepreneur", "pending_investor", "investor", "organiser"), NOT_FOUND),
    ),
]


def accepted_for(ctx: Any, owner: Any, title: str) -> Any:
    """An accepted proposal with no round yet."""
    return ctx.make_proposal(owner, status="accepted", title=title)


def _none_own(ctx: Any) -> Any:
    me = ctx["me"]
    owner = me if me is not None and me.is_entrepreneur else ctx.make_user("entrepreneur")
    return accepted_for(ctx, owner, "Min nye runde")


CTX["round_none_own"] = _none_own
CTX["round_none_other"] = lambda ctx: accepted_for(ctx, ctx["other"], "Annens nye runde")

#: Opening a round and changing its terms: the founder and organisers; approved
#: investors see the round but may not manage it (403); others do not see it (404).
MANAGE_OWN: dict[str, Outcome] = {
    "anonymous": LOGIN,
    "entrepreneur": OK,
    "pending_investor": NOT_FOUND,
    "investor": FORBIDDEN,
    "organiser": OK,
}
MANAGE_OTHERS: dict[str, Outcome] = MANAGE_OWN | {"entrepreneur": NOT_FOUND}
UNKNOWN: dict[str, Outcome] = {"anonymous": LOGIN} | dict.fromkeys(
    ("entrepreneur", "pending_investor", "investor", "organiser"), NOT_FOUND
)
#: Back to the round page: ``/proposals/<id>/round``.
ROUND_PAGE = up(1)
TERMS = {"target": "1 000 000", "min_ticket": "100 000", "instrument": "equity", "version": "1"}

ROWS["rounds.new"] = [
    Route("GET", round_path("round_none_own", "/new"), MANAGE_OWN),
    Route("GET", round_path("round_none_other", "/new"), MANAGE_OTHERS),
    # Opened: to the round page.
    Route(
        "POST",
        round_path("round_none_own", "/new"),
        MANAGE_OWN | {"entrepreneur": ROUND_PAGE, "organiser": ROUND_PAGE},
        TERMS,
    ),
    # A round is already open: the form is not shown, the round page is.
    Route(
        "GET",
        round_path("round_own", "/new"),
        MANAGE_OWN | {"entrepreneur": ROUND_PAGE, "organiser": ROUND_PAGE},
    ),
    Route("GET", "/proposals/999999/round/new", UNKNOWN),
]
ROWS["rounds.edit"] = [
    Route("GET", round_path("round_own", "/edit"), MANAGE_OWN),
    Route("GET", round_path("round_other", "/edit"), MANAGE_OTHERS),
    Route(
        "POST",
        round_path("round_own", "/edit"),
        MANAGE_OWN | {"entrepreneur": ROUND_PAGE, "organiser": ROUND_PAGE},
        TERMS,
    ),
    # No open round to change: to the round page.
    Route(
        "GET",
        round_path("round_none_own", "/edit"),
        MANAGE_OWN | {"entrepreneur": ROUND_PAGE, "organiser": ROUND_PAGE},
    ),
    Route("GET", "/proposals/999999/round/edit", UNKNOWN),
]
#: Choosing the lead: organisers only (the founder sees the round: 403).
LEAD: dict[str, Outcome] = MANAGE_OWN | {"entrepreneur": FORBIDDEN, "organiser": up(1)}
ROWS["rounds.choose_lead"] = [
    Route("POST", round_path("round_own", "/lead"), LEAD, {"lead": "", "version": "1"}),
    Route(
        "POST",
        round_path("round_other", "/lead"),
        LEAD | {"entrepreneur": NOT_FOUND},
        {"lead": "", "version": "1"},
    ),
    Route("POST", "/proposals/999999/round/lead", UNKNOWN, {"lead": ""}),
]
#: Agreeing to the lead: the founder only (with no lead proposed: a message on the round page).
AGREE: dict[str, Outcome] = MANAGE_OWN | {"entrepreneur": up(2), "organiser": FORBIDDEN}
ROWS["rounds.agree_lead"] = [
    Route("POST", round_path("round_own", "/lead/agree"), AGREE, {"version": "1"}),
    Route(
        "POST",
        round_path("round_other", "/lead/agree"),
        AGREE | {"entrepreneur": NOT_FOUND},
        {"version": "1"},
    ),
    Route("POST", "/proposals/999999/round/lead/agree", UNKNOWN, {"version": "1"}),
]
