"""A soft commitment by keyboard only (Tab, Enter, Space and typing): the demo
investor opens a pitched proposal, registers a commitment (a too small amount
first: the message beside the field, what was typed kept), changes it, finds it
on the portfolio, withdraws it after the confirm step and sees it marked
withdrawn. In Norwegian on a desktop, in English on a 375 px phone; axe-core
checks every page."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.demo.data import DEMO_PASSWORD
from matchmaking.money import format_kroner
from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone, check_accessibility

pytestmark = pytest.mark.browser

INVESTOR = "investor@demo.banofoten.no"
FOUNDER = "grunder@demo.banofoten.no"
NBSP = "\u00a0"

WORDS = {
    "nb": {
        "email": "E-postadresse",
        "password": "Passord",
        "login": "Logg inn",
        "register": "Registrer et foreløpig tilsagn",
        "amount": "Beløp du ville satt inn (kr)",
        "conditions": "Betingelser (valgfritt)",
        "lead": "Jeg vil være hovedinvestor i runden",
        "submit": "Registrer tilsagnet",
        "too_small": f"Selskapets minste investering er 250{NBSP}000{NBSP}kr: skriv minst det.",
        "registered": f"Ditt foreløpige tilsagn på 500{NBSP}000{NBSP}kr til «{{title}}» er registrert.",
        "change": "Endre tilsagnet ditt",
        "save": "Lagre endringene",
        "changed": f"Ditt foreløpige tilsagn til «{{title}}» er endret til 750{NBSP}000{NBSP}kr.",
        "portfolio": "Porteføljen din",
        "in_open": "Tilsagn i åpne runder: {count}, til sammen {total}.",
        "withdraw": "Trekk tilbake tilsagnet mitt",
        "withdraw_heading": "Trekke tilbake det foreløpige tilsagnet ditt til «{title}»?",
        "yes": "Ja, trekk tilbake tilsagnet mitt",
        "withdrawn": "Ditt foreløpige tilsagn til «{title}» er trukket tilbake.",
        "marked": "Trukket tilbake",
    },
    "en": {
        "email": "E-mail address",
        "password": "Password",
        "login": "Log in",
        "register": "Register a soft commitment",
        "amount": "Amount you would put in (kr)",
        "conditions": "Conditions (optional)",
        "lead": "I would lead the round",
        "submit": "Register the commitment",
        "too_small": f"The company's smallest ticket is 250{NBSP}000{NBSP}kr: write at least that.",
        "registered": f"Your soft commitment of 500{NBSP}000{NBSP}kr to “{{title}}” is registered.",
        "change": "Change your commitment",
        "save": "Save the changes",
        "changed": f"Your soft commitment to “{{title}}” is changed to 750{NBSP}000{NBSP}kr.",
        "portfolio": "Your portfolio",
        "in_open": "Commitments in open rounds: {count}, in all {total}.",
        "withdraw": "Withdraw my commitment",
        "withdraw_heading": "Withdraw your soft commitment to “{title}”?",
        "yes": "Yes, withdraw my commitment",
        "withdrawn": "Your soft commitment to “{title}” is withdrawn.",
        "marked": "Withdrawn",
    },
}

#: The focused element's accessible text: its visible text or a field's label.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "";
  const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
  return (label || e.innerText || e.value || "").replace(/\\s+/g, " ").trim();
}"""


def _pitched_proposal(live_server: LiveServer, title: str) -> int:
    """A new pitched proposal of the demo founder: it takes soft commitments."""
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
        proposal_id = proposal.id
        db.session.remove()
    return proposal_id


def _commitment(live_server: LiveServer, proposal_id: int) -> tuple[int, bool, bool] | None:
    """The demo investor's commitment to the proposal: amount, would lead, active."""
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db
    from matchmaking.rounds.models import Commitment, Round

    with live_server.app.app_context():
        found = db.session.scalar(
            select(Commitment)
            .join(Round)
            .join(User, User.id == Commitment.investor_id)
            .where(Round.proposal_id == proposal_id, User.email == INVESTOR)
        )
        row = None if found is None else (found.amount, found.would_lead, found.is_active)
        db.session.remove()
    return row


def _open_commitments(live_server: LiveServer) -> tuple[int, int]:
    """How many active commitments the demo investor has in open rounds, and their sum."""
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db
    from matchmaking.rounds.models import Commitment, Round, RoundState

    with live_server.app.app_context():
        amounts = list(
            db.session.scalars(
                select(Commitment.amount)
                .join(Round)
                .join(User, User.id == Commitment.investor_id)
                .where(
                    User.email == INVESTOR,
                    Round.state == RoundState.OPEN,
                    Commitment.withdrawn_at.is_(None),
                )
            )
        )
        db.session.remove()
    assert 750_000 in amounts
    return len(amounts), sum(amounts)


