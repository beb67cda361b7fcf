"""Odd numbers never give a 500: ids in the path, numbers in query strings and forms.

Ids and numbers are read in one place (``matchmaking.numbers``): ASCII digits
only, within what the column holds (ids 1 .. 2^31 - 1, INTEGER on
PostgreSQL). An id the databases cannot hold is a 404; a bad filter is
ignored or told beside its field; a bad number in a form is a field error.
These tests walk every route of ``app.url_map`` (through the table of
``tests/test_access.py``) as each kind of user and send the odd numbers an
audit sent: Unicode digits, a number too large for any column, a negative
one, one with a space, one with a decimal point.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.routing import AnyConverter

from matchmaking.converters import IdConverter
from tests.conftest import ROLES
from tests.test_access import TABLE, Ctx

#: Superscript two (``"²".isdigit()`` is true, ``int("²")`` fails), an
#: Arabic-Indic three (``int("٣") == 3``), too large for any column, negative,
#: with a space, with a decimal point.
ODD_NUMBERS = ["²", "٣", "99999999999999999999999", "-1", " 1", "1.0"]
#: Ids in a path: one above a 32-bit INTEGER column, and two that are not ASCII digits.
ODD_IDS = ["2147483648", "99999999999999999999999", "²", "٣"]

#: Every query parameter the views read (``grep -rn request.args matchmaking``),
#: per endpoint. Every page also gets all of them at once.
QUERY_PARAMS: dict[str, tuple[str, ...]] = {
    "matches.index": (
        "page",
        "sector",
        "stage",
        "municipality",
        "subproject",
        "ask_from",
        "ask_to",
        "q",
        "tab",
    ),
    "screening.board": ("sector", "stage", "municipality", "subproject", "sort", "tab", "q"),
    "events.agenda": ("participant",),
    "events.agenda_ics": ("participant",),
    "events.meetings": ("proposal",),
    "proposals.company": ("company", "new"),
    "proposals.new": ("company", "new"),
    "admin.users": ("role",),
    "programme.report": ("from", "to"),
}

#: Numeric fields posted by forms that a page may not show in these tests
#: (a schedule's "move" form needs a schedule): sent to every POST route.
NUMERIC_FORM_FIELDS = (
    "version",
    "proposal",
    "company",
    "investor",
    "slot",
    "municipality",
    "region_id",
    "sector",
    "stage",
    "subproject",
    "ask",
    "min_ticket",
    "pre_money",
    "jobs_now",
    "jobs_in_3_years",
    "ticket_min",
    "ticket_max",
    "pitch_slots",
    "minutes_per_pitch",
    "meeting_slots",
    "meeting_minutes",
    "capacity",
    "max_per_municipality",
    "min_meetings",
    "weight",
    "position",
)


#: At least this many numeric field names are found on the pages each user sees
#: (so the walk does not silently find no forms).
MIN_NUMERIC_FIELDS = {"entrepreneur": 10, "pending_investor": 5, "investor": 5, "organiser": 10}


def _sample_path(rule: Any, value: str) -> str:
    """The rule's path with every id argument ``value`` (the first choice for the others)."""
    parts: dict[str, str] = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IdConverter):
            parts[name] = value
        elif isinstance(converter, AnyConverter):
            parts[name] = sorted(converter.items)[0]
        else:
            parts[name] = "x"
    path = rule.rule
    for name in rule._converters:
        start = path.index("<")
        end = path.index(">", start)
        assert name in path[start:end]
        path = path[:start] + parts[name] + path[end + 1 :]
    return path


def _server_error(response: Any) -> bool:
    response.close()
    return response.status_code >= 500


