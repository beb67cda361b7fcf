"""Who may reach each route: a table, walked against ``app.url_map``.

Each entry gives, per role, exactly what the person gets: ``ok`` (the page
itself, 200), a :class:`Go` (a redirect to exactly that page: the action was
allowed and done, or the person is sent where it makes sense), ``login`` (a
redirect to the login page), or a status such as ``400``, ``403`` or ``404``.
A new route without an entry fails ``test_every_route_is_in_the_table``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROLES

OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", "403", "404"


@dataclass(frozen=True)
class Go:
    """A redirect (302) to exactly one page: ``target`` is its path, or a function
    of the request's path that gives it. The query string is not compared."""

    target: str | Callable[[str], str]

    def path(self, request_path: str) -> str:
        return self.target if isinstance(self.target, str) else self.target(request_path)


#: Expected outcome for one role: OK, LOGIN, a status ("403") or a Go.
Outcome = str | Go


def _session_page(suffix: str) -> Callable[[str], str]:
    def target(request_path: str) -> str:
        found = re.match(r"/events/\d+", request_path)
        assert found is not None, request_path
        return found.group(0) + suffix

    return target


def session(suffix: str = "") -> Go:
    """Back to a page of the session the request was about: ``/events/<id><suffix>``."""
    return Go(_session_page(suffix))


def up(levels: int = 1) -> Go:
    """To the request's path without its last ``levels`` segments (the object's page)."""
    return Go(lambda request_path: request_path.rsplit("/", levels)[0])


HOME = Go("/")
EVERYONE: dict[str, Outcome] = dict.fromkeys(ROLES, OK)
LOGGED_IN: dict[str, Outcome] = {"anonymous": LOGIN} | {r: OK for r in ROLES if r != "anonymous"}


def logged_in(outcome: Outcome) -> dict[str, Outcome]:
    """Anonymous: the login page; every logged-in role: ``outcome``."""
    return {"anonymous": LOGIN} | {r: outcome for r in ROLES if r != "anonymous"}


ORGANISERS: dict[str, Outcome] = {
    "anonymous": LOGIN,
    "entrepreneur": FORBIDDEN,
    "pending_investor": FORBIDDEN,
    "investor": FORBIDDEN,
    "organiser": OK,
}
LOGGED_OUT_ONLY: dict[str, Outcome] = {"anonymous": OK} | {
    r: HOME for r in ROLES if r != "anonymous"
}


#: The "Yes" of a confirm step (docs/confirm-steps.md); without it the action only asks.
CONFIRM = {"confirm": "1"}


@dataclass
class Route:
    method: str
    path: str | Callable[[dict[str, Any]], str]
    expect: dict[str, Outcome]
    data: dict[str, str] = field(default_factory=dict)


def _other_user(ctx: dict[str, Any]) -> str:
    return f"/admin/users/{ctx['other'].id}/disable"


def _other_user_enable(ctx: dict[str, Any]) -> str:
    return f"/admin/users/{ctx['other'].id}/enable"


def _failed_email(action: str) -> Callable[[dict[str, Any]], str]:
    return lambda ctx: f"/admin/mail/{ctx['failed_email'].id}/{action}"


FOUNDERS: dict[str, Outcome] = {
    "anonymous": LOGIN,
    "entrepreneur": OK,
    "pending_investor": FORBIDDEN,
    "investor": FORBIDDEN,
    "organiser": FORBIDDEN,
}
#: Someone else's proposal, for a founder-only action: the founder gets 404
#: (another founder's proposal does not exist for them), others 403.
OTHERS_PROPOSAL_FOUNDER_ACTION = FOUNDERS | {"entrepreneur": NOT_FOUND}


#: More Ctx objects, from the feature modules imported at the end of this file.
EXTRA_CTX: dict[str, Callable[[Any], Any]] = {}


def _make_failed_email(ctx: Any) -> Any:
    """An e-mail the mail thread could not send (organisers send it again or dismiss it)."""
    from tests.mail_factories import failed_email

    return failed_email(ctx["other"])


EXTRA_CTX["failed_email"] = _make_failed_email


