"""A new user registers, confirms with the e-mailed link, logs in and switches language."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.fixtures import LiveServer, check_accessibility
from tests.smtp import text_and_html

pytestmark = pytest.mark.browser


def test_register_confirm_login_and_switch_language(page: Any, live_server: LiveServer) -> None:
    page.visit("/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Tidligfasekapital for Narvik og Ofoten"
    )

    page.get_by_role("link", name="Registrer deg").first.click()
    page.wait_for_url("**/auth/register")
    check_accessibility(page)

    # Bad input first: the message sits beside the field and nothing typed is lost.
    page.get_by_label("Fullt navn").fill("Astrid Ofoten")
    page.get_by_label("E-postadresse").fill("astrid@example.no")
    page.get_by_label("Passord", exact=True).fill("kort")
    page.get_by_label("Gjenta passordet").fill("kort")
    page.get_by_label("gründer med en forretningsidé").check()
    page.get_by_role("button", name="Opprett konto").click()
    assert page.get_by_text("Passordet må ha minst 10 tegn.").is_visible()
    assert page.get_by_label("Fullt navn").input_value() == "Astrid Ofoten"
    check_accessibility(page)  # the page with errors must be accessible too

    page.get_by_label("Passord", exact=True).fill("havørn-over-rombaken")
    page.get_by_label("Gjenta passordet").fill("havørn-over-rombaken")
    page.get_by_role("button", name="Opprett konto").click()
    page.get_by_role("heading", name="Sjekk e-posten din").wait_for()
    check_accessibility(page)

    # Logging in before confirming is refused, with a way to get a new link.
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill("astrid@example.no")
    page.get_by_label("Passord").fill("havørn-over-rombaken")
    page.get_by_role("button", name="Logg inn").click()
    assert page.get_by_text("E-postadressen din er ikke bekreftet ennå").is_visible()
    check_accessibility(page)

    # The confirmation link from the e-mail that reached the SMTP server.
    (message,) = live_server.mail
    assert message["To"] == "astrid@example.no"
    text, _html = text_and_html(message)
    link = re.search(r"https?://\S+/auth/confirm/\S+", text).group(0)
    page.goto(link)
    page.wait_for_url("**/auth/login")
    assert page.get_by_text("astrid@example.no er bekreftet").is_visible()
    check_accessibility(page)

    page.get_by_label("E-postadresse").fill("astrid@example.no")
    page.get_by_label("Passord").fill("havørn-over-rombaken")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_text("Velkommen, Astrid Ofoten.").is_visible()
    check_accessibility(page)

    # Switch to English with the keyboard: focus the header button, press Enter.
    page.get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    # After login / is the founder's home, not the marketing page.
    page.get_by_role("heading", name="Welcome, Astrid Ofoten").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    check_accessibility(page)

    # The choice is in the profile: another browser session starts in English.
    page.visit("/account/")
    assert page.get_by_label("Language").input_value() == "en"

    page.get_by_role("button", name="Norsk").click()
    page.get_by_role("heading", name="Profilen din").wait_for()
    assert page.locator("html").get_attribute("lang") == "nb"
    check_accessibility(page)

    page.get_by_role("button", name="Logg ut").click()
    page.get_by_text("Du er logget ut.").wait_for()
    check_accessibility(page)
    assert page.console_errors == []


def test_demo_organiser_pages_are_accessible(page: Any, live_server: LiveServer) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill("arrangor@demo.banofoten.no")
    page.get_by_label("Passord").fill("ofoten-demo-2026")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(live_server.url + "/")
    for path in (
        "/admin/users",
        "/admin/users/new-organiser",
        "/account/",
        "/account/password",
        "/account/email",
        "/auth/forgot",
        "/no-such-page",
    ):
        page.visit(path)
    page.visit("/admin/users")
    page.get_by_role("button", name="Deaktiver Kari Gründer").click()
    page.get_by_role("heading", name="Deaktivere Kari Gründer?").wait_for()  # the confirm step
    page.get_by_role("button", name="Ja, deaktiver Kari Gründer").click()
    assert page.get_by_text("Kari Gründer er deaktivert og logget ut overalt.").is_visible()
    check_accessibility(page)