def _login(page: Any, lang: str) -> None:
    words = WORDS[lang]
    page.visit(f"/auth/login?lang={lang}")
    page.get_by_label(words["email"]).fill(INVESTOR)
    page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["login"]).click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def _tab_to(page: Any, text: str, limit: int = 200) -> None:
    """Press Tab until the focus is on the element whose text is ``text``."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused == text:
            return
        seen.append(focused)
    raise AssertionError(f"Tab never reached {text!r}; passed {seen}")


def _enter(page: Any) -> None:
    """Press Enter on the focused link or button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def _type(page: Any, text: str) -> None:
    """Replace what the focused field holds with ``text``, typed."""
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type(text)


def _check(page: Any, phone: bool) -> None:
    check_accessibility(page)
    if phone:
        assert_fits_phone(page)


def _flash(page: Any) -> str:
    return str(page.locator('main [role="status"].alert-success').first.inner_text())


@pytest.mark.parametrize(("lang", "phone"), [("nb", False), ("en", True)])
def test_investor_registers_changes_and_withdraws_a_commitment_by_keyboard(
    page: Any, live_server: LiveServer, lang: str, phone: bool
) -> None:
    words = WORDS[lang]
    title = "Snøkrabbe fra Tysfjorden" if lang == "nb" else "Snow crab from Tysfjord"
    if phone:
        page.set_viewport_size(PHONE)
    proposal_id = _pitched_proposal(live_server, title)
    _login(page, lang)
    page.visit(f"/proposals/{proposal_id}")
    if phone:
        assert_fits_phone(page)

    # From the proposal page to the form.
    _tab_to(page, words["register"])
    _enter(page)
    assert page.get_by_role("heading", level=1).inner_text() == words["register"]
    _check(page, phone)

    # Too little: the message beside the amount, the rest kept.
    _tab_to(page, words["amount"])
    _type(page, "100 000")
    _tab_to(page, words["conditions"])
    _type(page, "Styreplass" if lang == "nb" else "A board seat")
    _tab_to(page, words["lead"])
    page.keyboard.press("Space")
    _tab_to(page, words["submit"])
    _enter(page)
    amount = page.get_by_label(words["amount"])
    assert amount.get_attribute("aria-invalid") == "true"
    described = amount.get_attribute("aria-describedby") or ""
    assert page.locator("#amount-error").inner_text() == words["too_small"]
    assert "amount-error" in described
    assert amount.input_value() == "100 000"
    assert page.get_by_label(words["lead"]).is_checked()
    _check(page, phone)
    assert _commitment(live_server, proposal_id) is None

    # Enough: registered, back on the round page.
    _tab_to(page, words["amount"])
    _type(page, "500 000")
    _tab_to(page, words["submit"])
    _enter(page)
    assert page.url.endswith(f"/proposals/{proposal_id}/round")
    assert words["registered"].format(title=title) in _flash(page)
    _check(page, phone)
    assert _commitment(live_server, proposal_id) == (500_000, True, True)

    # Changed, from the round page.
    _tab_to(page, words["change"])
    _enter(page)
    assert page.get_by_label(words["amount"]).input_value() == f"500{NBSP}000"
    _check(page, phone)
    _tab_to(page, words["amount"])
    _type(page, "750000")
    _tab_to(page, words["lead"])
    page.keyboard.press("Space")
    _tab_to(page, words["save"])
    _enter(page)
    assert words["changed"].format(title=title) in _flash(page)
    _check(page, phone)
    assert _commitment(live_server, proposal_id) == (750_000, False, True)

    # On the portfolio, linking back to the round.
    _tab_to(page, words["portfolio"])
    _enter(page)
    _check(page, phone)
    # The demo investor's commitments in the demo's open rounds, and this one.
    count, total = _open_commitments(live_server)
    assert (
        words["in_open"].format(count=count, total=format_kroner(total))
        in page.get_by_role("main").inner_text()
    )
    row = page.get_by_role("row").filter(has_text=title)
    assert f"750{NBSP}000{NBSP}kr" in row.inner_text()
    _tab_to(page, title)
    _enter(page)
    assert page.url.endswith(f"/proposals/{proposal_id}/round")
    _check(page, phone)

    # Withdrawn after the confirm step.
    _tab_to(page, words["withdraw"])
    _enter(page)
    assert page.get_by_role("heading", level=1).inner_text() == words["withdraw_heading"].format(
        title=title
    )
    _check(page, phone)
    assert _commitment(live_server, proposal_id) == (750_000, False, True)  # asking changed nothing
    _tab_to(page, words["yes"])
    _enter(page)
    assert words["withdrawn"].format(title=title) in _flash(page)
    _check(page, phone)
    assert _commitment(live_server, proposal_id) == (750_000, False, False)

    page.visit("/investor/portfolio")
    if phone:
        assert_fits_phone(page)
    assert words["marked"] in page.get_by_role("row").filter(has_text=title).inner_text()
    assert page.console_errors == []
