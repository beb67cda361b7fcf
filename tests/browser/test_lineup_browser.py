"""The line-up in a browser on the demo session: the organiser sets the weight (a bad
one is refused beside the field), proposes (the engine chooses six of the seven
candidates) and publishes; a founder accepts; an investor sees the programme,
without the candidate left out. Every page passes axe; the invitations go
through the SMTP server on loopback."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.fixtures import LiveServer, check_accessibility

pytestmark = pytest.mark.browser


def _login(page: Any, live_server: LiveServer, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill("ofoten-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(live_server.url + "/")


def _demo_session(live_server: LiveServer) -> tuple[int, list[tuple[str, str, int | None]]]:
    """The demo session's id and its candidates' (title, founder e-mail, place in the line-up)."""
    from matchmaking.demo.events import TITLE
    from matchmaking.events.models import Event
    from matchmaking.extensions import db

    with live_server.app.app_context():
        event = db.session.scalar(select(Event).where(Event.title == TITLE))
        assert event is not None
        founders = [
            (c.proposal.title, c.proposal.company.owner.email, c.lineup_position)
            for c in event.candidates
        ]
        event_id: int = event.id
        db.session.remove()
    return event_id, founders


def test_organiser_proposes_and_publishes_founder_accepts(
    page: Any, live_server: LiveServer
) -> None:
    event_id, candidates = _demo_session(live_server)
    assert all(place is None for _, _, place in candidates)

    _login(page, live_server, "arrangor@demo.banofoten.no")
    page.visit(f"/events/{event_id}")
    with page.expect_navigation():
        page.get_by_role("link", name="Sett opp pitcherekkefølgen").click()
    check_accessibility(page)

    weight = page.get_by_label("Vekt for vurderingspoengene")
    weight.fill("11")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre vekten").click()
    expect(page.get_by_text("Vekten må være fra 0 til 10.")).to_be_visible()
    assert page.get_by_label("Vekt for vurderingspoengene").input_value() == "11"
    check_accessibility(page)
    page.get_by_label("Vekt for vurderingspoengene").fill("1,5")
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre vekten").click()
    expect(page.get_by_text("Vekten er lagret.")).to_be_visible()

    with page.expect_navigation():
        page.get_by_role("button", name="Foreslå pitcherekkefølge", exact=True).click()
    expect(page.get_by_text("Ja: dette er den best mulige pitcherekkefølgen")).to_be_visible()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Publiser programmet").click()
    expect(page.get_by_text("Programmet er publisert.")).to_be_visible()
    check_accessibility(page)
    # The demo session has more candidates than places: the engine chose.
    _, candidates = _demo_session(live_server)
    chosen = sorted(
        (place, title, email) for title, email, place in candidates if place is not None
    )
    left_out = [title for title, _, place in candidates if place is None]
    assert len(chosen) == 6
    assert left_out
    # (The left-out founder and the signed-up investors are e-mailed too: test_notices.py.)
    invited = sorted(
        to
        for m in live_server.mail
        if m["Subject"].startswith(("Invitasjon til å pitche", "Invitation to pitch"))
        for to in m.get_all("To", [])
    )
    assert invited == sorted(email for _, _, email in chosen)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg ut").click()

    _, title, email = chosen[0]
    _login(page, live_server, email)
    page.visit(f"/events/{event_id}")
    expect(page.get_by_text(f"Du er invitert til å pitche «{title}»")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name=f"Takk ja {title}").click()
    expect(page.get_by_text("Takk! Du har takket ja til å pitche.")).to_be_visible()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg ut").click()

    _login(page, live_server, "investor@demo.banofoten.no")
    page.visit(f"/events/{event_id}")
    programme = page.locator("section", has=page.get_by_role("heading", name="Program"))
    for _, t, _ in chosen:
        expect(programme.get_by_text(t).first).to_be_visible()
    for t in left_out:
        assert programme.get_by_text(t).count() == 0
    assert page.console_errors == []
