"""The founder of a funded company files the six-month follow-up report by
keyboard, from the home's next step to the history, in Norwegian and English
(one run at 375 px), with axe on every page; then corrects it from the
history, by keyboard too."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone, check_accessibility

pytestmark = pytest.mark.browser

FOUNDER = "grunder@demo.banofoten.no"

WORDS = {
    "nb": {
        "step": "Rapporter hvordan det går med selskapet",
        "employees": "Ansatte nå (årsverk)",
        "revenue": "Omsetning de siste 12 månedene (kr)",
        "typed": "2,5",
        "shown": "2,5",
        "change": "+0,5",
        "thanks": "Takk: rapporten din er lagret.",
        "error": "Høyst én desimal, for eksempel 2,5.",
        "correct": "Rett rapporten per",
        "corrected": "Rapporten per",
        "fixed": "3,0",
        "by": "Rettet av",
    },
    "en": {
        "step": "Report how the company is doing",
        "employees": "Employees now (full-time equivalents)",
        "revenue": "Revenue in the last 12 months (kr)",
        "typed": "2.5",
        "shown": "2.5",
        "change": "+0.5",
        "thanks": "Thank you: your report is saved.",
        "error": "At most one decimal, for example 2.5.",
        "correct": "Correct the report as of",
        "corrected": "The report as of",
        "fixed": "3.0",
        "by": "Corrected by",
    },
}


def _fund_a_proposal(app: Any) -> tuple[int, str]:
    """Make one of the demo founder's proposals funded 190 days ago, with the
    first period's request sent a week ago (what the command does)."""
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db, utcnow
    from matchmaking.proposals.models import Company, Proposal, Status
    from matchmaking.results.models import ReportRequest
    from matchmaking.rounds.models import Round, RoundState

    with app.app_context():
        proposal = db.session.scalars(
            select(Proposal)
            .join(Company)
            .join(User, User.id == Company.owner_id)
            .where(User.email == FOUNDER)
            .order_by(Proposal.id)
        ).first()
        assert proposal is not None
        proposal.status = Status.FUNDED
        proposal.jobs_now = 2
        db.session.add(
            Round(
                proposal=proposal,
                state=RoundState.FUNDED,
                target=proposal.ask,
                min_ticket=proposal.min_ticket,
                instrument=proposal.instrument,
                opened_at=utcnow() - timedelta(days=260),
                closed_at=utcnow() - timedelta(days=190),
                funded_on=date.today() - timedelta(days=190),
                raised=proposal.ask,
            )
        )
        db.session.add(
            ReportRequest(
                proposal_id=proposal.id, period=1, due_on=date.today() - timedelta(days=7)
            )
        )
        db.session.commit()
        found = (proposal.id, proposal.title)
        db.session.remove()
    return found