class Ctx(dict[str, Any]):
    """Objects for a case, made when a path first asks for them.

    ``other``: another entrepreneur; ``submitted``: their submitted proposal
    with a deck; ``draft``: their draft; ``own``: a draft of the logged-in
    founder (only asked for in founder rows); ``introduction``: an approved
    investor's request to ``submitted``; ``own_introduction``: one to a
    submitted proposal of the logged-in founder; ``event``, ``draft_event``,
    ``other_event``: Springbrett sessions made by another organiser;
    ``candidate``: another founder's accepted proposal nominated to
    ``other_event``.
    """

    def __init__(self, app: Any, make_user: Any, make_proposal: Any) -> None:
        super().__init__()
        self.app, self.make_user, self.make_proposal = app, make_user, make_proposal

    def __missing__(self, key: str) -> Any:
        from matchmaking.extensions import db
        from matchmaking.proposals.storage import save_deck
        from tests.conftest import tiny_pdf

        if key == "other":
            value = self.make_user("entrepreneur")
        elif key == "submitted":
            value = self.make_proposal(self["other"], status="submitted")
            with self.app.app_context():
                save_deck(value, tiny_pdf(), "deck.pdf")
                db.session.commit()
        elif key == "draft":
            value = self.make_proposal(self["other"], status="draft", title="Utkast")
        elif key == "investor":
            value = self.make_user("investor", approved=False)
        elif key == "own":
            value = self.make_proposal(self["me"], status="draft", title="Mitt utkast")
        elif key in ("introduction", "own_introduction"):
            from matchmaking.introductions.models import Introduction

            proposal = (
                self["submitted"]
                if key == "introduction"
                else self.make_proposal(self["me"], status="submitted", title="Mitt forslag")
            )
            investor = self.make_user("investor", approved=True)
            value = Introduction(investor_id=investor.id, proposal_id=proposal.id, message="Hei")
            db.session.add(value)
            db.session.commit()
        elif key in ("event", "draft_event", "other_event"):
            from tests.events.factories import new_event

            value = new_event(self.make_user("organiser"), published=key != "draft_event")
        elif key == "candidate":
            from matchmaking.events.models import CandidateSource, EventCandidate

            proposal = self.make_proposal(self["other"], status="accepted", title="Kandidat")
            value = EventCandidate(
                event_id=self["other_event"].id,
                proposal_id=proposal.id,
                source=CandidateSource.NOMINATED,
            )
            db.session.add(value)
            db.session.commit()
        elif key in EXTRA_CTX:
            value = EXTRA_CTX[key](self)
        else:
            raise KeyError(key)
        self[key] = value
        return value


def _proposal(which: str, suffix: str = "") -> Callable[[dict[str, Any]], str]:
    def path(ctx: dict[str, Any]) -> str:
        return f"/proposals/{ctx[which].id}{suffix}"

    return path


def _own(suffix: str) -> Callable[[dict[str, Any]], str]:
    """The founder's own proposal; other roles get another's (they are refused either way)."""

    def path(ctx: dict[str, Any]) -> str:
        me = ctx["me"]
        proposal = ctx["own"] if me is not None and me.is_entrepreneur else ctx["draft"]
        return f"/proposals/{proposal.id}{suffix}"

    return path


def _introduction(action: str) -> Callable[[dict[str, Any]], str]:
    """A request to the founder's own proposal; other roles get another's."""

    def path(ctx: dict[str, Any]) -> str:
        me = ctx["me"]
        key = "own_introduction" if me is not None and me.is_entrepreneur else "introduction"
        return f"/introductions/{ctx[key].id}/{action}"

    return path


def _introduction_routes(action: str) -> list[Route]:
    """Founders answer requests to their own proposals (then back to the list);
    another founder's is a 404."""
    return [
        Route("POST", _introduction(action), FOUNDERS | {"entrepreneur": Go("/introductions/")}),
        Route(
            "POST",
            lambda ctx: f"/introductions/{ctx['introduction'].id}/{action}",
            OTHERS_PROPOSAL_FOUNDER_ACTION,
        ),
        Route("POST", f"/introductions/999999/{action}", OTHERS_PROPOSAL_FOUNDER_ACTION),
    ]


