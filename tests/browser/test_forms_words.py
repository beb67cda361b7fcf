"""The proposal form as a founder meets it, in Norwegian and in English, on a
desktop and at 375 px: required choices start at "Velg …" and an empty one is
refused beside the field with what was typed kept; a website typed without
https:// is accepted; the teaser counts the characters left (politely, to a
screen reader). axe runs on every page (page.visit and check_accessibility)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone, check_accessibility

pytestmark = pytest.mark.browser

FOUNDER = "grunder@demo.banofoten.no"

WORDS = {
    "nb": {
        "choose": "Velg …",
        "title": "Tittel",
        "teaser": "Offentlig sammendrag",
        "sector": "Bransje",
        "stage": "Fase",
        "instrument": "Instrument",
        "save": "Lagre utkastet",
        "choose_sector": "Velg en bransje.",
        "left": "Tegn igjen: {n}",
        "website": "Nettsted",
        "save_company": "Lagre selskapsprofilen",
        "company_saved": "Selskapsprofilen er lagret.",
    },
    "en": {
        "choose": "Choose…",
        "title": "Title",
        "teaser": "Public teaser",
        "sector": "Sector",
        "stage": "Stage",
        "instrument": "Instrument",
        "save": "Save the draft",
        "choose_sector": "Choose a sector.",
        "left": "Characters left: {n}",
        "website": "Website",
        "save_company": "Save the company profile",
        "company_saved": "The company profile is saved.",
    },
}


def _login(page: Any, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    # Logged in, the login page gives way to the home (on a phone the menu with
    # "Logg ut" is folded behind its button, so that button is not shown).
    page.wait_for_url(lambda url: "/auth/login" not in url)


def _no_sideways_scroll(page: Any) -> None:
    assert_fits_phone(page)


def _websites(live_server: LiveServer) -> list[str | None]:
    """The websites of the demo founder's companies (she has more than one)."""
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db
    from matchmaking.proposals.models import Company

    with live_server.app.app_context():
        websites = list(
            db.session.scalars(
                select(Company.website)
                .join(User, Company.owner_id == User.id)
                .where(User.email == FOUNDER)
            )
        )
        db.session.remove()
    return websites


@pytest.mark.parametrize("lang", ["nb", "en"])
@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_the_proposal_form_chooses_counts_and_keeps_what_was_typed(
    page: Any, live_server: LiveServer, lang: str, width: str
) -> None:
    w = WORDS[lang]
    if width == "phone":
        page.set_viewport_size(PHONE)
    _login(page, FOUNDER)

    # A new proposal: the required lists start empty.
    page.visit(f"/proposals/new?lang={lang}")
    if width == "phone":
        _no_sideways_scroll(page)
    for label in (w["sector"], w["stage"], w["instrument"]):
        select_box = page.get_by_label(label, exact=True)
        assert select_box.input_value() == ""
        assert select_box.locator("option:checked").inner_text() == w["choose"]

    # The teaser counts down as one types, in a polite live region.
    counter = page.locator("#teaser-count")
    expect(counter).to_have_text(w["left"].format(n=300))
    assert counter.get_attribute("aria-live") == "polite"
    page.get_by_label(w["teaser"]).fill("Rognkjeks som rensefisk.")
    expect(counter).to_have_text(w["left"].format(n=300 - len("Rognkjeks som rensefisk.")))

    # Sent with no sector: the message beside the field, the rest kept.
    page.get_by_label(w["title"], exact=True).fill("Rensefisk fra Evenes")
    page.get_by_label(w["stage"], exact=True).select_option(index=1)
    page.get_by_role("button", name=w["save"]).click()
    page.locator("#sector-error").wait_for()  # the form comes back with the message
    sector = page.get_by_label(w["sector"], exact=True)
    expect(sector).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#sector-error")).to_have_text(w["choose_sector"])
    assert page.get_by_label(w["title"], exact=True).input_value() == "Rensefisk fra Evenes"
    assert page.get_by_label(w["teaser"]).input_value() == "Rognkjeks som rensefisk."
    assert page.get_by_label(w["stage"], exact=True).input_value() != ""
    check_accessibility(page)
    if width == "phone":
        _no_sideways_scroll(page)

    # The company's website typed as people see it.
    page.visit(f"/proposals/company?lang={lang}")
    page.get_by_label(w["website"]).fill("nordlysfisk.no")
    page.get_by_role("button", name=w["save_company"]).click()
    expect(page.get_by_text(w["company_saved"])).to_be_visible()
    check_accessibility(page)
    assert "https://nordlysfisk.no" in _websites(live_server)
    if width == "phone":
        _no_sideways_scroll(page)
    assert page.console_errors == []
