"""An organiser closes a round as funded by keyboard only (Tab, Space, typing,
Enter), through the confirm step, in Norwegian and in English; axe-core checks
every page, and no page scrolls sideways on a 375 px phone
(docs/features/closing-a-round.md)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone, check_accessibility
from tests.browser.test_confirm_steps import _enter, _login, _tab_to

pytestmark = pytest.mark.browser

WORDS = {
    "nb": {
        "record": "Registrer utfallet",
        "funded": "Finansiert",
        "raised": "Hentet beløp",
        "heading": "Registrere «{title}» som finansiert?",
        "yes": "Ja, registrer runden som finansiert",
        "done": "Runden er registrert som finansiert. Gratulerer!",
        "outcome": "Finansiert: {raised} hentet",
    },
    "en": {
        "record": "Record the outcome",
        "funded": "Funded",
        "raised": "Amount raised",
        "heading": "Record “{title}” as funded?",
        "yes": "Yes, record the round as funded",
        "done": "The round is recorded as funded. Congratulations!",
        "outcome": "Funded: {raised} raised",
    },
}


def _open_round_with_a_commitment(app: Any) -> tuple[int, str, int]:
    """A demo proposal that takes commitments, with an open round and the demo
    investor's commitment: (proposal id, title, the amount to record as raised)."""
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db
    from matchmaking.proposals.lifecycle import MAY_COMMIT
    from matchmaking.proposals.models import Proposal
    from matchmaking.rounds import services

    with app.test_request_context():
        investor = db.session.scalar(select(User).where(User.email == "investor@demo.banofoten.no"))
        for proposal in db.session.scalars(
            select(Proposal).where(Proposal.status.in_(MAY_COMMIT)).order_by(Proposal.id)
        ):
            round_ = services.open_round(proposal)
            if round_ is None and services.rounds_of(proposal):
                continue
            round_ = round_ or services.start_round(proposal, None)
            if services.commitment_of(round_, investor) is None:
                services.commit(proposal, investor, amount=round_.min_ticket)
            found = (proposal.id, proposal.title, services.totals(round_).total + 100_000)
            db.session.commit()
            db.session.remove()
            return found
    raise AssertionError("the demo data has no proposal that takes commitments")


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_an_organiser_closes_a_round_as_funded_by_keyboard(
    page: Any, live_server: LiveServer, lang: str
) -> None:
    from matchmaking.money import format_kroner

    words = WORDS[lang]
    proposal_id, title, raised = _open_round_with_a_commitment(live_server.app)
    page.set_viewport_size(PHONE)
    _login(page, "arrangor@demo.banofoten.no", lang)
    page.visit(f"/proposals/{proposal_id}/round")

    _tab_to(page, words["record"])
    _enter(page)
    assert page.url.endswith(f"/proposals/{proposal_id}/round/close")
    check_accessibility(page)
    assert_fits_phone(page)

    _tab_to(page, words["funded"])
    page.keyboard.press("Space")
    _tab_to(page, words["raised"])
    page.keyboard.type(str(raised))
    _tab_to(page, words["record"])
    _enter(page)

    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == words["heading"].format(title=title)
    check_accessibility(page)
    assert_fits_phone(page)
    _tab_to(page, words["yes"])
    _enter(page)

    assert page.url.endswith(f"/proposals/{proposal_id}/round")
    body = page.locator("main").inner_text()
    assert words["done"] in body
    assert words["outcome"].format(raised=format_kroner(raised)) in body
    check_accessibility(page)
    assert_fits_phone(page)
    assert page.console_errors == []


MORE_WORDS = {
    "nb": {
        "row_name": "Investor utenfor nettverket 1: navn",
        "row_amount": "Investor utenfor nettverket 1: beløp",
        "problem": "Investor utenfor nettverket 1: navn: Skriv hvem som investerte dette beløpet.",
        "back": "Gå tilbake til skjemaet for å endre det",
        "tick": "Ja, {raised} stemmer: runden hentet mer enn dobbelt så mye som målet",
    },
    "en": {
        "row_name": "Outside investor 1: name",
        "row_amount": "Outside investor 1: amount",
        "problem": "Outside investor 1: name: Write who invested this amount.",
        "back": "Go back to the form to change it",
        "tick": "Yes, {raised} is right: the round raised more than twice its target",
    },
}


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_the_summary_leads_to_a_row_and_far_above_the_target_is_ticked_to_record(
    page: Any, live_server: LiveServer, lang: str
) -> None:
    """An incomplete outside row is named at the top of the page and the link
    leads to it; an amount raised far above the target is recorded only once
    its box is ticked on the confirm step, and "go back" keeps what was typed."""
    from matchmaking.money import format_kroner

    words, more = WORDS[lang], MORE_WORDS[lang]
    proposal_id, title, _raised = _open_round_with_a_commitment(live_server.app)
    raised = 10_000_000_000  # far above any demo round's target, and allowed
    page.set_viewport_size(PHONE)
    _login(page, "arrangor@demo.banofoten.no", lang)
    page.visit(f"/proposals/{proposal_id}/round/close")

    _tab_to(page, words["funded"])
    page.keyboard.press("Space")
    _tab_to(page, words["raised"])
    page.keyboard.type(str(raised))
    _tab_to(page, more["row_amount"])
    page.keyboard.type("250000")
    _tab_to(page, words["record"])
    _enter(page)

    summary = page.locator("#form-problems")
    assert more["problem"] in summary.inner_text()
    check_accessibility(page)
    assert_fits_phone(page)
    # The summary's link is reached by keyboard and leads to the row's name.
    _tab_to(page, more["problem"])
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith("#outside-0-name"))
    page.get_by_label(more["row_name"]).fill("Innovasjon Norge")
    page.get_by_role("button", name=words["record"], exact=True).click()
    page.wait_for_load_state()

    assert page.get_by_role("heading", level=1).inner_text() == words["heading"].format(title=title)
    check_accessibility(page)
    assert_fits_phone(page)
    # Back to the form: everything typed is there.
    _tab_to(page, more["back"])
    _enter(page)
    assert page.get_by_label(more["row_name"]).input_value() == "Innovasjon Norge"
    _tab_to(page, words["record"])
    _enter(page)

    _tab_to(page, words["yes"])
    _enter(page)  # not ticked: the confirm step again, with the message beside the box
    assert page.locator("#raised_confirmed-error").is_visible()
    check_accessibility(page)
    assert_fits_phone(page)
    _tab_to(page, more["tick"].format(raised=format_kroner(raised).replace("\u00a0", " ")))
    page.keyboard.press("Space")
    _tab_to(page, words["yes"])
    _enter(page)
    assert page.url.endswith(f"/proposals/{proposal_id}/round")
    body = page.locator("main").inner_text()
    assert words["outcome"].format(raised=format_kroner(raised)) in body
    assert page.console_errors == []
