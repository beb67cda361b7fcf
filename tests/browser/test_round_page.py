"""A founder opens a funding round and changes its terms by keyboard, and sees
the progress bar, in Norwegian and English, with axe on every page and the
round page at 375 px."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone

pytestmark = pytest.mark.browser

PASSWORD = "runde-passord-2027"
EMAIL = "runde-grunder@example.no"


def _founder_with_an_accepted_proposal(app: Any) -> tuple[int, str]:
    """A founder of their own (the demo's proposals may already have rounds)
    with an accepted proposal seeking 1 000 000 kr, and an approved investor
    ready to commit once a round is open."""
    from matchmaking.accounts.models import Role, User
    from matchmaking.extensions import db, utcnow
    from matchmaking.proposals.models import Company, Instrument, Proposal, Status
    from matchmaking.reference.models import Municipality, Sector, Stage

    with app.app_context():
        founder = User(
            email=EMAIL,
            name="Runa Gründer",
            role=Role.ENTREPRENEUR,
            locale="nb",
            email_confirmed_at=utcnow(),
        )
        founder.set_password(PASSWORD)
        db.session.add(founder)
        db.session.flush()
        company = Company(
            owner_id=founder.id,
            name="Runa Fisk AS",
            municipality_id=db.session.query(Municipality.id).first()[0],
            contact_name=founder.name,
            contact_email=EMAIL,
        )
        db.session.add(company)
        db.session.flush()
        proposal = Proposal(
            company_id=company.id,
            title="Røkt laks fra Ofoten",
            teaser="Røkt laks.",
            sector_id=db.session.query(Sector.id).first()[0],
            stage_id=db.session.query(Stage.id).first()[0],
            ask=1_000_000,
            min_ticket=50_000,
            instrument=Instrument.EQUITY,
            status=Status.ACCEPTED,
        )
        db.session.add(proposal)
        db.session.commit()
        ids = proposal.id, proposal.title
        db.session.remove()
    return ids


def _commit(app: Any, proposal_id: int, amount: int) -> None:
    from matchmaking.accounts.models import InvestorStatus, Role, User
    from matchmaking.extensions import db, utcnow
    from matchmaking.proposals.models import Proposal
    from matchmaking.rounds import services

    with app.app_context():
        investor = User(
            email="runde-investor@example.no",
            name="Ivar Investor",
            role=Role.INVESTOR,
            locale="nb",
            email_confirmed_at=utcnow(),
            investor_status=InvestorStatus.APPROVED,
        )
        investor.set_password(PASSWORD)
        db.session.add(investor)
        db.session.flush()
        services.commit(db.session.get(Proposal, proposal_id), investor, amount=amount)
        db.session.commit()
        db.session.remove()


def _type(page: Any, label: str, value: str) -> None:
    """Focus the field by its label and type, as on a keyboard."""
    field = page.get_by_label(label, exact=True)
    field.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(value)


def test_the_founder_opens_a_round_changes_its_terms_and_sees_the_bar(
    page: Any, live_server: LiveServer
) -> None:
    from matchmaking.dates import oslo_today

    proposal_id, title = _founder_with_an_accepted_proposal(live_server.app)
    page.visit("/auth/login?lang=nb")
    page.get_by_label("E-postadresse").fill(EMAIL)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_label("Passord").press("Enter")
    page.get_by_role("button", name="Logg ut").wait_for()

    # From the proposal page: "Open a round", the terms prefilled from the proposal.
    page.visit(f"/proposals/{proposal_id}")
    page.get_by_role("heading", name="Kapitalrunde").wait_for()
    page.get_by_role("link", name="Åpne en runde").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Åpne en kapitalrunde").wait_for()
    page.visit(page.url.replace(live_server.url, ""))
    assert page.get_by_label("Mål (kr)").input_value().replace("\u00a0", " ") == "1 000 000"
    _type(page, "Mål (kr)", "900 000")
    # A date field takes its value whole (the browser's date picker has segments).
    page.get_by_label("Sluttdato (valgfri)").fill((oslo_today() + timedelta(days=40)).isoformat())
    page.get_by_label("Sluttdato (valgfri)").press("Enter")
    page.get_by_text("Runden er åpen: investorer kan registrere foreløpige tilsagn.").wait_for()
    page.visit(f"/proposals/{proposal_id}/round")
    assert page.get_by_text("0 kr av 900 000 kr (0 %)").is_visible()

    # An investor commits; the founder sees the total in words and as a bar.
    _commit(live_server.app, proposal_id, 450_000)
    page.visit(f"/proposals/{proposal_id}/round?lang=en")
    page.get_by_role("heading", name="Funding round", level=1).wait_for()
    assert page.get_by_text("450 000 kr of 900 000 kr (50 %)").is_visible()
    bar = page.locator("progress#round-progress")
    assert (bar.get_attribute("value"), bar.get_attribute("max")) == ("450000", "900000")

    # Change the terms by keyboard (English): the target goes up.
    page.get_by_role("link", name="Change the terms").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Change the round's terms").wait_for()
    page.visit(page.url.replace(live_server.url, ""))
    _type(page, "Target (kr)", "1 500 000")
    page.get_by_label("Target (kr)").press("Enter")
    page.get_by_text("The round's terms are saved.").wait_for()
    page.visit(f"/proposals/{proposal_id}/round?lang=en")
    assert page.get_by_text("450 000 kr of 1 500 000 kr (30 %)").is_visible()

    # On a phone, in Norwegian: the page fits, the words are there.
    page.set_viewport_size(PHONE)
    page.visit(f"/proposals/{proposal_id}/round?lang=nb")
    assert page.get_by_text("450 000 kr av 1 500 000 kr (30 %)").is_visible()
    assert_fits_phone(page)
    page.visit("/")
    assert page.get_by_role("link", name=f"Se runden – {title}").is_visible()
    assert_fits_phone(page)
    assert page.console_errors == []
