"""The organiser opens the programme's report from the menu, reads it on a
375 px phone without sideways scrolling, and asks for a period that cannot
be used; axe on every page (``page.visit`` and :func:`check_accessibility`)."""

from __future__ import annotations

from typing import Any

import pytest

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone, check_accessibility

pytestmark = pytest.mark.browser

ORGANISER = "arrangor@demo.banofoten.no"


def test_the_organiser_reads_the_programme_report_on_a_phone(
    page: Any, live_server: LiveServer
) -> None:
    page.visit("/auth/login?lang=nb")
    page.get_by_label("E-postadresse").fill(ORGANISER)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name="Logg ut").wait_for()

    # From the organiser's home, as on their other overview pages.
    page.get_by_role("link", name="Programmets rapport", exact=False).first.click()
    page.wait_for_url("**/programme/report")
    page.get_by_role("heading", name="Programmets rapport", level=1).wait_for()
    check_accessibility(page)
    page.get_by_role("table", name="Etter kommune, gruppert etter region").wait_for()

    page.set_viewport_size(PHONE)
    page.reload()
    assert_fits_phone(page)
    check_accessibility(page)
    # A wide table scrolls inside its own box, named after its caption and
    # reachable by keyboard (static/js/page.js).
    municipalities = page.get_by_role("group", name="Etter kommune, gruppert etter region")
    municipalities.focus()
    assert municipalities.evaluate("e => e === document.activeElement")

    # The end before the start: told beside the field, the dates kept, the
    # default period's report shown.
    page.get_by_label("Fra", exact=True).fill("2026-06-30")
    page.get_by_label("Til", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Vis rapporten").click()
    page.get_by_text("Slutten er før starten.", exact=False).wait_for()
    check_accessibility(page)
    assert_fits_phone(page)
    assert page.get_by_label("Fra", exact=True).input_value() == "2026-06-30"
    assert page.get_by_label("Til", exact=True).get_attribute("aria-invalid") == "true"
    page.get_by_text("Rapporten viser standardperioden", exact=False).wait_for()

    # A period that can be used: the lead names it in words.
    page.get_by_label("Til", exact=True).fill("2026-12-31")
    page.get_by_label("Fra", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Vis rapporten").click()
    page.get_by_text(
        "Fra torsdag 1. januar 2026 til torsdag 31. desember 2026", exact=False
    ).wait_for()
    check_accessibility(page)
    assert_fits_phone(page)
