"""Access rows for the follow-up reports (see ``tests/test_access.py``).

``results_own``: a funded proposal of the logged-in founder (another
founder's for other roles; a logged-in investor invested in it);
``results_other``: another founder's funded proposal nobody logged in
invested in; ``results_unfunded``: the logged-in founder's proposal in
dialogue, never funded (another founder's for other roles).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from tests.test_access import FORBIDDEN, LOGIN, NOT_FOUND, OK, Outcome, Route, up

#: Endpoint -> the routes tried for it, with what each role gets.
ROWS: dict[str, list[Route]] = {}
#: Ctx key -> a factory that makes the object (called with the Ctx).
CTX: dict[str, Callable[[Any], Any]] = {}


def _owner(ctx: Any) -> Any:
    me = ctx["me"]
    return me if me is not None and me.is_entrepreneur else ctx["other"]


def _results_own(ctx: Any) -> Any:
    from tests.results.factories import fund

    me = ctx["me"]
    proposal = ctx.make_proposal(_owner(ctx), status="funded", title="Mitt selskap")
    investors = (me,) if me is not None and me.is_investor else ()
    fund(proposal, investors=investors)
    return proposal


def _results_other(ctx: Any) -> Any:
    from tests.results.factories import fund

    proposal = ctx.make_proposal(ctx["other"], status="funded", title="Annens selskap")
    fund(proposal)
    return proposal


CTX["results_own"] = _results_own
CTX["results_other"] = _results_other
CTX["results_unfunded"] = lambda ctx: ctx.make_proposal(
    _owner(ctx), status="in_dialogue", title="Ikke finansiert"
)


def results_path(key: str, suffix: str = "") -> Callable[[dict[str, Any]], str]:
    def path(ctx: dict[str, Any]) -> str:
        return f"/proposals/{ctx[key].id}/results{suffix}"

    return path


NOBODY_ELSE: dict[str, Outcome] = {
    "anonymous": LOGIN,
    "entrepreneur": NOT_FOUND,
    "pending_investor": NOT_FOUND,
    "investor": NOT_FOUND,
    "organiser": OK,
}
#: Pending investors cannot have invested (they are not approved): 404.
OWN_HISTORY = NOBODY_ELSE | {"entrepreneur": OK, "investor": OK}
UNKNOWN: dict[str, Outcome] = {"anonymous": LOGIN} | dict.fromkeys(
    ("entrepreneur", "pending_investor", "investor", "organiser"), NOT_FOUND
)
REPORT = {
    "as_of": (date.today() - timedelta(days=1)).isoformat(),
    "employees": "2,5",
    "revenue_12m": "900 000",
    "capital_since": "0",
    "words": "",
}

ROWS["results.history"] = [
    # The founder, organisers, and an approved investor who invested.
    Route("GET", results_path("results_own"), OWN_HISTORY),
    Route("GET", results_path("results_other"), NOBODY_ELSE),
    # Never funded: the founder and organisers are told reports start later.
    Route("GET", results_path("results_unfunded"), NOBODY_ELSE | {"entrepreneur": OK}),
    Route("GET", "/proposals/999999/results", UNKNOWN),
]
ROWS["results.new"] = [
    # The investor who invested reads the reports but files none (403).
    Route("GET", results_path("results_own", "/new"), OWN_HISTORY | {"investor": FORBIDDEN}),
    Route("GET", results_path("results_other", "/new"), NOBODY_ELSE),
    # Reports start after a funded round: the form does not exist before.
    Route("GET", results_path("results_unfunded", "/new"), UNKNOWN),
    Route("GET", "/proposals/999999/results/new", UNKNOWN),
    # A bad date (before the funding) is shown beside the field: 200, nothing saved.
    Route(
        "POST",
        results_path("results_own", "/new"),
        OWN_HISTORY | {"investor": FORBIDDEN},
        REPORT | {"as_of": "1990-01-01"},
    ),
    Route("POST", results_path("results_other", "/new"), NOBODY_ELSE | {"organiser": up()}, REPORT),
]