@pytest.mark.parametrize("role", ROLES)
def test_an_id_the_columns_cannot_hold_is_a_404_on_every_route(
    app: Any, client: Any, login_as: Any, role: str
) -> None:
    login_as(role)
    rules = [
        r
        for r in app.url_map.iter_rules()
        if any(isinstance(c, IdConverter) for c in r._converters.values())
    ]
    assert len(rules) > 40
    wrong = []
    for rule in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for value in ODD_IDS:
                path = _sample_path(rule, value)
                response = client.open(path, method=method)
                response.close()
                if response.status_code != 404:
                    wrong.append((method, path, response.status_code))
    assert wrong == [], "\n".join(map(str, wrong))


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields as a browser would send them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {
                    "method": a.get("method", "get").lower(),
                    "action": a.get("action", ""),
                    "fields": [],
                    "numeric": set(),
                }
            )
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            value = a.get("value", "")
            if kind in ("checkbox", "radio") and "checked" not in a:
                if value.isascii() and value.isdigit():
                    form["numeric"].add(name)
                return
            if kind in ("submit", "button", "file"):
                return
            form["fields"].append((name, a.get("value", "")))
            if kind == "number" or a.get("inputmode") == "numeric" or name == "version":
                form["numeric"].add(name)
            if a.get("value", "").isascii() and a.get("value", "").isdigit():
                form["numeric"].add(name)
        elif tag == "select" and name:
            self._select = name
            form["fields"].append((name, None))
        elif tag == "option" and self._select:
            value = a.get("value", "")
            fields = form["fields"]
            index = max(i for i, (n, _v) in enumerate(fields) if n == self._select)
            if fields[index][1] is None or "selected" in a:
                fields[index] = (self._select, value)
            if value.isascii() and value.isdigit():
                form["numeric"].add(self._select)
        elif tag == "textarea" and name:
            self._textarea = name
            form["fields"].append((name, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self.forms:
            fields = self.forms[-1]["fields"]
            fields[-1] = (self._textarea, fields[-1][1] + data)


def _path(route: Any, ctx: Ctx) -> str | None:
    """The route's path for this user; None when making its objects twice in one
    test clashes (the access table's reference rows have one slug per user)."""
    from sqlalchemy.exc import IntegrityError

    from matchmaking.extensions import db

    try:
        return route.path(ctx) if callable(route.path) else route.path
    except IntegrityError:
        db.session.rollback()
        return None


def _routes(ctx: Ctx, method: str) -> list[tuple[str, str, Any]]:
    out = []
    for endpoint, routes in TABLE.items():
        for route in routes:
            if route.method == method and endpoint not in ("static", "bootstrap.static"):
                path = _path(route, ctx)
                if path is not None:
                    out.append((endpoint, path, route))
    return out


@pytest.mark.parametrize("role", ROLES)
def test_odd_numbers_in_query_strings_never_give_a_500(
    app: Any, client: Any, login_as: Any, make_user: Any, make_proposal: Any, role: str
) -> None:
    ctx = Ctx(app, make_user, make_proposal)
    ctx["other"]
    ctx["me"] = login_as(role)
    wrong = []
    for endpoint, path, _route in _routes(ctx, "GET"):
        base = urlsplit(path)
        names = QUERY_PARAMS.get(endpoint, ())
        for value in ODD_NUMBERS:
            every = {n: value for names_ in QUERY_PARAMS.values() for n in names_}
            queries = [{name: value} for name in names] + [every]
            for query in queries:
                url = f"{base.path}?{urlencode(query)}"
                if _server_error(client.get(url)):
                    wrong.append(url)
    assert wrong == [], "\n".join(map(str, wrong))


@pytest.mark.parametrize("role", ROLES)
def test_odd_numbers_in_forms_never_give_a_500(
    app: Any, client: Any, login_as: Any, make_user: Any, make_proposal: Any, role: str
) -> None:
    """Every POST form on every page, each numeric field (hidden ``version`` too)
    in turn; and every POST route with all numeric field names at once."""
    ctx = Ctx(app, make_user, make_proposal)
    ctx["other"]
    ctx["me"] = login_as(role)
    wrong = []
    tried = set()
    for _endpoint, path, _route in _routes(ctx, "GET"):
        response = client.get(path)
        response.close()
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        parser = _Forms()
        parser.feed(response.get_data(as_text=True))
        for form in parser.forms:
            if form["method"] != "post":
                continue
            action = form["action"] or path
            for name in sorted(form["numeric"]):
                if (action, name) in tried:
                    continue
                tried.add((action, name))
                for value in ODD_NUMBERS:
                    data = MultiDict([(n, v) for n, v in form["fields"] if n != name])
                    data.add(name, value)
                    if _server_error(client.post(action, data=data)):
                        wrong.append((path, action, name, value))
    if role != "anonymous":  # the anonymous pages have no numeric fields
        assert len({name for _action, name in tried}) >= MIN_NUMERIC_FIELDS[role], sorted(tried)
    for endpoint, path, route in _routes(ctx, "POST"):
        for value in ODD_NUMBERS:
            data = {**route.data, **dict.fromkeys(NUMERIC_FORM_FIELDS, value)}
            if _server_error(client.post(path, data=data)):
                wrong.append((endpoint, path, "*", value))
    assert wrong == [], "\n".join(map(str, wrong))


# -- what a person sees ---------------------------------------------------------

#: The odd numbers that are not a number at all (`` 1`` is one, with a space).
NOT_NUMBERS = [v for v in ODD_NUMBERS if v != " 1"]
TOO_LARGE = "99999999999999999999999"

FIELD_MESSAGES = {
    "nb": {
        "jobs_now": "Skriv et helt tall fra 0 til 100000.",
        "ask": "Skriv hele kroner",
        "ask-large": "Beløpet er for stort; sjekk antall nuller.",
        "sector": "Ikke et gyldig valg",
        "pitch_slots": "Skriv et helt tall",
        "ticket_min": "Skriv hele kroner",
        "ticket_min-large": "Beløpet er for stort; sjekk antall nuller.",
    },
    "en": {
        "jobs_now": "Enter a whole number from 0 to 100000.",
        "ask": "Write whole kroner",
        "ask-large": "That amount is too large; check the number of zeros.",
        "sector": "Not a valid choice",
        "pitch_slots": "Enter a whole number",
        "ticket_min": "Write whole kroner",
        "ticket_min-large": "That amount is too large; check the number of zeros.",
    },
}


def _error_beside(page: str, name: str) -> str:
    """The message shown beside field ``name`` (its ``<name>-error`` element)."""
    import re

    match = re.search(rf'id="{re.escape(name)}-error"[^>]*>([^<]*)<', page)
    assert match, f"no message beside {name}"
    return match.group(1)


@pytest.mark.parametrize("locale", ["nb", "en"])
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_an_odd_number_in_the_proposal_form_is_told_beside_the_field(
    client: Any, db: Any, login_as: Any, reference: None, locale: str, value: str
) -> None:
    from sqlalchemy import select

    from matchmaking.proposals.models import Proposal
    from tests.proposals.test_founder import _ids, company_data, proposal_data

    login_as("entrepreneur", locale=locale)
    ids = _ids(db)
    client.post("/proposals/company", data=company_data(ids))
    words = FIELD_MESSAGES[locale]
    for name in ("jobs_now", "ask", "sector"):
        response = client.post("/proposals/new", data=proposal_data(ids, **{name: value}))
        assert response.status_code == 200
        key = f"{name}-large" if value == TOO_LARGE and f"{name}-large" in words else name
        assert words[key] in _error_beside(response.get_data(as_text=True), name), (name, value)
    assert db.session.scalar(select(Proposal)) is None


@pytest.mark.parametrize("locale", ["nb", "en"])
@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_an_odd_number_in_the_investor_profile_is_told_beside_the_field(
    client: Any, db: Any, login_as: Any, reference: None, locale: str, value: str
) -> None:
    login_as("investor", locale=locale)
    response = client.post("/investor/profile", data={"ticket_min": value, "ticket_max": "1000000"})
    assert response.status_code in (200, 400)
    words = FIELD_MESSAGES[locale]
    key = "ticket_min-large" if value == TOO_LARGE else "ticket_min"
    assert words[key] in _error_beside(response.get_data(as_text=True), "ticket_min")


@pytest.mark.parametrize("locale", ["nb", "en"])
@pytest.mark.parametrize("value", [*NOT_NUMBERS, "2147483648"])
def test_an_odd_number_in_the_session_form_is_told_beside_the_field(
    client: Any, db: Any, login_as: Any, reference: None, locale: str, value: str
) -> None:
    from tests.events.session.test_views import _count, _form

    login_as("organiser", locale=locale)
    response = client.post("/events/new", data=_form(pitch_slots=value))
    assert response.status_code == 200
    assert FIELD_MESSAGES[locale]["pitch_slots"] in _error_beside(response.text, "pitch_slots")
    assert _count() == 0


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_an_odd_version_is_a_stale_form_not_a_500(
    client: Any, db: Any, login_as: Any, reference: None, value: str
) -> None:
    """The hidden ``version`` of the session form: anything but the current
    version is told as "changed meanwhile", nothing is saved."""
    from tests.conftest import reload
    from tests.events.factories import new_event
    from tests.events.session.test_views import _form

    organiser = login_as("organiser", locale="en")
    event = new_event(organiser, published=False)
    response = client.post(f"/events/{event.id}/edit", data=_form(title="Changed", version=value))
    if value == " 1":  # the current version, with a space: saved as typed
        assert response.status_code == 302
        assert reload(event).title == "Changed"
        return
    assert response.status_code == 200
    assert "Changed" not in reload(event).title
    assert "someone" in response.text.lower() or "reload" in response.text.lower()


@pytest.mark.parametrize("value", [*ODD_NUMBERS, "2147483648", "9" * 5000])
def test_odd_filters_on_the_matches_page_are_ignored_or_told(
    client: Any, db: Any, login_as: Any, make_proposal: Any, value: str
) -> None:
    """A filter that is not a number (or a sector, stage ... not offered) is
    left out, with a message beside it; the page shows the matches."""
    login_as("investor", locale="en")
    for name in ("sector", "stage", "municipality", "subproject", "ask_from", "page"):
        response = client.get("/matches/?" + urlencode({name: value}))
        assert response.status_code == 200, (name, value)
        if name in ("sector", "stage") and value.strip():
            assert "Choose one from the list." in _error_beside(response.text, name)
