"""Investors and founders choosing each other, in a browser: an investor takes
back a "not interested" from the Hidden tab; an organiser opens the schedule by
investor and a meeting's own page. Both languages, axe on every page
(``page.visit`` and ``check_accessibility``) and no sideways scrolling at 375 px."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone, check_accessibility
from tests.browser.test_meetings_browser import _publish_demo_lineup

pytestmark = pytest.mark.browser


def _login(page: Any, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name="Logg ut").wait_for()


def _narrow(page: Any, path: str) -> None:
    """``path`` at 375 px: axe passes and the page does not scroll sideways."""
    size = page.viewport_size
    page.set_viewport_size(PHONE)
    page.visit(path)
    assert_fits_phone(page)
    page.set_viewport_size(size)


def _scored_matches(live_server: LiveServer) -> list[str]:
    """The demo investor's matches start afresh: three proposals with scores."""
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db
    from matchmaking.matches.models import MatchChoice, MatchScore
    from matchmaking.proposals.lifecycle import HIDDEN_FROM_INVESTORS
    from matchmaking.proposals.models import Proposal

    with live_server.app.app_context():
        investor = db.session.scalar(select(User).where(User.email == "investor@demo.banofoten.no"))
        assert investor is not None
        for table in (MatchScore.__table__, MatchChoice.__table__):
            db.session.execute(table.delete().where(table.c.investor_id == investor.id))
        shown = db.session.scalars(
            select(Proposal)
            .where(Proposal.status.not_in(sorted(HIDDEN_FROM_INVESTORS)))
            .order_by(Proposal.id)
            .limit(3)
        ).all()
        for i, proposal in enumerate(shown):
            db.session.add(
                MatchScore(
                    investor_id=investor.id,
                    proposal_id=proposal.id,
                    score=0.9 - i / 10,
                    reasons=json.dumps({"sector": 0.3, "stage": 0.2}),
                )
            )
        db.session.commit()
        titles = [p.title for p in shown]
        db.session.remove()
    return titles


def _turn_down(page: Any, title: str, reason: str, button: str) -> None:
    page.visit("/matches/")
    page.get_by_role(
        "link", name=f"{'Ikke interessert' if reason == 'Teamet' else 'Not interested'} ({title})"
    ).click()
    page.get_by_role("heading", level=1).wait_for()
    page.get_by_label(reason, exact=True).check()
    page.get_by_role("button", name=button).click()
    page.get_by_role(
        "heading", name="Treff" if reason == "Teamet" else "Matches", exact=True
    ).wait_for()


def test_investor_undoes_a_not_interested_from_the_hidden_tab(
    page: Any, live_server: LiveServer
) -> None:
    first, second, _third = _scored_matches(live_server)
    _login(page, "investor@demo.banofoten.no")

    # Norwegian.
    _turn_down(page, second, "Teamet", "Fjern fra treffene mine")
    page.get_by_role("link", name="Skjulte", exact=True).click()
    page.get_by_role("heading", name=second).wait_for()
    check_accessibility(page)
    assert page.get_by_text("Teamet").is_visible()
    _narrow(page, "/matches/?tab=hidden")
    page.get_by_role("button", name=f"Angre ({second})").click()
    page.get_by_text(f"«{second}» er tilbake blant treffene dine.").wait_for()
    check_accessibility(page)
    assert page.get_by_role("heading", name=second).count() == 0
    page.visit("/matches/")
    assert page.get_by_role("heading", name=second).count() == 1

    # The proposal page shows the match and the save button.
    page.get_by_role("link", name=first, exact=True).click()
    page.get_by_role("heading", name="Ditt treff").wait_for()
    check_accessibility(page)
    page.get_by_role("button", name="Lagre", exact=True).click()
    page.get_by_text(f"«{first}» er lagret.").wait_for()
    assert page.get_by_role("button", name="Fjern fra lagrede").is_visible()

    # English.
    page.visit("/matches/?lang=en")
    _turn_down(page, second, "The team", "Remove from my matches")
    page.visit("/matches/?tab=hidden")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("heading", name=second).wait_for()
    _narrow(page, "/matches/?tab=hidden")
    page.get_by_role("button", name=f"Undo ({second})").click()
    page.get_by_text(f"“{second}” is back among your matches.").wait_for()
    check_accessibility(page)
    assert page.console_errors == []


def test_organiser_opens_the_schedule_by_investor_and_a_meeting(
    page: Any, live_server: LiveServer
) -> None:
    event_id = _publish_demo_lineup(live_server)
    _login(page, "arrangor@demo.banofoten.no")
    page.visit(f"/events/{event_id}/schedule")
    with page.expect_navigation():
        page.get_by_role("button", name="Bygg møteplanen").click()
    page.get_by_text("Møteplanen er bygget").wait_for()
    check_accessibility(page)
    assert page.locator("table.schedule-grid form").count() == 0  # compact: no forms in cells
    page.get_by_text("Hva merkene betyr:").wait_for()

    with page.expect_navigation():
        page.get_by_role("link", name="Per investor").click()
    check_accessibility(page)
    grid = page.locator("table.schedule-grid")
    assert grid.get_by_role("columnheader").first.inner_text() == "Investor"
    assert grid.get_by_role("rowheader").count() >= 1
    _narrow(page, f"/events/{event_id}/schedule?view=investor")

    # A meeting's own page: move and remove are there.
    with page.expect_navigation():
        page.locator("table.schedule-grid td a").first.click()
    page.get_by_role("heading", name="Flytt til en annen tidsluke").wait_for()
    check_accessibility(page)
    assert page.get_by_role("button", name="Flytt", exact=True).is_visible()
    assert page.get_by_role("button", name="Fjern", exact=True).is_visible()
    _narrow(page, page.url.removeprefix(live_server.url))
    with page.expect_navigation():
        page.get_by_role("link", name="Tilbake til møteplanen").click()
    assert "view=investor" in page.url

    # English.
    page.visit(f"/events/{event_id}/schedule?view=investor&lang=en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="By investor").get_attribute("aria-current") == "page"
    page.get_by_text("What the marks mean:").wait_for()
    _narrow(page, f"/events/{event_id}/schedule?view=investor")
    _narrow(page, f"/events/{event_id}/schedule")
    assert page.console_errors == []
