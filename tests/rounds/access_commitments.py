"""Access rows for the round's commitments views and the portfolio (see
``tests/test_access.py``).

Only approved investors commit: founders (also of their own proposal),
organisers and pending investors get 403; a proposal the investor may not
see (a draft, an unknown id) is a 404 for them. A proposal they may see that
takes no commitments (``submitted``) shows the page with why (200); a POST
to it goes back to the round page. ``committed``: another founder's accepted
proposal with an open round where the logged-in approved investor has a
commitment (for other roles: an open round without one).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.rounds.access_page import open_round_for, round_path
from tests.test_access import CONFIRM, FORBIDDEN, LOGIN, NOT_FOUND, OK, Outcome, Route, up

#: Endpoint -> the routes tried for it, with what each role gets.
ROWS: dict[str, list[Route]] = {}
#: Ctx key -> a factory that makes the object (called with the Ctx).
CTX: dict[str, Callable[[Any], Any]] = {}


def _committed(ctx: Any) -> Any:
    from matchmaking.extensions import db
    from matchmaking.rounds import services

    proposal = open_round_for(ctx, ctx["other"], "Med tilsagn")
    me = ctx["me"]
    if me is not None and me.is_approved_investor:
        services.commit(proposal, me, amount=500_000)
        db.session.commit()
    return proposal


CTX["committed"] = _committed

#: Approved investors only.
COMMITTERS: dict[str, Outcome] = {
    "anonymous": LOGIN,
    "entrepreneur": FORBIDDEN,
    "pending_investor": FORBIDDEN,
    "investor": OK,
    "organiser": FORBIDDEN,
}


def _proposal(key: str, suffix: str) -> Callable[[dict[str, Any]], str]:
    return lambda ctx: f"/proposals/{ctx[key].id}/round{suffix}"


#: Back to the round page (the request's path without its last segment(s)).
ROUND_PAGE = up()
FROM_WITHDRAW = up(2)

ROWS["rounds.commitment"] = [
    Route("GET", round_path("round_other", "/commitment"), COMMITTERS),
    # The founder's own proposal: a founder does not commit to it either.
    Route("GET", round_path("round_own", "/commitment"), COMMITTERS),
    Route("GET", round_path("committed", "/commitment"), COMMITTERS),
    # Visible, but not (yet) taking commitments: the page says why.
    Route("GET", _proposal("submitted", "/commitment"), COMMITTERS),
    Route("GET", _proposal("draft", "/commitment"), COMMITTERS | {"investor": NOT_FOUND}),
    Route("GET", "/proposals/999999/round/commitment", COMMITTERS | {"investor": NOT_FOUND}),
    Route(
        "POST",
        round_path("round_other", "/commitment"),
        COMMITTERS | {"investor": ROUND_PAGE},
        {"amount": "500 000"},
    ),
    # Out of bounds: the form again, the message beside the field.
    Route(
        "POST",
        round_path("round_other", "/commitment"),
        COMMITTERS | {"investor": "400"},
        {"amount": "1"},
    ),
    Route(
        "POST",
        _proposal("submitted", "/commitment"),
        COMMITTERS | {"investor": ROUND_PAGE},
        {"amount": "500 000"},
    ),
    Route(
        "POST",
        _proposal("draft", "/commitment"),
        COMMITTERS | {"investor": NOT_FOUND},
        {"amount": "500 000"},
    ),
]

ROWS["rounds.withdraw_commitment"] = [
    # The first POST asks (the confirm page); "Yes" withdraws, back to the round page.
    Route("POST", round_path("committed", "/commitment/withdraw"), COMMITTERS),
    Route(
        "POST",
        round_path("committed", "/commitment/withdraw"),
        COMMITTERS | {"investor": FROM_WITHDRAW},
        CONFIRM,
    ),
    # No commitment to withdraw: back to the round page with a word.
    Route(
        "POST",
        round_path("round_other", "/commitment/withdraw"),
        COMMITTERS | {"investor": FROM_WITHDRAW},
        CONFIRM,
    ),
    Route(
        "POST",
        _proposal("draft", "/commitment/withdraw"),
        COMMITTERS | {"investor": NOT_FOUND},
        CONFIRM,
    ),
    Route(
        "POST",
        "/proposals/999999/round/commitment/withdraw",
        COMMITTERS | {"investor": NOT_FOUND},
        CONFIRM,
    ),
]

#: Investors, approved and pending (who is told what the page will hold).
ROWS["rounds.portfolio"] = [
    Route("GET", "/investor/portfolio", COMMITTERS | {"pending_investor": OK}),
]
