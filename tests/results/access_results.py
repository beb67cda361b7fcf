"""Access rows for the follow-up reports (see ``tests/test_access.py``).

``results_own``: a funded proposal of the logged-in founder (another
founder's for other roles; a logged-in investor invested in it);
``results_other``: another founder's funded proposal nobody logged in
invested in; ``results_unfunded``: the logged-in founder's proposal in
dialogue, never funded (another founder's for other roles);
``results_own_report`` and ``results_other_report``: a report on each.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from tests.test_access import CONFIRM, FORBIDDEN, LOGIN, NOT_FOUND, OK, Outcome, Route, up

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


def _report_on(key: str) -> Callable[[Any], Any]:
    """A report (entered by its founder) on the proposal ``ctx[key]``."""

    def make(ctx: Any) -> Any:
        from tests.results.factories import report

        proposal = ctx[key]
        return report(proposal, proposal.company.owner, as_of=date.today() - timedelta(days=30))

    return make


CTX["results_own"] = _results_own
CTX["results_other"] = _results_other
CTX["results_own_report"] = _report_on("results_own")
CTX["results_other_report"] = _report_on("results_other")
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


def report_path(proposal: str, report: str, action: str) -> Callable[[dict[str, Any]], str]:
    """``/proposals/<ctx[proposal]>/results/<ctx[report]>/<action>``; the report
    may belong to another proposal (someone else's object through my URL)."""

    def path(ctx: dict[str, Any]) -> str:
        return f"/proposals/{ctx[proposal].id}/results/{ctx[report].id}/{action}"

    return path


#: The founder and organisers correct a report; an investor of the company: 403.
OWN_CORRECT = OWN_HISTORY | {"investor": FORBIDDEN}
#: Only organisers delete: the founder and the investor see the company (403).
OWN_DELETE = OWN_HISTORY | {"entrepreneur": FORBIDDEN, "investor": FORBIDDEN}

ROWS["results.edit"] = [
    Route("GET", report_path("results_own", "results_own_report", "edit"), OWN_CORRECT),
    Route("GET", report_path("results_other", "results_other_report", "edit"), NOBODY_ELSE),
    # Another proposal's report through a proposal I may see, or none: 404.
    Route("GET", report_path("results_own", "results_other_report", "edit"), UNKNOWN),
    Route("GET", results_path("results_own", "/999999/edit"), UNKNOWN),
    # A bad date is shown beside the field: 200, nothing changed.
    Route(
        "POST",
        report_path("results_own", "results_own_report", "edit"),
        OWN_CORRECT,
        REPORT | {"as_of": "1990-01-01"},
    ),
    Route(
        "POST",
        report_path("results_other", "results_other_report", "edit"),
        NOBODY_ELSE | {"organiser": up(2)},
        REPORT,
    ),
    Route("POST", report_path("results_own", "results_other_report", "edit"), UNKNOWN, REPORT),
]
ROWS["results.delete"] = [
    # The first POST asks once more (200); "Yes" deletes and goes to the history.
    Route("POST", report_path("results_own", "results_own_report", "delete"), OWN_DELETE),
    Route(
        "POST",
        report_path("results_other", "results_other_report", "delete"),
        NOBODY_ELSE | {"entrepreneur": NOT_FOUND, "organiser": up(2)},
        CONFIRM,
    ),
    Route("POST", report_path("results_own", "results_other_report", "delete"), UNKNOWN, CONFIRM),
    Route("POST", results_path("results_own", "/999999/delete"), UNKNOWN, CONFIRM),
]
