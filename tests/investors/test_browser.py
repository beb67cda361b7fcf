"""In a browser, with CSRF on: a pending investor fills in the profile (with a
mistake first, and a checkbox ticked from the keyboard); an organiser rejects
without a reason (refused), then approves; the e-mail arrives over SMTP. Every
page passes axe-core."""

from __future__ import annotations

import re
from typing import Any

import pytest

from matchmaking.accounts.models import InvestorStatus
from matchmaking.accounts.services import find_by_email
from matchmaking.demo.data import DEMO_PASSWORD
from matchmaking.extensions import db
from tests.browser.fixtures import LiveServer, check_accessibility

pytestmark = pytest.mark.browser

PENDING = "anders.moe@demo.banofoten.no"


def _login(page: Any, email: str) -> None:
    page.goto("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url("**/")


def test_profile_then_approval(page: Any, live_server: LiveServer) -> None:
    _login(page, PENDING)
    page.get_by_role("link", name="Min profil").click()
    page.wait_for_url("**/investor/profile")
    check_accessibility(page)
    assert page.get_by_text("Registreringen din venter på godkjenning").is_visible()

    # A mistake: the message sits beside the field, and nothing typed is lost.
    page.get_by_label("Største investering (kr)").fill("0")
    page.get_by_label("Investeringsstrategi").fill("Teknologi og energi i Narvik.")
    page.get_by_role("button", name="Lagre profilen").click()
    assert page.get_by_text("Største investering må være mer enn 0 kr.").is_visible()
    assert (
        page.get_by_label("Investeringsstrategi").input_value() == "Teknologi og energi i Narvik."
    )
    check_accessibility(page)

    # Keyboard: tick Harstad with the space bar.
    harstad = page.get_by_role("group", name="Sør-Troms").get_by_label("Harstad")
    harstad.focus()
    page.keyboard.press("Space")
    assert harstad.is_checked()
    page.get_by_label("Største investering (kr)").fill("1 500 000")
    page.get_by_role("button", name="Lagre profilen").click()
    assert page.get_by_text("Profilen er lagret.").is_visible()
    assert page.get_by_role("group", name="Sør-Troms").get_by_label("Harstad").is_checked()
    check_accessibility(page)
    page.get_by_role("button", name="Logg ut").click()

    _login(page, "arrangor@demo.banofoten.no")
    # The menu item carries a badge: "Investorer 1 venter på godkjenning".
    menu = page.get_by_role("navigation", name="Hovedmeny")
    menu.get_by_role("link", name=re.compile(r"^Investorer\b")).click()
    page.wait_for_url("**/screening/investors*")
    check_accessibility(page)
    page.get_by_role("link", name="Anders Moe").click()
    check_accessibility(page)
    assert page.get_by_text("Teknologi og energi i Narvik.").is_visible()

    page.get_by_label("Avvis").check()
    page.get_by_role("button", name="Lagre beslutningen").click()
    assert page.get_by_text("Oppgi en begrunnelse").is_visible()
    check_accessibility(page)

    page.get_by_label("Godkjenn").check()
    page.get_by_label("Melding til investoren").fill("Velkommen, Anders!")
    page.get_by_role("button", name="Lagre beslutningen").click()
    assert page.get_by_text("Anders Moe er godkjent og har fått beskjed på e-post.").is_visible()
    check_accessibility(page)

    with live_server.app.app_context():
        user = find_by_email(PENDING)
        assert user is not None
        assert user.investor_status is InvestorStatus.APPROVED
        db.session.remove()
    [mail] = [m for m in live_server.mail if m["To"] == PENDING]
    assert mail["Subject"] == "Du er godkjent som investor i BAN Ofoten"
    assert "Velkommen, Anders!" in mail.get_body(("plain",)).get_content()
    assert "Velkommen, Anders!" in mail.get_body(("html",)).get_content()
    assert page.console_errors == []
