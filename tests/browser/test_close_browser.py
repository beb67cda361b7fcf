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
