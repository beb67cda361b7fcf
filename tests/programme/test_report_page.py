"""The organisers' report page, read as an organiser reads it, against the
hand-counted programme (tests/programme/scenario.py), in Norwegian and English."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from typing import Any

import pytest

from matchmaking.dates import oslo_today
from tests.programme import scenario
from tests.programme.scenario import PERIOD

URL = "/programme/report?from=2026-01-01&to=2026-06-30"

WORDS = {
    "nb": {
        "period": "1. januar 2026",
        "period_end": "30. juni 2026",
        "before": "4. juli 2025",
        "before_end": "31. desember 2025",
        "fte": "4,5",
        "conversions": ["60 %", "67 %", "50 %", "100 %", "100 %"],
        "within": "2 av 4 (50 %)",
        "median": "15 dager",
        "hidden": "færre enn 3",
        "not_a_date": "Skriv en dato, f.eks. 2027-02-18.",
        "before_start": "Slutten er før starten.",
        "too_long": "En rapport dekker høyst 10 år.",
        "default": "Rapporten viser standardperioden",
    },
    "en": {
        "period": "1 January 2026",
        "period_end": "30 June 2026",
        "before": "4 July 2025",
        "before_end": "31 December 2025",
        "fte": "4.5",
        "conversions": ["60%", "67%", "50%", "100%", "100%"],
        "within": "2 of 4 (50%)",
        "median": "15 days",
        "hidden": "fewer than 3",
        "not_a_date": "Enter a date, e.g. 2027-02-18.",
        "before_start": "The end is before the start.",
        "too_long": "A report covers at most 10 years.",
        "default": "The report shows the default period",
    },
}


@pytest.fixture
def programme(make_proposal: Any, make_user: Any) -> scenario.Scenario:
    return scenario.build(make_proposal, make_user)


def text(html: str) -> str:
    """What a reader sees: no tags, single spaces, no-break spaces as spaces."""
    words = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(words).replace("\u00a0", " ")).strip()


def cells(html: str, attribute: str, value: str) -> list[str]:
    """The cells (header first) of the row ``<tr attribute="value">``."""
    found = re.search(rf'<tr[^>]*{attribute}="{re.escape(value)}"[^>]*>(.*?)</tr>', html, re.S)
    assert found, (attribute, value)
    return [text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", found.group(1), re.S)]


def table(html: str, dimension: str) -> str:
    found = re.search(rf'<table[^>]*data-table="{dimension}".*?</table>', html, re.S)
    assert found, dimension
    return found.group(0)


def page(client: Any, login_as: Any, lang: str, url: str = URL) -> str:
    login_as("organiser", locale=lang)
    response = client.get(url)
    assert response.status_code == 200
    return str(response.get_data(as_text=True))


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_organiser_reads_the_periods_numbers(
    client: Any, login_as: Any, programme: Any, lang: str
) -> None:
    w = WORDS[lang]
    html = page(client, login_as, lang)
    lead = text(re.search(r'<p class="lead"[^>]*>(.*?)</p>', html, re.S).group(1))  # type: ignore[union-attr]
    for words in ("period", "period_end", "before", "before_end"):
        assert w[words] in lead

    # Narvik: A, B and G; the withdrawn 400 000 is not committed; June's
    # follow-up report (4,5 full-time equivalents), not July's.
    municipalities = table(html, "municipality")
    assert cells(municipalities, "data-row", "Narvik")[1:] == [
        "3",
        "3 800 000 kr",
        "300 000 kr",
        "1 200 000 kr",
        "4",
        "17",
        w["fte"],
    ]
    # Ofoten (Narvik and Evenes) and Sør-Troms (Harstad) each with a subtotal.
    assert cells(municipalities, "data-subtotal", "Ofoten")[1:3] == ["4", "6 800 000 kr"]
    assert cells(municipalities, "data-subtotal", "Sør-Troms")[1:3] == ["1", "500 000 kr"]
    assert cells(municipalities, "data-total", "total")[1:5] == [
        "5",
        "7 300 000 kr",
        "800 000 kr",
        "1 200 000 kr",
    ]

    # The funnel: the period's five submissions followed to its end, with the
    # conversion from the step before rounded half up (2 of 3 is 67 %), and
    # the period before's one proposal (E, pitched).
    rows = [cells(html, "data-step", str(i)) for i in range(6)]
    assert [r[1] for r in rows] == ["5", "3", "2", "1", "1", "1"]
    assert [r[2] for r in rows[1:]] == w["conversions"]
    assert [r[3] for r in rows] == ["1", "1", "1", "1", "0", "0"]
    assert cells(html, "data-stopped", "declined")[1] == "1"  # B
    assert cells(html, "data-stopped", "withdrawn")[1] == "1"  # C
    assert cells(html, "data-stopped", "under_way")[1] == "2"  # D and G

    # The headline: this period, the period before and the change.
    assert cells(html, "data-headline", "sought")[1:] == [
        "7 300 000 kr",
        "1 500 000 kr",
        "+5 800 000 kr",
    ]
    assert cells(html, "data-headline", "proposals")[1:] == ["5", "1", "+4"]

    # Service to founders: A in 15 days, B in 47, C in 9; G waited 60 days.
    assert text(re.search(r'data-service="within">(.*?)</dd>', html).group(1)) == w["within"]  # type: ignore[union-attr]
    assert text(re.search(r'data-service="median">(.*?)</dd>', html).group(1)) == w["median"]  # type: ignore[union-attr]

    # The investor base: three approved, two of them in the period, all active.
    assert cells(html, "data-investors", "approved")[1:] == ["3", "1"]
    assert cells(html, "data-investors", "new")[1:] == ["2", "1"]

    # C plans 60 jobs: listed apart, linked to its proposal page.
    c = programme.proposals["C"]
    row = cells(html, "data-large", str(c.id))
    assert row[0] == "C"
    assert row[2:4] == ["Evenes", "60"]
    assert f'href="/proposals/{c.id}"' in html
    assert w["hidden"] not in html  # organisers see every number


def test_every_table_has_a_caption_and_headers_for_its_rows(
    client: Any, login_as: Any, programme: Any
) -> None:
    html = page(client, login_as, "en")
    tables = re.findall(r"<table.*?</table>", html, re.S)
    assert len(tables) >= 8
    for t in tables:
        assert "<caption" in t
        assert '<th scope="row"' in t
    # Each table scrolls inside its own box on a phone (static/js/page.js
    # makes a box that overflows a focusable group named after the caption).
    assert html.count('<div class="table-responsive') == len(tables)


def test_the_template_shows_a_hidden_cell_as_fewer_than_3(app: Any, programme: Any) -> None:
    """The steering group gets the same template with the small-cell rule applied."""
    from matchmaking.programme.report.build import build
    from matchmaking.programme.report.views import PeriodForm, render_page

    with app.test_request_context("/programme/report?lang=nb"):
        html = render_page(build(PERIOD, masked=True), PeriodForm(), refused=False)
    municipalities = table(html, "municipality")
    # Evenes and Harstad (1 each) and Narvik (else Ofoten minus Narvik gives Evenes).
    assert cells(municipalities, "data-row", "Evenes")[1] == "færre enn 3"
    assert cells(municipalities, "data-row", "Narvik")[1:3] == ["færre enn 3", "færre enn 3"]
    assert cells(municipalities, "data-row", "Tysfjord")[1] == "0"
    assert cells(municipalities, "data-total", "total")[1] == "5"
    # Two new investors are fewer than 3; the change of a hidden figure is not given.
    assert cells(html, "data-investors", "new")[1] == "færre enn 3"
    assert "3 800 000" not in html


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ("from=2026-02-30&to=2026-06-30", "from", "not_a_date"),
        ("from=2026-06-30&to=2026-01-01", "to", "before_start"),
        ("from=2010-01-01&to=2026-06-30", "to", "too_long"),
    ],
)
def test_a_period_that_cannot_be_used_is_told_beside_its_field(
    client: Any, login_as: Any, programme: Any, lang: str, query: str, field: str, message: str
) -> None:
    w = WORDS[lang]
    html = page(client, login_as, lang, f"/programme/report?{query}")
    error = re.search(rf'<div id="{field}-error" class="invalid-feedback">(.*?)</div>', html, re.S)
    assert error, html
    assert w[message] in text(error.group(1))
    assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*name="{field}"', html) or re.search(
        rf'<input[^>]*name="{field}"[^>]*aria-invalid="true"', html
    )
    # What was typed is kept, and the default period's report is shown.
    for typed in query.split("&"):
        name, value = typed.split("=")
        assert re.search(
            rf'name="{name}"[^>]*value="{value}"|value="{value}"[^>]*name="{name}"', html
        )
    assert w["default"] in text(html)
    today = oslo_today()
    lead = text(re.search(r'<p class="lead"[^>]*>(.*?)</p>', html, re.S).group(1))  # type: ignore[union-attr]
    from matchmaking.dates import day

    assert day(date(today.year, 1, 1), lang) in lead
    assert day(today, lang) in lead


def test_without_a_period_the_report_is_for_this_year_so_far(
    client: Any, login_as: Any, programme: Any
) -> None:
    from matchmaking.dates import day

    html = page(client, login_as, "en", "/programme/report")
    today = oslo_today()
    lead = text(re.search(r'<p class="lead"[^>]*>(.*?)</p>', html, re.S).group(1))  # type: ignore[union-attr]
    assert lead.startswith(f"From {day(date(today.year, 1, 1), 'en')} to {day(today, 'en')}")
    assert f'value="{today.isoformat()}"' in html
    assert "invalid-feedback" not in html


def test_organisers_find_the_report_from_their_home(client: Any, login_as: Any) -> None:
    login_as("organiser", locale="en")
    html = client.get("/").get_data(as_text=True)
    assert 'href="/programme/report"' in html
    assert "The programme&#39;s report" in html or "The programme's report" in html


def test_a_period_in_which_nothing_happened_shows_zeros(client: Any, login_as: Any) -> None:
    html = page(client, login_as, "en", "/programme/report?from=2001-01-01&to=2001-12-31")
    assert cells(html, "data-headline", "sought")[1:] == ["0 kr", "0 kr", "0 kr"]
    assert cells(html, "data-step", "0")[1] == "0"
    assert "No Springbrett session was held in the period." in html
