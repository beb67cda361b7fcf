"""Names people type are shown as text on every page, never as markup.

Markup is planted in every name an organiser edits (regions, municipalities,
sectors, stages, sub-projects, rubric criteria, a session's title and venue)
and in the names founders and investors type (companies, proposals, people,
investor profiles); then every page each kind of user can reach is walked
(every GET route, and every link on the pages), in both languages. No page
may carry the planted tags; each planted name must be shown, escaped,
somewhere, and on the two pages that once built form labels from names.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape
from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.events.models import Event
from matchmaking.extensions import db as _db
from matchmaking.investors.models import InvestorProfile
from matchmaking.proposals.models import Company, Proposal
from matchmaking.reference.models import Municipality, Region, Sector, Stage, Subproject
from matchmaking.results.models import ResultReport
from matchmaking.screening.models import Criterion
from tests.events.agenda_factories import scene

MARK = "<b>x</b><script>alert(1)</script>"
#: What a page must never contain: the planted tags, as tags.
RAW = ("<b>x</b>", "<script>alert(1)</script>")
#: Pages not worth walking (files, tokens, assets).
SKIP = re.compile(r"^/(static|bootstrap)/|\.(ics|csv)$|/deck$|/confirm/|/reset/")
MAX_PAGES = 250

#: (model, columns) whose values organisers (and users) type as names.
NAMED: list[tuple[Any, tuple[str, ...]]] = [
    (Region, ("name_nb", "name_en")),
    (Municipality, ("name",)),
    (Sector, ("name_nb", "name_en")),
    (Stage, ("name_nb", "name_en")),
    (Subproject, ("name_nb", "name_en")),
    (Criterion, ("name_nb", "name_en")),
    (Event, ("title", "venue")),
    (Company, ("name", "contact_name")),
    (Proposal, ("title",)),
    (User, ("name",)),
    (InvestorProfile, ("display_name", "organisation")),
]


def _plant() -> dict[str, str]:
    """Markup before every name; returns each planted value by where it went."""
    planted: dict[str, str] = {}
    for model, columns in NAMED:
        for row in _db.session.scalars(select(model)):
            for column in columns:
                value = getattr(row, column)
                if value is None:
                    continue
                marked = f"{MARK}{value}"
                setattr(row, column, marked)
                planted[f"{model.__name__}.{column}#{row.id}"] = marked
    _db.session.commit()
    return planted


def _seeds(app: Any, s: Any) -> list[str]:
    """Every GET route, its arguments filled from the scene."""
    values: dict[str, list[Any]] = {
        "event_id": [s.event.id],
        "proposal_id": [p.id for p in s.proposals.values()],
        "user_id": [s.ida.id, s.per.id],
        "meeting_id": [m.id for m in s.event.meetings],
        # The scene has no follow-up reports (no funded round): their edit pages are 404.
        "report_id": [*_db.session.scalars(select(ResultReport.id)), 1][:1],
        "kind": ["regions", "municipalities", "sectors", "stages", "subprojects"],
    }
    urls: list[str] = []
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or SKIP.search(rule.rule):
            continue
        if "token" in rule.arguments or "filename" in rule.arguments:
            continue
        combos: list[dict[str, Any]] = [{}]
        for name in rule.arguments:
            if name == "row_id":
                continue
            combos = [c | {name: v} for c in combos for v in values[name]]
        for combo in combos:
            if "row_id" in rule.arguments:
                model = {
                    "regions": Region,
                    "municipalities": Municipality,
                    "sectors": Sector,
                    "stages": Stage,
                    "subprojects": Subproject,
                }[combo["kind"]]
                combo = combo | {"row_id": _db.session.scalars(select(model.id)).first()}
            with app.test_request_context():
                from flask import url_for

                urls.append(url_for(rule.endpoint, **combo))
    return sorted(set(urls))


def _walk(app: Any, user: User | None, seeds: list[str], lang: str) -> dict[str, str]:
    """Every HTML page ``user`` reaches from the seeds by links: url -> body."""
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
            session["lang"] = lang
    queue, seen, pages = list(seeds), set(seeds), {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.mimetype != "text/html":
            continue
        body = response.get_data(as_text=True)
        pages[url] = body
        for href in re.findall(r'href="(/[^"#]*)', body):
            link = unescape(href)
            parts = urlsplit(link)
            if SKIP.search(parts.path) or "lang=" in parts.query or link in seen:
                continue
            seen.add(link)
            queue.append(link)
    return pages


def test_every_name_is_shown_as_text_on_every_page(
    app: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    organiser = make_user("organiser", name="Olga Organiser")
    s = scene(make_user, make_proposal, organiser=organiser)
    # One more, waiting for screening: its page has the score sheet.
    s.proposals["Ny"] = make_proposal(status="submitted", title="Ny")
    _db.session.add_all(
        [
            Criterion(slug="team", name_nb="Team", name_en="Team", weight=1.0, position=0),
            Criterion(slug="marked", name_nb="Marked", name_en="Market", weight=2.0, position=1),
        ]
    )
    _db.session.commit()
    seeds = _seeds(app, s)
    planted = _plant()
    walks = {
        ("organiser", "nb"): _walk(app, organiser, seeds, "nb"),
        ("organiser", "en"): _walk(app, organiser, seeds, "en"),
        ("investor", "en"): _walk(app, s.ida, seeds, "en"),
        ("investor", "nb"): _walk(app, s.per, seeds, "nb"),
        ("founder", "nb"): _walk(app, s.founders["Tare"], seeds, "nb"),
        ("anonymous", "nb"): _walk(app, None, seeds, "nb"),
    }
    shown_as_markup = [
        f"{who[0]} ({who[1]}) {url}: {body[body.index(tag) - 60 : body.index(tag) + 40]!r}"
        for who, pages in walks.items()
        for url, body in pages.items()
        for tag in RAW
        if tag in body
    ]
    assert not shown_as_markup, "\n".join(shown_as_markup)
    everything = "\n".join(body for pages in walks.values() for body in pages.values())
    unseen = [where for where, value in planted.items() if str(escape(value)) not in everything]
    # Every organiser-edited name is shown somewhere (so the walk checked it).
    organiser_names = (
        "Region",
        "Municipality",
        "Sector",
        "Stage",
        "Subproject",
        "Criterion",
        "Event",
    )
    assert not [where for where in unseen if where.startswith(organiser_names)]
    # The two pages whose form labels were built from names.
    escaped_mark = str(escape(MARK))
    screening = walks[("organiser", "en")][f"/screening/{s.proposals['Ny'].id}"]
    for criterion in _db.session.scalars(select(Criterion).where(Criterion.retired_at.is_(None))):
        assert f"Comment on “{escape(criterion.name_en)}”" in screening
    edit = walks[("organiser", "nb")][f"/events/{s.event.id}/edit"]
    for sub in _db.session.scalars(select(Subproject).where(Subproject.retired_at.is_(None))):
        assert str(escape(sub.name_nb)) in edit
    assert escaped_mark in screening
    assert escaped_mark in edit
