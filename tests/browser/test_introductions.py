"""An introduction in a browser: the demo investor opens a proposal and asks to
meet its founder; the founder accepts; both get the other's contact details by
e-mail and the proposal is in dialogue. axe-core checks every page."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.accounts.models import User
from matchmaking.demo.data import DEMO_PASSWORD
from matchmaking.extensions import db
from matchmaking.proposals.models import Company, Instrument, Proposal, Status
from matchmaking.reference.models import Sector, Stage
from tests.browser.fixtures import LiveServer, check_accessibility
from tests.smtp import text_and_html

pytestmark = pytest.mark.browser

INVESTOR = "investor@demo.banofoten.no"
FOUNDER = "grunder@demo.banofoten.no"
TITLE = "Snøkrabbe fra Tysfjorden"


def _login(page: Any, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name="Logg ut").wait_for()


def _logout(page: Any) -> None:
    page.get_by_role("button", name="Logg ut").click()
    page.get_by_role("link", name="Logg inn").first.wait_for()


def _pitched_proposal(live_server: LiveServer) -> int:
    """A pitched proposal of the demo founder, whose company has a phone number."""
    with live_server.app.app_context():
        company = db.session.scalar(
            select(Company).join(User, User.id == Company.owner_id).where(User.email == FOUNDER)
        )
        company.contact_phone = "+47 911 22 333"
        proposal = Proposal(
            company=company,
            title=TITLE,
            teaser="Fangst og foredling av snøkrabbe fra Tysfjorden.",
            description="Konfidensielt: avtaler med to mottak.",
            sector_id=db.session.scalar(select(Sector.id).where(Sector.slug == "marine")),
            stage_id=db.session.scalar(select(Stage.id).where(Stage.slug == "seed")),
            ask=3_000_000,
            min_ticket=250_000,
            instrument=Instrument.EQUITY,
            status=Status.PITCHED,
        )
        db.session.add(proposal)
        db.session.commit()
        contact = company.contact_email
        proposal_id = proposal.id
        db.session.remove()
    assert contact
    return proposal_id


def test_investor_asks_founder_accepts_both_get_contact_details(
    page: Any, live_server: LiveServer
) -> None:
    proposal_id = _pitched_proposal(live_server)
    sent_before = len(live_server.mail)

    # The investor opens the proposal and asks for an introduction.
    _login(page, INVESTOR)
    page.visit(f"/proposals/{proposal_id}")
    page.get_by_role("link", name="Be om en introduksjon").click()
    page.get_by_role("heading", name="Be om en introduksjon").wait_for()
    check_accessibility(page)
    page.get_by_role("button", name="Send forespørselen").click()
    # An empty message is refused beside the field.
    assert page.get_by_text("Skriv en melding til gründeren.").is_visible()
    check_accessibility(page)
    page.get_by_label("Din melding til gründeren").fill(
        "Jeg investerer i sjømat i Nordland og vil gjerne høre mer."
    )
    page.get_by_role("button", name="Send forespørselen").click()
    page.get_by_text("Forespørselen er sendt").wait_for()
    page.get_by_text("Venter på svar fra gründeren").wait_for()
    page.visit("/introductions/")
    assert len(live_server.mail) == sent_before + 1
    request = live_server.mail[-1]
    assert request["To"] == FOUNDER
    text, html = text_and_html(request)
    assert "Ola Investor" in text
    assert INVESTOR not in text
    assert INVESTOR not in html
    _logout(page)

    # The founder sees the request in the menu and accepts it.
    _login(page, FOUNDER)
    page.get_by_role("link", name="Introduksjoner").click()
    page.get_by_role("heading", name="Introduksjoner", exact=True).wait_for()
    check_accessibility(page)
    assert INVESTOR not in page.content()
    card = page.get_by_role("article").filter(has_text=TITLE)
    card.get_by_label("Ditt svar til investoren (valgfritt)").fill("Velkommen, ring meg!")
    card.get_by_role("button", name="Godta og del kontaktinformasjon").click()
    page.get_by_text("Godtatt. Du og investoren").wait_for()
    check_accessibility(page)
    page.visit(f"/proposals/{proposal_id}")
    now = page.locator('.lifecycle [aria-current="step"] .lifecycle-label')  # the progress bar
    assert now.inner_text() == "I dialog"
    assert page.get_by_role("heading", name="Investorenes interesse").is_visible()

    # Both e-mails, each with the other's contact details.
    new = live_server.mail[sent_before + 1 :]
    by_recipient = {m["To"]: text_and_html(m)[0] for m in new}
    assert set(by_recipient) == {INVESTOR, FOUNDER}
    assert "+47 911 22 333" in by_recipient[INVESTOR]
    assert "Velkommen, ring meg!" in by_recipient[INVESTOR]
    assert INVESTOR in by_recipient[FOUNDER]
    assert page.console_errors == []
