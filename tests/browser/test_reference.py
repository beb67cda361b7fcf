"""An organiser edits the reference data in a browser; axe-core checks every page."""

from __future__ import annotations

from typing import Any

import pytest

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import LiveServer, check_accessibility

pytestmark = pytest.mark.browser


def test_organiser_adds_renames_retires_and_deletes(page: Any, live_server: LiveServer) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill("arrangor@demo.banofoten.no")
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("link", name="Referansedata").click()
    page.wait_for_url("**/reference/")
    check_accessibility(page)
    for kind in ("regions", "municipalities", "sectors", "stages", "subprojects"):
        page.visit(f"/reference/{kind}/")
        page.visit(f"/reference/{kind}/new")

    # A bad slug: the message beside the field, the names kept.
    page.visit("/reference/sectors/new")
    page.get_by_label("Kortnavn").fill("Rom Fart")
    page.get_by_label("Navn på norsk").fill("Romfart")
    page.get_by_label("Navn på engelsk").fill("Space")
    page.get_by_role("button", name="Lagre").click()
    assert page.get_by_text("Bruk bare små bokstaver").is_visible()
    assert page.get_by_label("Navn på norsk").input_value() == "Romfart"
    check_accessibility(page)

    page.get_by_label("Kortnavn").fill("romfart")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url("**/reference/sectors/")
    assert page.get_by_text("«Romfart» er lagt til.").is_visible()
    check_accessibility(page)

    row = page.get_by_role("row").filter(has_text="romfart")
    row.get_by_role("link", name="Endre").click()
    check_accessibility(page)
    page.get_by_label("Navn på norsk").fill("Romfart og satellitter")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_url("**/reference/sectors/")

    row = page.get_by_role("row").filter(has_text="romfart")
    row.get_by_role("button", name="Ta ut av bruk").click()
    assert page.get_by_text("er tatt ut av bruk").is_visible()
    check_accessibility(page)
    row = page.get_by_role("row").filter(has_text="romfart")
    row.get_by_role("button", name="Slett").click()
    assert page.get_by_text("«Romfart og satellitter» er slettet.").is_visible()

    # Narvik is used by demo companies: no delete button, only retire.
    page.visit("/reference/municipalities/")
    narvik = page.get_by_role("row").filter(has_text="narvik")
    assert narvik.get_by_role("button", name="Slett").count() == 0
    assert narvik.get_by_role("button", name="Ta ut av bruk").count() == 1
    page.visit("/reference/sectors/?lang=en")
