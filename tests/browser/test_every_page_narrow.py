"""Every page of each demo role works on a 375 px wide phone (WCAG 1.4.10, reflow).

The pages are found, not listed: from the home page the test follows every
same-origin link breadth-first, as a person tapping through the service
would, so a page added later is checked without touching this file. Pages
that differ only by an id (``/proposals/3`` and ``/proposals/4``) count
once. Each page must answer without an error, pass axe and be no wider than
the screen (a wide table scrolls inside its own box, never the page).
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from sqlalchemy import select

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import PHONE, LiveServer

pytestmark = pytest.mark.browser

MAX_PAGES = 150

ROLES = {
    "organiser": "arrangor@demo.banofoten.no",
    "investor": "investor@demo.banofoten.no",
    "founder": "grunder@demo.banofoten.no",
}

# The demo data as loaded (sign-up open, no line-up yet), and on the day of
# the session (line-up published, schedule built, agendas sent): each shows
# pages and tables the other does not.
STAGES = ("sign-up", "day")

# Files, not pages: calendar entries, spreadsheets and pitch decks.
DOWNLOAD = re.compile(r"(\.(csv|ics|xlsx|pdf)|/deck)$")
# Query values that only pick a row or a page of the same page.
SAME_PAGE_KEYS = {"next"}


def _page_key(path: str, query: str) -> str:
    """The page a link shows, with ids and page numbers left out."""
    shape = re.sub(r"/\d+(?=/|$)", "/<id>", path)
    params = sorted(
        (key, "<n>" if value.isdigit() else value)
        for key, value in parse_qsl(query, keep_blank_values=True)
        if key not in SAME_PAGE_KEYS
    )
    return shape + ("?" + "&".join(f"{k}={v}" for k, v in params) if params else "")


def _login(page: Any, email: str) -> None:
    page.visit("/auth/login")
    page.get_by_label("E-postadresse").fill(email)
    page.get_by_label("Passord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


# The innermost elements reaching past the right edge, to say what to fix.
TOO_WIDE = """() => Array.from(document.body.querySelectorAll('*'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => !Array.from(e.children).some(c => c.getBoundingClientRect().right > window.innerWidth + 1))
  .filter(e => !e.closest('.table-responsive'))
  .slice(0, 5)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().replace(/ +/g, '.') : '')
            + ' "' + (e.textContent || '').trim().slice(0, 40) + '"')"""


def _too_wide(page: Any) -> list[str]:
    found: list[str] = page.evaluate(TOO_WIDE)
    return found


def _links(page: Any, origin: str) -> list[str]:
    hrefs: list[str] = page.evaluate(
        "Array.from(document.querySelectorAll('a[href]:not([download])'), a => a.href)"
    )
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or DOWNLOAD.search(parts.path):
            continue
        if parts.path.startswith(("/static/", "/bootstrap/", "/auth/logout")):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def _crawl(page: Any, origin: str) -> tuple[list[str], list[str]]:
    """Visit every page reachable from the home page; return (visited, problems)."""
    queue: deque[str] = deque(["/"])
    seen = {_page_key("/", "")}
    visited: list[str] = []
    problems: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        target = queue.popleft()
        try:
            response = page.visit(target)
        except AssertionError as exc:  # axe found something
            problems.append(str(exc))
            response = None
        visited.append(target)
        if response is not None and response.status >= 400:
            problems.append(f"{target} answered {response.status}")
            continue
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            problems.append(
                f"{target} is {width} px wide at {PHONE['width']} px: {_too_wide(page)}"
            )
        for link in _links(page, origin):
            path, _, query = link.partition("?")
            key = _page_key(path, query)
            if key not in seen:
                seen.add(key)
                queue.append(link)
    return visited, problems


def day_of_the_session(live_server: LiveServer) -> None:
    """Take the demo session to its day: line-up proposed, published and
    accepted, the 1:1 schedule built and the agendas sent. The demo founder
    pitches and the demo investor has meetings, so their agendas are full."""
    from matchmaking.demo.events import TITLE
    from matchmaking.events.agenda.sending import send_agendas
    from matchmaking.events.lineup import services as lineup
    from matchmaking.events.meetings.planning import build_schedule
    from matchmaking.events.models import Event
    from matchmaking.extensions import db

    with live_server.app.test_request_context():
        event = db.session.scalar(select(Event).where(Event.title == TITLE))
        assert event is not None
        lineup.run(event, event.version)
        db.session.commit()
        lineup.publish(event, event.version)
        db.session.commit()
        for candidate in event.candidates:
            if candidate.lineup_position is not None:
                lineup.answer(candidate, candidate.proposal.company.owner, accept=True)
        db.session.commit()
        build_schedule(event, event.version)
        db.session.commit()
        send_agendas(event, event.version)
        db.session.commit()
        db.session.remove()


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("role", sorted(ROLES))
def test_every_page_fits_a_phone(page: Any, live_server: LiveServer, role: str, stage: str) -> None:
    if stage == "day":
        day_of_the_session(live_server)
    page.set_viewport_size(PHONE)
    _login(page, ROLES[role])
    visited, problems = _crawl(page, live_server.url)
    assert problems == [], "\n".join(problems)
    # The crawl reached the pages behind the menu, not just the home page.
    assert len(visited) > 5, visited
    assert page.console_errors == []


def test_every_page_fits_a_phone_in_english(page: Any, live_server: LiveServer) -> None:
    """The organiser on the day (the most pages): English words are longer."""
    day_of_the_session(live_server)
    page.set_viewport_size(PHONE)
    _login(page, ROLES["organiser"])
    page.get_by_role("button", name="Meny").click()
    page.get_by_role("button", name="English").click()
    page.get_by_role("button", name="Menu").wait_for()
    visited, problems = _crawl(page, live_server.url)
    assert problems == [], "\n".join(problems)
    assert len(visited) > 5, visited
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.console_errors == []


def test_menu_opens_by_keyboard_on_a_phone(page: Any, live_server: LiveServer) -> None:
    page.set_viewport_size(PHONE)
    _login(page, ROLES["investor"])
    toggler = page.get_by_role("button", name="Meny")
    logout = page.get_by_role("button", name="Logg ut")
    assert logout.is_hidden(), "the menu is folded away on a phone"
    assert toggler.get_attribute("aria-expanded") == "false"

    # Tab from the top of the page: skip link, the name of the service, the button.
    for _ in range(5):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('navbar-toggler')"):
            break
    assert page.evaluate("document.activeElement.classList.contains('navbar-toggler')")
    page.keyboard.press("Enter")
    logout.wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    page.locator("#main-menu").get_by_role("link", name="Treff", exact=True).wait_for()
    # The next Tab goes into the opened menu.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#main-menu') !== null")

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    logout.wait_for(state="hidden")
    assert toggler.get_attribute("aria-expanded") == "false"
    assert page.console_errors == []


def test_menu_is_open_without_javascript(browser: Any, live_server: LiveServer) -> None:
    """Without scripts the "Menu" button could not open it: the menu is just there."""
    context = browser.new_context(
        base_url=live_server.url, locale="nb-NO", java_script_enabled=False, viewport=PHONE
    )
    try:
        page = context.new_page()
        page.goto("/")
        assert page.locator("#main-menu").get_by_role("link", name="Logg inn").is_visible()
        assert page.get_by_role("button", name="Meny").is_hidden()
    finally:
        context.close()
