"""Two confirm steps walked by keyboard only (Tab and Enter, and typing a reason),
in Norwegian and in English, on a 375 px wide phone: an organiser disables a
user (Cancel first: nothing changes; then "Yes"), and a founder withdraws a
proposal with a reason. axe-core checks every page, the confirm pages included,
and none of them scrolls sideways (docs/confirm-steps.md)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from matchmaking.demo.data import DEMO_PASSWORD
from tests.browser.fixtures import PHONE, LiveServer, assert_fits_phone, check_accessibility

pytestmark = pytest.mark.browser


#: The words each language's pages use.
WORDS = {
    "nb": {
        "email": "E-postadresse",
        "password": "Passord",
        "login": "Logg inn",
        "disable": "Deaktiver",
        "cancel": "Avbryt",
        "disabled": "Deaktivert",
        "yes_disable": "Ja, deaktiver {name}",
        "disable_heading": "Deaktivere {name}?",
        "withdraw": "Trekk forslaget",
        "withdraw_heading": "Trekke forslaget «{title}»?",
        "yes_withdraw": "Ja, trekk forslaget «{title}»",
        "withdrawn": "Forslaget er trukket.",
    },
    "en": {
        "email": "E-mail address",
        "password": "Password",
        "login": "Log in",
        "disable": "Disable",
        "cancel": "Cancel",
        "disabled": "Disabled",
        "yes_disable": "Yes, disable {name}",
        "disable_heading": "Disable {name}?",
        "withdraw": "Withdraw the proposal",
        "withdraw_heading": "Withdraw “{title}”?",
        "yes_withdraw": "Yes, withdraw “{title}”",
        "withdrawn": "Your proposal is withdrawn.",
    },
}

#: The focused element's accessible text: its visible text (with a
#: visually-hidden part, like "Deaktiver Kari Gründer") or a field's label.
FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "";
  const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
  return (label || e.innerText || e.value || "").replace(/\\s+/g, " ").trim();
}"""


def _login(page: Any, email: str, lang: str) -> None:
    words = WORDS[lang]
    page.visit(f"/auth/login?lang={lang}")
    page.get_by_label(words["email"]).fill(email)
    page.get_by_label(words["password"]).fill(DEMO_PASSWORD)
    page.get_by_role("button", name=words["login"]).click()
    # Logged in, the login page gives way to the home (on a phone the menu with
    # "Log out" is folded behind its button, so that button is not shown).
    page.wait_for_url(lambda url: "/auth/login" not in url)


def _tab_to(page: Any, text: str, limit: int = 150) -> None:
    """Press Tab until the focus is on the element whose text is ``text``."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused == text:
            return
        seen.append(focused)
    raise AssertionError(f"Tab never reached {text!r}; passed {seen}")


def _enter(page: Any) -> None:
    """Press Enter on the focused link or button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def _check_page(page: Any) -> None:
    """axe-core, and no sideways scrolling at 375 px."""
    check_accessibility(page)
    assert_fits_phone(page)


def _user(app: Any, email: str) -> tuple[int, str, Any]:
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db

    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None
        found = (user.id, user.name, user.disabled_at)
        db.session.remove()
    return found


@pytest.mark.parametrize(
    ("lang", "victim"),
    [("nb", "marit.kuoljok@demo.banofoten.no"), ("en", "jonas.strand@demo.banofoten.no")],
)
def test_disabling_a_user_by_keyboard(
    page: Any, live_server: LiveServer, lang: str, victim: str
) -> None:
    words = WORDS[lang]
    page.set_viewport_size(PHONE)
    _login(page, "arrangor@demo.banofoten.no", lang)
    _user_id, name, _ = _user(live_server.app, victim)
    page.visit("/admin/users")

    # Disable: the confirm page names the user; Cancel goes back, nothing changed.
    _tab_to(page, f"{words['disable']} {name}")
    _enter(page)
    heading = page.get_by_role("heading", level=1)
    assert heading.inner_text() == words["disable_heading"].format(name=name)
    _check_page(page)
    _tab_to(page, words["cancel"])
    _enter(page)
    assert page.url.endswith("/admin/users")
    assert _user(live_server.app, victim)[2] is None
    _check_page(page)

    # Again, and "Yes": the user is disabled.
    _tab_to(page, f"{words['disable']} {name}")
    _enter(page)
    _tab_to(page, words["yes_disable"].format(name=name))
    _enter(page)
    assert _user(live_server.app, victim)[2] is not None
    assert page.get_by_role("row", name=name).get_by_text(words["disabled"]).is_visible()
    _check_page(page)
    assert page.console_errors == []


def _withdrawable(app: Any, email: str) -> tuple[int, str]:
    """A proposal of the founder with ``email`` that can still be withdrawn."""
    from matchmaking.accounts.models import User
    from matchmaking.extensions import db
    from matchmaking.proposals.models import Company, Proposal
    from matchmaking.proposals.services import WITHDRAWABLE

    with app.app_context():
        query = (
            select(Proposal.id, Proposal.title)
            .join(Company)
            .join(User, Company.owner_id == User.id)
            .where(User.email == email, Proposal.status.in_(WITHDRAWABLE))
            .order_by(Proposal.id)
        )
        row = db.session.execute(query).first()
        db.session.remove()
    assert row is not None
    return int(row[0]), str(row[1])


def _status(app: Any, proposal_id: int) -> tuple[str, str]:
    from matchmaking.extensions import db
    from matchmaking.proposals.models import Proposal

    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        found = (proposal.status.value, proposal.events[-1].comment)
        db.session.remove()
    return found


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_withdrawing_a_proposal_by_keyboard(page: Any, live_server: LiveServer, lang: str) -> None:
    words = WORDS[lang]
    page.set_viewport_size(PHONE)
    founder = "grunder@demo.banofoten.no"
    proposal_id, title = _withdrawable(live_server.app, founder)
    before = _status(live_server.app, proposal_id)[0]
    _login(page, founder, lang)
    page.visit(f"/proposals/{proposal_id}")

    _tab_to(page, words["withdraw"])
    _enter(page)
    assert page.get_by_role("heading", level=1).inner_text() == words["withdraw_heading"].format(
        title=title
    )
    _check_page(page)
    assert _status(live_server.app, proposal_id)[0] == before  # asking changed nothing

    # The reason is typed in its field, then "Yes".
    reason = "Vi fikk finansiering andre steder." if lang == "nb" else "We found funding elsewhere."
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.tagName") != "TEXTAREA":
        page.keyboard.press("Tab")
    page.keyboard.type(reason)
    _tab_to(page, words["yes_withdraw"].format(title=title))
    _enter(page)
    page.get_by_text(words["withdrawn"]).wait_for()
    assert _status(live_server.app, proposal_id) == ("withdrawn", reason)
    _check_page(page)
    assert page.console_errors == []
