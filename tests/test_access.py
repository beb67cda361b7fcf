"""Who may reach each route: a table, walked against ``app.url_map``.

Each entry gives, per role, what the person gets: ``ok`` (2xx or a redirect
within the feature), ``login`` (sent to the login page), ``403`` or ``404``.
A new route without an entry fails ``test_every_route_is_in_the_table``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.conftest import ROLES

OK, LOGIN, FORBIDDEN, NOT_FOUND = "ok", "login", "403", "404"
EVERYONE = dict.fromkeys(ROLES, OK)
LOGGED_IN = {"anonymous": LOGIN} | {r: OK for r in ROLES if r != "anonymous"}
ORGANISERS = {
    "anonymous": LOGIN,
    "entrepreneur": FORBIDDEN,
    "pending_investor": FORBIDDEN,
    "investor": FORBIDDEN,
    "organiser": OK,
}
LOGGED_OUT_ONLY = {"anonymous": OK} | {r: "redirect" for r in ROLES if r != "anonymous"}


@dataclass
class Route:
    method: str
    path: str | Callable[[dict[str, Any]], str]
    expect: dict[str, str]
    data: dict[str, str] = field(default_factory=dict)


def _other_user(ctx: dict[str, Any]) -> str:
    return f"/admin/users/{ctx['other'].id}/disable"


def _other_user_enable(ctx: dict[str, Any]) -> str:
    return f"/admin/users/{ctx['other'].id}/enable"


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


TABLE: dict[str, list[Route]] = {
    "main.index": [Route("GET", "/", EVERYONE)],
    "main.set_language": [Route("POST", "/language", EVERYONE, {"lang": "en"})],
    "main.healthz": [Route("GET", "/healthz", EVERYONE)],
    "static": [Route("GET", "/static/css/app.css", EVERYONE)],
    "bootstrap.static": [Route("GET", "/bootstrap/static/css/bootstrap.min.css", EVERYONE)],
    "auth.register": [Route("GET", "/auth/register", LOGGED_OUT_ONLY)],
    "auth.login": [Route("GET", "/auth/login", LOGGED_OUT_ONLY)],
    "auth.logout": [Route("POST", "/auth/logout", LOGGED_IN)],
    "auth.confirm": [Route("GET", "/auth/confirm/not-a-token", dict.fromkeys(ROLES, "redirect"))],
    "auth.resend_confirmation": [Route("GET", "/auth/confirm", EVERYONE)],
    "auth.forgot_password": [Route("GET", "/auth/forgot", EVERYONE)],
    "auth.reset_password": [
        Route("GET", "/auth/reset/not-a-token", dict.fromkeys(ROLES, "redirect"))
    ],
    "account.profile": [Route("GET", "/account/", LOGGED_IN)],
    "account.change_password": [Route("GET", "/account/password", LOGGED_IN)],
    "account.change_email": [Route("GET", "/account/email", LOGGED_IN)],
    "account.confirm_email_change": [
        Route(
            "GET",
            "/account/email/confirm/not-a-token",
            {"anonymous": LOGIN} | {r: "redirect" for r in ROLES if r != "anonymous"},
        ),
    ],
    "admin.users": [Route("GET", "/admin/users", ORGANISERS)],
    "admin.new_organiser": [Route("GET", "/admin/users/new-organiser", ORGANISERS)],
    "admin.disable_user": [
        Route("POST", _other_user, ORGANISERS),
        Route("POST", "/admin/users/999999/disable", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
    "admin.enable_user": [
        Route("POST", _other_user_enable, ORGANISERS),
        Route("POST", "/admin/users/999999/enable", ORGANISERS | {"organiser": NOT_FOUND}),
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
        Route("POST", _reference_row("retire"), ORGANISERS),
        Route("POST", "/reference/regions/999999/retire", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
    "reference.unretire": [
        Route("POST", _reference_row("unretire"), ORGANISERS),
        Route("POST", "/reference/sectors/999999/unretire", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
    "reference.delete": [
        Route("POST", _reference_row("delete"), ORGANISERS),
        Route("POST", "/reference/sectors/999999/delete", ORGANISERS | {"organiser": NOT_FOUND}),
    ],
}


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
    client: Any, login_as: Any, make_user: Any, endpoint: str, index: int, role: str
) -> None:
    route = TABLE[endpoint][index]
    ctx = {"other": make_user("entrepreneur")}  # someone else's object
    login_as(role)
    path = route.path(ctx) if callable(route.path) else route.path
    response = client.open(path, method=route.method, data=route.data)
    response.close()
    expected = route.expect[role]
    location = response.headers.get("Location", "")
    if expected == LOGIN:
        assert response.status_code == 302
        assert location.startswith("/auth/login")
    elif expected == "redirect":
        assert response.status_code == 302
        assert not location.startswith("/auth/login?next")
    elif expected == OK:
        assert response.status_code in (200, 302), response.status_code
        assert not location.startswith("/auth/login")
    else:
        assert response.status_code == int(expected)
