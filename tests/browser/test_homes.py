"""The demo founder's and the demo investor's homes, in both languages, with
axe on every page and no sideways scrolling at 375 px."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
FOUNDER = "grunder@demo.banofoten.no"
INVESTOR = "investor@demo.banofoten.no"


def _login(page: Any, email: str) -> None:
    page.visit("/auth/login?lang=nb")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("button", name="Logg ut").wait_for()


def _logout(page: Any, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.get_by_role("link", name="Logg inn").first.wait_for()


def _narrow(page: Any, path: str) -> None:
    page.set_viewport_size(PHONE)
    page.visit(path)
    assert_fits_phone(page)
    page.set_viewport_size(DESKTOP)


def _founder_titles(app: Any) -> list[str]:
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db
    from matchmaking.proposals.models import Company, Proposal

    with app.app_context():
        titles = list(
            db.session.scalars(
                select(Proposal.title)
                .join(Company)
                .join(User, User.id == Company.owner_id)
                .where(User.email == FOUNDER)
            )
        )
        db.session.remove()
    return titles


def _new_matches(app: Any) -> int:
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db
    from matchmaking.main.home.investor import new_matches

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == INVESTOR))
        count = new_matches(user).count
        db.session.remove()
    return count


def test_the_demo_founder_lands_on_their_home(page: Any, live_server: LiveServer) -> None:
    titles = _founder_titles(live_server.app)
    assert titles
    _login(page, FOUNDER)
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("heading", name="Velkommen, Kari Gründer").wait_for()
    for title in titles:
        assert page.get_by_role("heading", name=title).is_visible()
    bars = page.locator("ol.lifecycle")
    assert bars.count() == len(titles)
    # Each bar marks exactly one current step, in words as well as colour.
    for i in range(bars.count()):
        assert bars.nth(i).locator('[aria-current="step"]').count() == 1
    assert page.get_by_role("heading", name="Neste steg").count() == len(titles)
    _narrow(page, "/")

    page.visit("/?lang=en")
    page.get_by_role("heading", name="Your proposals").wait_for()
    assert page.get_by_role("heading", name="Next step").count() == len(titles)
    _narrow(page, "/")

    # The same bar heads the proposal's own page.
    page.get_by_role("link", name=titles[0], exact=True).first.click()
    page.get_by_role("heading", name=titles[0], level=1).wait_for()
    assert page.locator("ol.lifecycle [aria-current='step']").count() == 1
    _narrow(page, page.url.replace(live_server.url, ""))
    page.visit("/?lang=nb")
    _logout(page, "Logg ut")
    assert page.console_errors == []


def test_the_demo_investor_sees_new_matches_until_opening_them(
    page: Any, live_server: LiveServer
) -> None:
    new = _new_matches(live_server.app)
    assert new > 0  # the demo investor has never opened the matches page
    _login(page, INVESTOR)
    page.wait_for_url(live_server.url + "/")
    page.get_by_role("heading", name="Nye treff").wait_for()
    assert page.get_by_text(f"Nye siden forrige besøk: {new}.").is_visible()
    assert page.get_by_role("heading", name="Kommende Springbrett-samlinger").is_visible()
    assert page.get_by_role("heading", name="Interesseprofilen din").is_visible()
    _narrow(page, "/")

    page.get_by_role("link", name="Se alle treffene dine").click()
    page.wait_for_url("**/matches/")
    page.visit("/?lang=en")
    page.get_by_role("heading", name="New matches").wait_for()
    assert page.get_by_text("No new matches since your last visit.").is_visible()
    assert _new_matches(live_server.app) == 0
    _narrow(page, "/")
    page.visit("/?lang=nb")
    _logout(page, "Logg ut")
    assert page.console_errors == []
