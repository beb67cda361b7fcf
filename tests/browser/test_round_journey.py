"""After the pitch, end to end, as four people would do it (issue 13's journey):
the demo investor registers a soft commitment to a pitched proposal, the
founder sees the total against the target and the investor's name (named by
choice), an organiser records the round as funded through the confirm step,
and half a year later the founder follows the e-mailed link and files the
six-month report. In both languages; axe-core checks every page visited."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import LiveServer, check_accessibility

pytestmark = pytest.mark.browser

INVESTOR = "investor@demo.banofoten.no"
FOUNDER = "grunder@demo.banofoten.no"
ORGANISER = "arrangor@demo.banofoten.no"
NBSP = "\u00a0"

WORDS = {
    "nb": {
        "email": "E-postadresse",
        "password": "Passord",
        "login": "Logg inn",
        "register": "Registrer et foreløpig tilsagn",
        "amount": "Beløp du ville satt inn (kr)",
        "named": "Vis navnet mitt til gründeren",
        "submit": "Registrer tilsagnet",
        "progress": f"600{NBSP}000{NBSP}kr av 2{NBSP}000{NBSP}000{NBSP}kr (30 %)",
        "record": "Registrer utfallet",
        "funded": "Finansiert",
        "raised": "Hentet beløp",
        "yes": "Ja, registrer runden som finansiert",
        "done": "Runden er registrert som finansiert. Gratulerer!",
        "employees": "Ansatte nå (årsverk)",
        "revenue": "Omsetning de siste 12 månedene (kr)",
        "save": "Lagre rapporten",
        "thanks": "Takk: rapporten din er lagret.",
        "fte": "3,5",
    },
    "en": {
        "email": "E-mail address",
        "password": "Password",
        "login": "Log in",
        "register": "Register a soft commitment",
        "amount": "Amount you would put in (kr)",
        "named": "Show my name to the founder",
        "submit": "Register the commitment",
        "progress": f"600{NBSP}000{NBSP}kr of 2{NBSP}000{NBSP}000{NBSP}kr (30 %)",
        "record": "Record the outcome",
        "funded": "Funded",
        "raised": "Amount raised",
        "yes": "Yes, record the round as funded",
        "done": "The round is recorded as funded. Congratulations!",
        "employees": "Employees now (full-time equivalents)",
        "revenue": "Revenue in the last 12 months (kr)",
        "save": "Save the report",
        "thanks": "Thank you: your report is saved.",
        "fte": "3.5",
    },
}


def _pitched_proposal(live_server: LiveServer, title: str) -> int:
    """A new pitched proposal of the demo founder, seeking 2 000 000 kr."""
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db
    from matchmaking.proposals.models import Company, Instrument, Proposal, Status
    from matchmaking.reference.models import Sector, Stage

    with live_server.app.app_context():
        company = db.session.scalar(
            select(Company).join(User, User.id == Company.owner_id).where(User.email == FOUNDER)
        )
        proposal = Proposal(
            company=company,
            title=title,
            teaser="Tørrfisk av skrei fra Lofoten, tørket og pakket i Narvik.",
            description="Konfidensielt: avtale med to hjeller.",
            sector_id=db.session.scalar(select(Sector.id).where(Sector.slug == "marine")),
            stage_id=db.session.scalar(select(Stage.id).where(Stage.slug == "seed")),
            ask=2_000_000,
            min_ticket=250_000,
            instrument=Instrument.EQUITY,
            jobs_now=3,
            status=Status.PITCHED,
        )
        db.session.add(proposal)
        db.session.commit()
        proposal_id = proposal.id
        db.session.remove()
    return proposal_id


def _log_in_as(page: Any, email: str, lang: str) -> None:
    """A fresh session for the next person (the previous one's cookie is dropped)."""
    words = WORDS[lang]
    page.context.clear_cookies()
    page.visit(f"/auth/login?lang={lang}")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["login"]).click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def _next_page(page: Any, click: Any) -> None:
    with page.expect_navigation():
        click()
    page.wait_for_load_state()
    check_accessibility(page)


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_commit_see_the_total_close_as_funded_and_report_after_six_months(
    page: Any, live_server: LiveServer, lang: str
) -> None:
    words = WORDS[lang]
    title = "Tørrfisk fra Narvik" if lang == "nb" else "Stockfish from Narvik"
    proposal_id = _pitched_proposal(live_server, title)

    # The investor: from the proposal page to a commitment named to the founder.
    _log_in_as(page, INVESTOR, lang)
    page.visit(f"/proposals/{proposal_id}")
    _next_page(page, page.get_by_role("link", name=words["register"], exact=True).first.click)
    page.get_by_label(words["amount"]).fill("600 000")
    page.get_by_label(words["named"]).check()
    _next_page(page, page.get_by_role("button", name=words["submit"]).click)
    assert page.url.endswith(f"/proposals/{proposal_id}/round")

    # The founder: the total against the target, and who chose to be named.
    _log_in_as(page, FOUNDER, lang)
    page.visit(f"/proposals/{proposal_id}/round")
    main = page.locator("main").inner_text()
    assert words["progress"] in main
    assert "Ola Investor" in main
    progress = page.locator("progress")
    assert progress.get_attribute("value") == "600000"
    assert progress.get_attribute("max") == "2000000"

    # The organiser: funded, with the investor's 600 000 kr prefilled, after the confirm step.
    _log_in_as(page, ORGANISER, lang)
    page.visit(f"/proposals/{proposal_id}/round")
    _next_page(page, page.get_by_role("link", name=words["record"]).click)
    page.get_by_label(words["funded"], exact=True).check()
    page.get_by_label(words["raised"]).fill("900 000")
    _next_page(page, page.get_by_role("button", name=words["record"]).click)
    _next_page(page, page.get_by_role("button", name=words["yes"]).click)
    assert words["done"] in page.locator("main").inner_text()

    from matchmaking.extensions import db
    from matchmaking.proposals.models import Proposal, Status
    from matchmaking.rounds.models import Round, RoundState

    with live_server.app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        assert proposal.status is Status.FUNDED
        round_ = db.session.scalar(select(Round).where(Round.proposal_id == proposal_id))
        assert round_ is not None
        assert (round_.state, round_.raised) == (RoundState.FUNDED, 900_000)
        assert [(i.investor.email, i.amount) for i in round_.investments if i.investor] == [
            (INVESTOR, 600_000)
        ]
        funded_on = round_.funded_on
        db.session.remove()
    assert funded_on is not None

    # Half a year later cron asks for the report; the founder follows the e-mailed link.
    before = len(live_server.mail)
    later = (funded_on + timedelta(days=190)).isoformat() + "T08:00:00+00:00"
    result = live_server.app.test_cli_runner().invoke(args=["results", "request", "--now", later])
    assert result.exit_code == 0, result.output
    # (The demo founder's company funded two years ago is asked too: find ours.)
    links = [
        found.group(0)
        for m in live_server.mail[before:]
        if FOUNDER in m["To"]
        and (
            found := re.search(
                rf"https?://\S+/proposals/{proposal_id}/results/new\S*",
                m.get_body(preferencelist=("plain",)).get_content(),
            )
        )
    ]
    assert len(links) == 1, links

    _log_in_as(page, FOUNDER, lang)
    page.visit(links[0].replace(live_server.url, "") + f"?lang={lang}")
    page.get_by_label(words["employees"]).fill(words["fte"])
    page.get_by_label(words["revenue"]).fill("1 200 000")
    _next_page(page, page.get_by_role("button", name=words["save"]).click)
    main = page.locator("main").inner_text()
    assert words["thanks"] in main
    assert words["fte"] in main
    assert f"1{NBSP}200{NBSP}000{NBSP}kr" in main
    assert page.console_errors == []