#: Asking for an introduction: approved investors only; a proposal they may
#: not ask about (a draft, an unknown id) is a 404 for them.
APPROVED_INVESTORS: dict[str, Outcome] = {
    "anonymous": LOGIN,
    "entrepreneur": FORBIDDEN,
    "pending_investor": FORBIDDEN,
    "investor": OK,
    "organiser": FORBIDDEN,
}


def _request_routes(method: str) -> list[Route]:
    """The form (200); sending it: to the investor's list of introductions."""
    data = {"message": "Hei"} if method == "POST" else {}
    done = Go("/introductions/") if method == "POST" else OK
    return [
        Route(
            method,
            lambda ctx: f"/matches/{ctx['submitted'].id}/introduction",
            APPROVED_INVESTORS | {"investor": done},
            data,
        ),
        Route(
            method,
            lambda ctx: f"/matches/{ctx['draft'].id}/introduction",
            APPROVED_INVESTORS | {"investor": NOT_FOUND},
            data,
        ),
        Route(
            method,
            "/matches/999999/introduction",
            APPROVED_INVESTORS | {"investor": NOT_FOUND},
            data,
        ),
    ]


def _match_routes(method: str, suffix: str, data: dict[str, str] | None = None) -> list[Route]:
    """Saving or turning down someone else's proposal: approved investors only
    (the form is a page; a POST goes back to the matches); a draft or an
    unknown id is a 404 for them."""
    data = data or {}
    done = Go("/matches/") if method == "POST" else OK
    return [
        Route(
            method,
            lambda ctx: f"/matches/{ctx['submitted'].id}{suffix}",
            APPROVED_INVESTORS | {"investor": done},
            data,
        ),
        Route(
            method,
            lambda ctx: f"/matches/{ctx['draft'].id}{suffix}",
            APPROVED_INVESTORS | {"investor": NOT_FOUND},
            data,
        ),
        Route(
            method, f"/matches/999999{suffix}", APPROVED_INVESTORS | {"investor": NOT_FOUND}, data
        ),
    ]


SECTORS = Go("/reference/sectors/")


def _reference_row(action: str) -> Callable[[dict[str, Any]], str]:
    """A sector added by an organiser (reference data belong to no one)."""

    def path(ctx: dict[str, Any]) -> str:
        from matchmaking.extensions import db
        from matchmaking.reference.models import Sector

        sector = Sector(slug=f"access-{ctx['other'].id}", name_nb="Tilgang", name_en="Access")
        db.session.add(sector)
        db.session.commit()
        return f"/reference/sectors/{sector.id}/{action}"

    return path


def _screening(which: str, suffix: str = "") -> Callable[[dict[str, Any]], str]:
    """Another founder's proposal (``submitted`` or ``draft``) on the screening pages."""

    def path(ctx: dict[str, Any]) -> str:
        return f"/screening/{ctx[which].id}{suffix}"

    return path


def _criterion(suffix: str) -> Callable[[dict[str, Any]], str]:
    """A rubric criterion added by an organiser (the rubric belongs to no one)."""

    def path(ctx: dict[str, Any]) -> str:
        from matchmaking.extensions import db
        from matchmaking.screening.models import Criterion

        criterion = Criterion(
            slug=f"access-{ctx['other'].id}", name_nb="Tilgang", name_en="Access", weight=1.0
        )
        db.session.add(criterion)
        db.session.commit()
        return f"/screening/rubric/{criterion.id}{suffix}"

    return path


def _screening_routes(method: str, suffix: str = "", done: Outcome = OK) -> list[Route]:
    """Someone else's submitted proposal: organisers only (``done``: what they
    get); a draft or an unknown id: 404."""
    return [
        Route(method, _screening("submitted", suffix), ORGANISERS | {"organiser": done}),
        Route(method, _screening("draft", suffix), ORGANISERS | {"organiser": NOT_FOUND}),
        Route(method, f"/screening/999999{suffix}", ORGANISERS | {"organiser": NOT_FOUND}),
    ]


RUBRIC = Go("/screening/rubric")


def _criterion_routes(suffix: str, done: Outcome = OK) -> list[Route]:
    return [
        Route("POST", _criterion(suffix), ORGANISERS | {"organiser": done}),
        Route("POST", f"/screening/rubric/999999{suffix}", ORGANISERS | {"organiser": NOT_FOUND}),
    ]


