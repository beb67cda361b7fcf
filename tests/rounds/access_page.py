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

from tests.test_access import LOGIN, NOT_FOUND, OK, Outcome, Route

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
