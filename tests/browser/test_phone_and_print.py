"""The agenda on a phone on the day and on paper, and the matches page on a
phone: results first, the filters one tap away."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.fixtures import LiveServer
from tests.browser.test_every_page_narrow import PHONE, ROLES, day_of_the_session

pytestmark = pytest.mark.browser


def _login(page: Any, email: str) -> None:
    from matchmaking.demo.data import DEMO_PASSWORD

    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def _top(locator: Any) -> float:
    box = locator.bounding_box()
    assert box is not None
    return float(box["y"])


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-z])", pdf))


def test_the_agenda_on_a_phone_and_on_paper(page: Any, live_server: LiveServer) -> None:
    day_of_the_session(live_server)
    page.set_viewport_size(PHONE)
    _login(page, ROLES["investor"])
    page.visit("/events/1/agenda")

    # First the investor's own next item (before the session: the pitches), in large type.
    next_heading = page.get_by_role("heading", name="Neste for deg")
    assert _top(next_heading) < _top(page.get_by_role("heading", name="Pitcheprogram"))
    assert _top(next_heading) < PHONE["height"] / 2
    next_time = page.locator(".agenda-time-next")
    assert float(next_time.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 28
    assert next_time.inner_text() == "17.00–18.00"
    # The venue as words, no map.
    assert page.locator("main address").inner_text() == "Malmen, Narvik"
    assert page.locator("iframe, img[src*='map']").count() == 0

    # The meetings one under the other: the time above the company, nothing cut off.
    meetings = page.get_by_role("table", name="Møtene i tidsrekkefølge", exact=False)
    first = meetings.locator("tbody tr").first
    time_cell = first.locator("td").first
    company = first.get_by_role("rowheader")
    time_box, company_box = time_cell.bounding_box(), company.bounding_box()
    assert time_box["y"] + time_box["height"] <= company_box["y"] + 1
    assert time_box["x"] + time_box["width"] <= PHONE["width"]
    assert re.fullmatch(r"\d\d\.\d\d–\d\d\.\d\d", time_cell.inner_text())
    assert float(time_cell.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 18

    # On paper: one sheet, no menu, no buttons, no next-item box; the meetings are there.
    page.emulate_media(media="print")
    assert page.get_by_role("navigation", name="Hovedmeny").is_hidden()
    assert next_heading.is_hidden()
    assert page.get_by_role("link", name="Legg til i kalenderen (.ics)").is_hidden()
    assert meetings.is_visible()
    assert _pdf_pages(page.pdf(format="A4")) == 1
    assert page.console_errors == []


def test_matches_on_a_phone_show_results_before_the_filters(
    page: Any, live_server: LiveServer
) -> None:
    page.set_viewport_size(PHONE)
    _login(page, ROLES["investor"])
    page.visit("/matches/")
    search = page.get_by_label("Søk", exact=True)
    summary = page.locator("summary", has_text="Filtrer og søk")
    first_result = page.locator("main article h2").first
    assert summary.is_visible()
    assert search.is_hidden()
    # The first match is on the first screen, below the one line of filters.
    assert _top(summary) < _top(first_result) < PHONE["height"]

    # One key opens the filters; a search then says how many filters are in use.
    summary.focus()
    page.keyboard.press("Enter")
    search.wait_for(state="visible")
    search.fill("laks")
    page.get_by_role("button", name="Vis", exact=True).click()
    page.wait_for_url(lambda url: "q=laks" in url)
    assert page.locator("summary").inner_text() == "Filtrer og søk (filtre i bruk: 1)"
    assert page.get_by_label("Søk", exact=True).input_value() == "laks"

    # On a wide screen the filters stay open beside nothing to tap.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.visit("/matches/")
    assert page.get_by_label("Søk", exact=True).is_visible()
    assert page.console_errors == []
