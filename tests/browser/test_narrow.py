"""No page scrolls sideways on a 375 px wide phone (WCAG 1.4.10, reflow).

Wide tables scroll inside their own box, never the page. The pages are the
ones a walk of every page as each demo role found scrolling: the organiser's
lists (users, reference data, the rubric), the line-up, the schedule and the
agenda (the organiser's and an investor's).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import LiveServer

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 800}


def _login(page: Any, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name="Logg ut").wait_for()


def _demo_event_id(app: Any) -> int:
    from matchmaking.demo.events import TITLE
    from matchmaking.events.models import Event
    from matchmaking.extensions import db

    with app.app_context():
        event_id = db.session.scalar(select(Event.id).where(Event.title == TITLE))
        db.session.remove()
    assert event_id is not None
    return int(event_id)


def _reference_lists() -> list[str]:
    from matchmaking.reference.services import KINDS

    return ["/reference/", *(f"/reference/{kind}/" for kind in KINDS)]


def _assert_no_sideways_scroll(page: Any, path: str) -> None:
    page.visit(path)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path} is {width} px wide at {PHONE['width']} px"


def test_wide_tables_scroll_in_their_box_not_the_page(page: Any, live_server: LiveServer) -> None:
    page.set_viewport_size(PHONE)
    event_id = _demo_event_id(live_server.app)
    _login(page, "arrangor@demo.banofoten.no")
    organiser_pages = [
        "/admin/users",
        *_reference_lists(),
        "/screening/rubric",
        f"/events/{event_id}/lineup",
        f"/events/{event_id}/schedule",
        f"/events/{event_id}/agenda",
    ]
    for path in organiser_pages:
        _assert_no_sideways_scroll(page, path)
    page.get_by_role("button", name="Logg ut").click()
    page.get_by_role("link", name="Logg inn").first.wait_for()

    _login(page, "investor@demo.banofoten.no")
    _assert_no_sideways_scroll(page, f"/events/{event_id}/agenda")
    assert page.console_errors == []
