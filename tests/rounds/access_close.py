"""Access rows for the round's close (see ``tests/test_access.py``).

``close_own``: an accepted proposal of the logged-in founder (another
founder's for other roles) with an open round; ``close_other``: another
founder's. The founder and organisers may close; approved investors, who may
see the round, get 403; founders of other proposals and pending investors,
who may not see it, get 404 (like the round page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.test_access import CONFIRM, FORBIDDEN, LOGIN, NOT_FOUND, OK, Outcome, Route, up

#: Endpoint -> the routes tried for it, with what each role gets.
ROWS: dict[str, list[Route]] = {}
#: Ctx key -> a factory that makes the object (called with the Ctx).
CTX: dict[str, Callable[[Any], Any]] = {}


def _with_open_round(ctx: Any, owner: Any, title: str) -> Any:
    from matchmaking.extensions import db
    from matchmaking.rounds import services

    proposal = ctx.make_proposal(owner, status="accepted", title=title)
    services.start_round(proposal, None)
    db.session.commit()
    return proposal


def _close_own(ctx: Any) -> Any:
    me = ctx["me"]
    owner = me if me is not None and me.is_entrepreneur else ctx.make_user("entrepreneur")
    return _with_open_round(ctx, owner, "Min runde å avslutte")


CTX["close_own"] = _close_own
CTX["close_other"] = lambda ctx: _with_open_round(ctx, ctx["other"], "Annens runde å avslutte")


def _close(key: str) -> Callable[[dict[str, Any]], str]:
    return lambda ctx: f"/proposals/{ctx[key].id}/round/close"


#: Another founder's round: organisers close it; approved investors see it but may not.
OTHERS: dict[str, Outcome] = {
    "anonymous": LOGIN,
    "entrepreneur": NOT_FOUND,
    "pending_investor": NOT_FOUND,
    "investor": FORBIDDEN,
    "organiser": OK,
}
#: A new round's version is 1; the first POST gets the confirm page, "Yes" closes it.
NOT_FUNDED = {"version": "1", "outcome": "not_funded", "reason": "postponed"}
MISSING = {"anonymous": LOGIN} | dict.fromkeys(
    ("entrepreneur", "pending_investor", "investor", "organiser"), NOT_FOUND
)

ROWS["rounds.close"] = [
    Route("GET", _close("close_own"), OTHERS | {"entrepreneur": OK}),
    Route("GET", _close("close_other"), OTHERS),
    Route("GET", "/proposals/999999/round/close", MISSING),
    Route("POST", _close("close_own"), OTHERS | {"entrepreneur": OK}, NOT_FUNDED),
    Route(
        "POST",
        _close("close_own"),
        OTHERS | {"entrepreneur": up(), "organiser": up()},
        NOT_FUNDED | CONFIRM,
    ),
    Route("POST", _close("close_other"), OTHERS | {"organiser": up()}, NOT_FUNDED | CONFIRM),
    Route("POST", "/proposals/999999/round/close", MISSING, NOT_FUNDED | CONFIRM),
]
