"""The line-up in a browser on the demo session: the organiser sets the weight (a bad
one is refused beside the field), proposes and publishes; the founder accepts;
an investor sees the programme. Every page passes axe; the invitations go
through the SMTP server on loopback."""

from __future__ import annotations

import os
from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.fixtures import LiveServer, check_accessibility

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _only_when_asked(request: pytest.FixtureRequest) -> None:
    """``tests/events`` is run often on a shared machine: this browser test runs
    only with ``-m browser`` or in CI (``REQUIRE_BROWSER``)."""
    if "browser" not in (request.config.getoption("markexpr") or "") and not os.environ.get(
        "REQUIRE_BROWSER"
    ):
        pytest.skip("a browser test: run with -m browser (or REQUIRE_BROWSER=1)")


def _login(page: Any, live_server: LiveServer, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill("ofoten-demo-2026")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(live_server.url + "/")


def _demo_session(live_server: LiveServer) -> tuple[int, list[tuple[str, str]]]:
    """The demo session's id and its candidates' (title, founder e-mail)."""
    from matchmaking.demo.events import TITLE
    from matchmaking.events.models import Event
    from matchmaking.extensions import db

    with live_server.app.app_context():
        event = db.session.scalar(select(Event).where(Event.title == TITLE))
        assert event is not None
        founders = [(c.proposal.title, c.proposal.company.owner.email) for c in event.candidates]
        event_id: int = event.id
        db.session.remove()
    return event_id, founders


def test_organiser_proposes_and_publishes_founder_accepts(
    page: Any, live_server: LiveServer
) -> None:
    event_id, founders = _demo_session(live_server)

    _login(page, live_server, "arrangor@demo.banofoten.no")
    page.visit(f"/events/{event_id}")
    page.get_by_role("link", name="Sett opp pitcherekkefølgen").click()
    check_accessibility(page)

    weight = page.get_by_label("Vekt for vurderingspoengene")
    weight.fill("11")
    page.get_by_role("button", name="Lagre vekten").click()
    assert page.get_by_text("Vekten må være fra 0 til 10.").is_visible()
    assert page.get_by_label("Vekt for vurderingspoengene").input_value() == "11"
    check_accessibility(page)
    page.get_by_label("Vekt for vurderingspoengene").fill("1,5")
    page.get_by_role("button", name="Lagre vekten").click()
    assert page.get_by_text("Vekten er lagret.").is_visible()

    page.get_by_role("button", name="Foreslå pitcherekkefølge", exact=True).click()
    assert page.get_by_text("Bevist optimal: ingen pitcherekkefølge").is_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Publiser programmet").click()
    assert page.get_by_text("Programmet er publisert.").is_visible()
    check_accessibility(page)
    invited = {to for m in live_server.mail for to in m.get_all("To", [])}
    assert invited == {email for _, email in founders}
    page.get_by_role("button", name="Logg ut").click()

    title, email = founders[0]
    _login(page, live_server, email)
    page.visit(f"/events/{event_id}")
    assert page.get_by_text(f"Du er invitert til å pitche «{title}»").is_visible()
    page.get_by_role("button", name=f"Takk ja {title}").click()
    assert page.get_by_text("Takk! Du har takket ja til å pitche.").is_visible()
    check_accessibility(page)
    page.get_by_role("button", name="Logg ut").click()

    _login(page, live_server, "investor@demo.banofoten.no")
    page.visit(f"/events/{event_id}")
    programme = page.locator("section", has=page.get_by_role("heading", name="Program"))
    for t, _ in founders:
        assert programme.get_by_text(t).first.is_visible()
    assert page.console_errors == []
