"""The organiser's home and a stale-plan notice, in Norwegian and English, with
axe on every page (``page.visit``) and no sideways scrolling at 375 px."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone

pytestmark = pytest.mark.browser


def _login(page: Any, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name="Logg ut").wait_for()


def _narrow(page: Any, path: str) -> None:
    page.set_viewport_size(PHONE)
    page.visit(path)
    assert_fits_phone(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def _publish_with_a_decline(app: Any) -> tuple[int, str]:
    """The demo session's line-up published: the first candidate accepted, the
    second declined (its place now empty), the third not answered yet."""
    from datetime import timedelta

    from matchmaking.demo.events import TITLE
    from matchmaking.events.models import Event, InvitationStatus
    from matchmaking.extensions import db, utcnow

    with app.app_context():
        event = db.session.scalars(select(Event).where(Event.title == TITLE)).one()
        now = utcnow()
        first, second, third = sorted(event.candidates, key=lambda c: c.id)[:3]
        for place, (c, answer) in enumerate(
            (
                (first, InvitationStatus.ACCEPTED),
                (second, InvitationStatus.DECLINED),
                (third, InvitationStatus.INVITED),
            )
        ):
            c.lineup_position = place
            c.invitation = answer
            c.invited_at = now
        event.lineup_run_at = event.lineup_published_at = now
        event.lineup_value = event.lineup_bound = 1.0
        event.reply_by = now + timedelta(days=5)
        title = second.proposal.title
        event_id = event.id
        db.session.commit()
        db.session.remove()
    return event_id, title


def test_the_organisers_home_and_a_stale_plan_notice_in_both_languages(
    page: Any, live_server: LiveServer
) -> None:
    event_id, declined = _publish_with_a_decline(live_server.app)
    _login(page, "arrangor@demo.banofoten.no")

    page.visit("/")
    page.get_by_role("heading", name="Dette må gjøres", level=1).wait_for()
    to_screen = page.locator('[data-count="to_screen"]')
    assert to_screen.get_by_role("link").inner_text() == "Forslag under vurdering"
    assert to_screen.locator(".badge").inner_text() == "5"
    # The count leads to the screening board filtered the same way.
    link = page.locator('[data-count="reviews_missing"]').get_by_role("link")
    href = link.get_attribute("href")
    assert href == "/screening/?tab=screening&reviews=missing"
    page.visit(href)
    assert page.get_by_label("Vurderinger").input_value() == "missing"

    page.visit("/")
    session = page.locator(f'[data-session="{event_id}"]')
    notice = session.locator('[data-notice="empty_place"]')
    assert "Tomme pitcheplasser i programmet: 1." in notice.inner_text()
    assert f"«{declined}»: Gründeren takket nei til invitasjonen til å pitche." in (
        notice.inner_text()
    )
    assert "Svarfristen er" in session.locator('[data-notice="unanswered"]').inner_text()
    _narrow(page, "/")

    # On the session page the notice names the action that fixes it.
    page.visit(f"/events/{event_id}")
    page.get_by_role("heading", name="Trenger handling fra deg").wait_for()
    page.get_by_role(
        "link", name="Sett opp pitcherekkefølgen på nytt og publiser den for å fylle dem"
    ).click()
    page.wait_for_url(f"**/events/{event_id}/lineup")
    # The same notices on the schedule page and the agenda overview (at 375 px).
    page.visit(f"/events/{event_id}/schedule")
    page.get_by_role("heading", name="Trenger handling fra deg").wait_for()
    _narrow(page, f"/events/{event_id}/agenda")
    page.get_by_role("heading", name="Trenger handling fra deg").wait_for()

    # English.
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Norsk").wait_for()
    page.visit("/")
    page.get_by_role("heading", name="What needs doing", level=1).wait_for()
    notice = page.locator(f'[data-session="{event_id}"] [data-notice="empty_place"]')
    assert "Empty pitch places in the programme: 1." in notice.inner_text()
    assert "They reply by" in page.locator('[data-notice="unanswered"]').inner_text()
    menu = page.get_by_role("navigation", name="Main menu")
    assert menu.locator(".visually-hidden", has_text="sessions need your action").count() == 1
    page.visit(f"/events/{event_id}")
    page.get_by_role("heading", name="Needs your action").wait_for()
    page.get_by_role("link", name="Run the line-up again and publish it to fill them").wait_for()
    _narrow(page, "/")
    _narrow(page, f"/events/{event_id}/agenda")
    page.get_by_role("heading", name="Needs your action").wait_for()
    assert page.console_errors == []