@pytest.mark.parametrize(("lang", "phone"), [("nb", False), ("en", True)])
def test_the_founder_files_the_six_month_report_by_keyboard(
    page: Any, live_server: LiveServer, lang: str, phone: bool
) -> None:
    w = WORDS[lang]
    proposal_id, title = _fund_a_proposal(live_server.app)
    page.visit("/auth/login?lang=nb")
    page.get_by_label("E-postadresse").fill(FOUNDER)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name="Logg ut").wait_for()
    if phone:
        page.set_viewport_size(PHONE)
    page.visit(f"/?lang={lang}")
    if phone:
        assert_fits_phone(page)

    # The home's next step leads to the form.
    step = page.get_by_role("link", name=f"{w['step']} – {title}")
    step.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/proposals/{proposal_id}/results/new")
    check_accessibility(page)
    if phone:
        assert_fits_phone(page)

    # A comma and two decimals: refused beside the field, the rest kept.
    page.get_by_label(w["employees"]).focus()
    page.keyboard.type("2,55")
    page.keyboard.press("Tab")
    page.keyboard.type("1 250 000")
    page.keyboard.press("Tab")  # capital since: 0 stays
    page.keyboard.press("Tab")
    page.keyboard.type("Ny linje i drift.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.get_by_text(w["error"]).wait_for()
    check_accessibility(page)
    assert page.get_by_label(w["revenue"]).input_value() == "1 250 000"
    assert page.get_by_text("Ny linje i drift.").count() == 1

    employees = page.get_by_label(w["employees"])
    employees.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(w["typed"])
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # the words are kept; on to the button
    page.keyboard.press("Enter")

    page.wait_for_url(f"**/proposals/{proposal_id}/results")
    page.get_by_text(w["thanks"]).wait_for()
    check_accessibility(page)
    if phone:
        assert_fits_phone(page)
    card = page.locator("article.card").first
    text = card.inner_text()
    assert w["shown"] in text
    assert w["change"] in text
    assert "1 250 000 kr" in text.replace("\u00a0", " ")
    assert "Ny linje i drift." in text
    # A slip: the founder corrects the report from the history, by keyboard.
    correct = page.get_by_role("link", name=w["correct"])
    correct.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/proposals/{proposal_id}/results/*/edit")
    check_accessibility(page)
    if phone:
        assert_fits_phone(page)
    employees = page.get_by_label(w["employees"])
    assert employees.input_value() == w["shown"]  # what the report says
    employees.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("3")
    for _ in range(4):  # revenue, capital, words (kept), the button
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/proposals/{proposal_id}/results")
    page.get_by_role("status").filter(has_text=w["corrected"]).wait_for()
    check_accessibility(page)
    if phone:
        assert_fits_phone(page)
    card = page.locator("article.card").first
    text = card.inner_text()
    assert w["fixed"] in text
    assert w["by"] in text
    assert page.locator("article.card").count() == 1

    # The request is answered: the home no longer asks.
    page.visit(f"/?lang={lang}")
    assert page.get_by_role("link", name=f"{w['step']} – {title}").count() == 0


def test_an_organiser_deletes_a_report_by_keyboard_after_the_confirm_step(
    page: Any, live_server: LiveServer
) -> None:
    """At 375 px: Cancel first changes nothing; "Yes" deletes, and the request
    the report answered is open again."""
    from matchmaking.extensions import db
    from matchmaking.results.models import ReportRequest, ResultReport

    proposal_id, _title = _fund_a_proposal(live_server.app)
    with live_server.app.app_context():
        request = db.session.scalars(
            select(ReportRequest).where(ReportRequest.proposal_id == proposal_id)
        ).one()
        founder_id = request.proposal.company.owner_id
        db.session.add(
            ResultReport(
                proposal_id=proposal_id,
                request_id=request.id,
                as_of=date.today() - timedelta(days=2),
                employees=2.0,
                revenue_12m=10,
                capital_since=0,
                words="Ført inn to ganger",
                entered_by_id=founder_id,
            )
        )
        db.session.commit()
        db.session.remove()
    page.visit("/auth/login?lang=nb")
    page.get_by_label("E-postadresse").fill("arrangor@demo.banofoten.no")
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name="Logg ut").wait_for()
    page.set_viewport_size(PHONE)
    page.visit(f"/proposals/{proposal_id}/results")
    check_accessibility(page)
    assert_fits_phone(page)

    delete = page.get_by_role("button", name="Slett rapporten per")
    delete.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Slette rapporten per").wait_for()
    check_accessibility(page)
    assert_fits_phone(page)
    assert "forespørselen blir åpen igjen" in page.locator("main").inner_text()
    page.get_by_role("link", name="Avbryt").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/proposals/{proposal_id}/results")
    assert page.get_by_text("Ført inn to ganger").count() == 1

    page.get_by_role("button", name="Slett rapporten per").focus()
    page.keyboard.press("Enter")
    yes = page.get_by_role("button", name="Ja, slett rapporten per")
    yes.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/proposals/{proposal_id}/results")
    page.get_by_role("status").filter(has_text="er slettet").wait_for()
    check_accessibility(page)
    assert page.get_by_text("Ført inn to ganger").count() == 0
    assert page.get_by_text("BAN Ofoten har bedt om resultatrapporten med frist").count() == 1