INVESTORS_ONLY: dict[str, Outcome] = {
    "anonymous": LOGIN,
    "entrepreneur": FORBIDDEN,
    "pending_investor": OK,
    "investor": OK,
    "organiser": FORBIDDEN,
}


def _investor_routes(method: str, suffix: str = "") -> list[Route]:
    """Someone else's investor account: organisers only; an unknown id or a
    user who is not an investor: 404."""
    return [
        Route(method, lambda ctx: f"/screening/investors/{ctx['investor'].id}{suffix}", ORGANISERS),
        Route(
            method,
            lambda ctx: f"/screening/investors/{ctx['other'].id}{suffix}",
            ORGANISERS | {"organiser": NOT_FOUND},
        ),
        Route(
            method, f"/screening/investors/999999{suffix}", ORGANISERS | {"organiser": NOT_FOUND}
        ),
    ]


TABLE: dict[str, list[Route]] = {
    "main.index": [Route("GET", "/", EVERYONE)],
    "main.set_language": [Route("POST", "/language", dict.fromkeys(ROLES, HOME), {"lang": "en"})],
    "main.healthz": [Route("GET", "/healthz", EVERYONE)],
    "static": [Route("GET", "/static/css/app.css", EVERYONE)],
    "bootstrap.static": [Route("GET", "/bootstrap/static/css/bootstrap.min.css", EVERYONE)],
    "auth.register": [Route("GET", "/auth/register", LOGGED_OUT_ONLY)],
    "auth.login": [Route("GET", "/auth/login", LOGGED_OUT_ONLY)],
    "auth.logout": [Route("POST", "/auth/logout", logged_in(HOME))],
    # A bad link: to the page that sends a new one.
    "auth.confirm": [
        Route("GET", "/auth/confirm/not-a-token", dict.fromkeys(ROLES, Go("/auth/confirm")))
    ],
    "auth.resend_confirmation": [Route("GET", "/auth/confirm", EVERYONE)],
    "auth.forgot_password": [Route("GET", "/auth/forgot", EVERYONE)],
    "auth.reset_password": [
        Route("GET", "/auth/reset/not-a-token", dict.fromkeys(ROLES, Go("/auth/forgot")))
    ],
    "account.profile": [Route("GET", "/account/", LOGGED_IN)],
    "account.change_password": [Route("GET", "/account/password", LOGGED_IN)],
    "account.change_email": [Route("GET", "/account/email", LOGGED_IN)],
    "account.confirm_email_change": [
        Route(
            "GET",
            "/account/email/confirm/not-a-token",
            logged_in(Go("/account/email")),
        ),
    ],
    "admin.users": [Route("GET", "/admin/users", ORGANISERS)],
    "admin.new_organiser": [Route("GET", "/admin/users/new-organiser", ORGANISERS)],
    "admin.disable_user": [
        # The first click only asks (the confirm page); "Yes" (confirm=1) disables.
        Route("POST", _other_user, ORGANISERS),
        Route("POST", _other_user, ORGANISERS | {"organiser": Go("/admin/users")}, CONFIRM),
        Route("POST", "/admin/users/999999/disable", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
    "admin.enable_user": [
        Route("POST", _other_user_enable, ORGANISERS | {"organiser": Go("/admin/users")}),
        Route("POST", "/admin/users/999999/enable", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
    "admin.failed_mail": [Route("GET", "/admin/mail", ORGANISERS)],
    "admin.send_mail_again": [
        Route("POST", _failed_email("send"), ORGANISERS | {"organiser": Go("/admin/mail")}),
        Route("POST", "/admin/mail/999999/send", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
    "admin.dismiss_mail": [
        Route("POST", _failed_email("dismiss"), ORGANISERS | {"organiser": Go("/admin/mail")}),
        Route("POST", "/admin/mail/999999/dismiss", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
    # Organisers work on the screening board.
    "proposals.index": [Route("GET", "/proposals/", LOGGED_IN | {"organiser": Go("/screening/")})],
    "proposals.company": [Route("GET", "/proposals/company", FOUNDERS)],
    # A founder without a company registers it first.
    "proposals.new": [
        Route("GET", "/proposals/new", FOUNDERS | {"entrepreneur": Go("/proposals/company")})
    ],
    "proposals.detail": [
        Route(
            "GET",
            _own(""),
            LOGGED_IN
            | {"pending_investor": NOT_FOUND, "investor": NOT_FOUND, "organiser": NOT_FOUND},
        ),
        Route("GET", _proposal("submitted"), LOGGED_IN | {"entrepreneur": NOT_FOUND}),
        Route(
            "GET",
            _proposal("draft"),
            {"anonymous": LOGIN} | {r: NOT_FOUND for r in ROLES if r != "anonymous"},
        ),
        Route(
            "GET",
            "/proposals/999999",
            {"anonymous": LOGIN} | {r: NOT_FOUND for r in ROLES if r != "anonymous"},
        ),
    ],
    "proposals.edit": [
        Route("GET", _own("/edit"), FOUNDERS),
        Route("GET", _proposal("draft", "/edit"), OTHERS_PROPOSAL_FOUNDER_ACTION),
    ],
    "proposals.deck": [
        Route(
            "GET",
            _proposal("submitted", "/deck"),
            LOGGED_IN | {"entrepreneur": NOT_FOUND, "pending_investor": FORBIDDEN},
        ),
        Route(
            "GET",
            _proposal("draft", "/deck"),
            {"anonymous": LOGIN} | {r: NOT_FOUND for r in ROLES if r != "anonymous"},
        ),
    ],
    "proposals.upload_deck": [
        # Allowed for the owner; with no file sent the form answers 400 with its message.
        Route("POST", _own("/deck"), FOUNDERS | {"entrepreneur": "400"}),
        Route("POST", _proposal("draft", "/deck"), OTHERS_PROPOSAL_FOUNDER_ACTION),
    ],
    "proposals.submit": [
        Route("POST", _own("/submit"), FOUNDERS | {"entrepreneur": up()}),
        Route("POST", _proposal("draft", "/submit"), OTHERS_PROPOSAL_FOUNDER_ACTION),
    ],
    "proposals.withdraw": [
        # The first click only asks (the confirm page); "Yes" (confirm=1) withdraws.
        Route("POST", _own("/withdraw"), FOUNDERS),
        Route("POST", _own("/withdraw"), FOUNDERS | {"entrepreneur": up()}, CONFIRM),
        Route("POST", _proposal("submitted", "/withdraw"), OTHERS_PROPOSAL_FOUNDER_ACTION),
        Route("POST", _proposal("submitted", "/withdraw"), OTHERS_PROPOSAL_FOUNDER_ACTION, CONFIRM),
    ],
    "reference.index": [Route("GET", "/reference/", ORGANISERS)],
    "reference.list_rows": [
        Route("GET", "/reference/municipalities/", ORGANISERS),
        Route("GET", "/reference/no-such-kind/", dict.fromkeys(ROLES, NOT_FOUND)),
    ],
    "reference.new": [Route("GET", "/reference/subprojects/new", ORGANISERS)],
    "reference.edit": [
        Route("GET", _reference_row("edit"), ORGANISERS),
        Route("GET", "/reference/stages/999999/edit", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
    "reference.retire": [
        Route("POST", _reference_row("retire"), ORGANISERS | {"organiser": SECTORS}),
        Route("POST", "/reference/regions/999999/retire", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
    "reference.unretire": [
        Route("POST", _reference_row("unretire"), ORGANISERS | {"organiser": SECTORS}),
        Route("POST", "/reference/sectors/999999/unretire", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
    "reference.delete": [
        Route("POST", _reference_row("delete"), ORGANISERS | {"organiser": SECTORS}),
        Route("POST", "/reference/sectors/999999/delete", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
    "screening.board": [
        Route("GET", "/screening/", ORGANISERS),
        Route("GET", "/screening/?tab=all&q=x&sort=score_desc", ORGANISERS),
        Route("GET", "/screening/?tab=screening&reviews=missing", ORGANISERS),
        Route("GET", "/screening/?reviews=nonsense", ORGANISERS),
    ],
    "screening.detail": _screening_routes("GET"),
    "screening.review": _screening_routes("POST", "/review"),
    "screening.declare_conflict": _screening_routes("POST", "/conflict", up()),
    "screening.withdraw_conflict": _screening_routes("POST", "/conflict/withdraw", up(2)),
    "screening.decide": [
        *_screening_routes("POST", "/decision"),
        # Accepting with fewer reviews than the rubric asks for: the confirm page;
        # "Yes" (confirm=1) accepts, back to the proposal's screening page.
        Route(
            "POST",
            _screening("submitted", "/decision"),
            ORGANISERS,
            {"decision": "accepted", "reason": "Bra."},
        ),
        Route(
            "POST",
            _screening("submitted", "/decision"),
            ORGANISERS | {"organiser": up()},
            {"decision": "accepted", "reason": "Bra."} | CONFIRM,
        ),
    ],
    "investors.profile": [
        Route("GET", "/investor/profile", INVESTORS_ONLY),
        Route("POST", "/investor/profile", INVESTORS_ONLY),
    ],
    "investors.screening": [
        Route("GET", "/screening/investors", ORGANISERS),
        Route("GET", "/screening/investors?status=pending", ORGANISERS),
        Route("GET", "/screening/investors?status=nonsense", ORGANISERS),
    ],
    "investors.investor": _investor_routes("GET"),
    "investors.decide": _investor_routes("POST", "/decision"),
    "screening.rubric": [Route("GET", "/screening/rubric", ORGANISERS)],
    "screening.add_criterion": [Route("POST", "/screening/rubric/new", ORGANISERS)],
    "screening.edit_criterion": _criterion_routes(""),
    "screening.retire_criterion": _criterion_routes("/retire", RUBRIC),
    "screening.restore_criterion": _criterion_routes("/restore", RUBRIC),
    "screening.delete_criterion": _criterion_routes("/delete", RUBRIC),
    "screening.settings": [
        Route(
            "POST",
            "/screening/settings",
            ORGANISERS | {"organiser": RUBRIC},
            {"show_scores_before_own": "y", "min_reviews": "2"},
        )
    ],
    "introductions.request_form": _request_routes("GET"),
    "introductions.request": _request_routes("POST"),
    "introductions.index": [
        Route(
            "GET",
            "/introductions/",
            LOGGED_IN | {"pending_investor": FORBIDDEN, "organiser": FORBIDDEN},
        )
    ],
    "introductions.open_requests": [
        Route("GET", "/introductions/open", ORGANISERS),
        Route("GET", "/introductions/open?waiting=long", ORGANISERS),
    ],
    "introductions.accept": _introduction_routes("accept"),
    "introductions.decline": _introduction_routes("decline"),
    # Pending investors get a page saying they await approval.
    "matches.index": [
        Route("GET", "/matches/", INVESTORS_ONLY),
        Route("GET", "/matches/?tab=saved&q=tare&ask_from=x&sector=nope&page=9", INVESTORS_ONLY),
        Route("GET", "/matches/?tab=hidden", INVESTORS_ONLY),
    ],
    "matches.toggle_save": _match_routes("POST", "/save"),
    # Taking back a "not interested" (from the Hidden tab or the proposal page).
    "matches.undo_not_interested": _match_routes("POST", "/undo-not-interested"),
    "matches.not_interested": [
        *_match_routes("GET", "/not-interested"),
        *_match_routes("POST", "/not-interested", {"reason": "team"}),
    ],
}


#: Signing up: investors (a pending one is told why, on the page); others 403.
INVESTOR_ROLE: dict[str, Outcome] = {
    "anonymous": LOGIN,
    "entrepreneur": FORBIDDEN,
    "pending_investor": OK,
    "investor": OK,
    "organiser": FORBIDDEN,
}


def _event(key: str, suffix: str = "") -> Callable[[dict[str, Any]], str]:
    return lambda ctx: f"/events/{ctx[key].id}{suffix}"


def _event_routes(method: str, suffix: str, expect: dict[str, Outcome]) -> list[Route]:
    """A published session, a draft (404 for all but organisers) and an unknown id."""
    allowed = [r for r, v in expect.items() if v == OK or isinstance(v, Go)]
    return [
        Route(method, _event("event", suffix), expect),
        Route(
            method,
            _event("draft_event", suffix),
            expect | {r: NOT_FOUND for r in allowed if r != "organiser"},
        ),
        Route(method, f"/events/999999{suffix}", expect | dict.fromkeys(allowed, NOT_FOUND)),
    ]


def _candidate(event_key: str, candidate: str = "") -> Callable[[dict[str, Any]], str]:
    def path(ctx: dict[str, Any]) -> str:
        cid = candidate or ctx["candidate"].id
        return f"/events/{ctx[event_key].id}/candidates/{cid}/remove"

    return path


BACK: dict[str, Outcome] = {"organiser": session()}
INVESTORS_BACK: dict[str, Outcome] = {"pending_investor": session(), "investor": session()}

TABLE.update(
    {
        "events.index": [Route("GET", "/events/", LOGGED_IN)],
        "events.new": [
            Route("GET", "/events/new", ORGANISERS),
            Route("POST", "/events/new", ORGANISERS, {"title": ""}),
        ],
        "events.show": _event_routes("GET", "", LOGGED_IN),
        "events.edit": [
            *_event_routes("GET", "/edit", ORGANISERS),
            Route("POST", _event("event", "/edit"), ORGANISERS, {"title": ""}),
        ],
        # The session's actions go back to the session's page (a pending
        # investor signing up is told why there).
        "events.publish": _event_routes("POST", "/publish", ORGANISERS | BACK),
        "events.signup": _event_routes("POST", "/signup", INVESTOR_ROLE | INVESTORS_BACK),
        "events.cancel": _event_routes("POST", "/cancel", INVESTOR_ROLE | INVESTORS_BACK),
        "events.apply": _event_routes("POST", "/apply", FOUNDERS | {"entrepreneur": session()}),
        "events.nominate": _event_routes("POST", "/nominate", ORGANISERS | BACK),
        "events.remove_candidate": [
            Route("POST", _candidate("other_event"), ORGANISERS | BACK),
            # Another event's candidate through this event's URL, or none: 404.
            Route("POST", _candidate("event"), ORGANISERS | {"organiser": NOT_FOUND}),
            Route("POST", _candidate("event", "999999"), ORGANISERS | {"organiser": NOT_FOUND}),
        ],
    }
)


# Later Springbrett features keep their rows (and the objects their paths need)
# beside their tests: each module has ``ROWS`` (endpoint -> routes) and ``CTX``
# (Ctx key -> factory taking the Ctx). Imported here, after everything they use.
from tests.events import access_agenda, access_lineup, access_meetings  # noqa: E402
from tests.programme import access_programme  # noqa: E402
from tests.results import access_results  # noqa: E402
from tests.rounds import access_close, access_commitments, access_page  # noqa: E402

for _module in (
    access_lineup,
    access_meetings,
    access_agenda,
    access_page,
    access_commitments,
    access_close,
    access_results,
    access_programme,
):
    assert not set(_module.ROWS) & set(TABLE), _module.__name__
    TABLE.update(_module.ROWS)
    EXTRA_CTX.update(_module.CTX)


def test_every_route_is_in_the_table(app: Any) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert sorted(endpoints - set(TABLE)) == []
    assert sorted(set(TABLE) - endpoints) == []


CASES = [
    pytest.param(endpoint, i, role, id=f"{endpoint}[{i}]-{role}")
    for endpoint, routes in TABLE.items()
    for i in range(len(routes))
    for role in ROLES
]


@pytest.mark.parametrize(("endpoint", "index", "role"), CASES)
def test_access(
    app: Any,
    client: Any,
    login_as: Any,
    make_user: Any,
    make_proposal: Any,
    endpoint: str,
    index: int,
    role: str,
) -> None:
    route = TABLE[endpoint][index]
    ctx = Ctx(app, make_user, make_proposal)
    ctx["other"]  # someone else exists before the user logs in
    ctx["me"] = login_as(role)
    path = route.path(ctx) if callable(route.path) else route.path
    response = client.open(path, method=route.method, data=route.data)
    response.close()
    expected = route.expect[role]
    went = urlsplit(response.headers.get("Location", "")).path
    if expected == LOGIN:
        assert (response.status_code, went) == (302, "/auth/login")
    elif isinstance(expected, Go):
        assert (response.status_code, went) == (302, expected.path(path))
    elif expected == OK:
        assert response.status_code == 200, (response.status_code, went)
    else:
        assert response.status_code == int(expected), (response.status_code, went)
