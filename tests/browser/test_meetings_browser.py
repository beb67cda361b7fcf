"""The 1:1 meetings in a browser: an investor chooses, an organiser builds the
schedule and makes a hand edit that is refused; every page passes axe."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.fixtures import LiveServer, check_accessibility

pytestmark = pytest.mark.browser


def _publish_demo_lineup(live_server: LiveServer) -> int:
    """The demo session's first four candidates pitch (the line-up is published)."""
    from matchmaking.demo.events import TITLE
    from matchmaking.events.models import Event, InvitationStatus
    from matchmaking.extensions import db

    with live_server.app.app_context():
        event = db.session.scalar(select(Event).where(Event.title == TITLE))
        assert event is not None
        for position, candidate in enumerate(event.candidates[:4]):
            candidate.invitation = InvitationStatus.INVITED
            candidate.lineup_position = position
        event.lineup_published_at = datetime.now(UTC)
        db.session.commit()
        event_id: int = event.id
        db.session.remove()
    return event_id


def _login(page: Any, live_server: LiveServer, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill("ofoten-demo-2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(live_server.url + "/")


def test_investor_chooses_and_organiser_builds(page: Any, live_server: LiveServer) -> None:
    event_id = _publish_demo_lineup(live_server)

    _login(page, live_server, "investor@demo.banofoten.no")
    page.visit(f"/events/{event_id}")
    with page.expect_navigation():
        page.get_by_role("link", name="Velg hvem du vil møte").click()
    check_accessibility(page)
    page.get_by_role("checkbox").first.check()
    page.get_by_label("Tidsluke 2:").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Lagre valgene mine").click()
    expect(page.get_by_text("Valgene dine er lagret.")).to_be_visible()
    assert page.get_by_label("Tidsluke 2:").is_checked()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Logg ut").click()

    _login(page, live_server, "arrangor@demo.banofoten.no")
    page.visit(f"/events/{event_id}")
    with page.expect_navigation():
        page.get_by_role("link", name="Planlegg 1:1-møtene").click()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Bygg møteplanen").click()
    expect(page.get_by_text("Møteplanen er bygget")).to_be_visible()
    expect(page.get_by_text("Bevist optimal: ingen møteplan er verdt mer.")).to_be_visible()
    check_accessibility(page)

    # "Move" on a meeting without choosing another slot is refused, with the
    # reason beside its slot and a link to it from the top of the page. The
    # move form is on the meeting's own page, opened from its cell.
    assert page.get_by_role("table").get_by_role("columnheader").count() >= 2
    with page.expect_navigation():
        page.locator("table.schedule-grid td a").first.click()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Flytt").first.click()
    expect(page.get_by_role("alert").get_by_text("Møtet ble ikke flyttet")).to_be_visible()
    assert page.locator("select[aria-invalid=true]").count() == 1
    check_accessibility(page)
    assert page.console_errors == []
