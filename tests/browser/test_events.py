"""Springbrett sessions in a browser: every page passes axe, keyboard-usable forms."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.fixtures import LiveServer, check_accessibility

pytestmark = pytest.mark.browser


def _login(page: Any, live_server: LiveServer, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill("ofoten-demo-2026")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(live_server.url + "/")


def test_organiser_pages_and_bad_input_are_accessible(page: Any, live_server: LiveServer) -> None:
    _login(page, live_server, "arrangor@demo.banofoten.no")
    page.get_by_role("link", name="Springbrett", exact=True).click()
    page.visit("/events/")
    page.get_by_role("link", name="Springbrett Narvik – vinter 2027").click()
    assert page.get_by_role("heading", name="Kandidater").is_visible()
    check_accessibility(page)
    page.visit("/events/new")
    page.get_by_label("Tittel").fill("Springbrett Bodø")
    page.get_by_label("Pitch-plasser").fill("0")
    page.get_by_role("button", name="Lagre").click()
    assert page.get_by_text("Skriv inn datoen.").is_visible()
    assert page.get_by_label("Tittel").input_value() == "Springbrett Bodø"
    check_accessibility(page)
    assert page.console_errors == []


def test_investor_signs_up(page: Any, live_server: LiveServer) -> None:
    _login(page, live_server, "investor@demo.banofoten.no")
    page.visit("/events/")
    page.get_by_role("link", name="Springbrett Narvik – vinter 2027").click()
    button = page.get_by_role("button", name="Avbestill plassen min")
    if button.count():
        button.click()
        page.get_by_text("Plassen din er avbestilt.").wait_for()
    page.get_by_role("button", name="Meld meg på").click()
    page.get_by_text("Du er påmeldt.").first.wait_for()  # after the page has loaded
    check_accessibility(page)
