"""The confirm steps walked by keyboard only (Tab and Enter, the arrow keys and
Space in a radio group, typing a reason), on a 375 px wide phone: an organiser
disables a user (Cancel first: nothing changes; then "Yes") and a founder
withdraws a proposal with a reason, both in Norwegian and in English; a founder
declines an invitation to pitch with a reason the organisers then see (both
languages); an organiser sends the agendas (the page names the founders who
have not accepted and the older schedule), removes a meeting, and accepts a
proposal with fewer reviews than the rubric asks for (the page names who has
not reviewed). axe-core checks every page, the confirm pages included, and
none of them scrolls sideways (docs/confirm-steps.md)."""

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


# --------------------------------------------------------------------------
# Springbrett: declining an invitation, sending agendas, removing a meeting
# --------------------------------------------------------------------------


def _springbrett(app: Any) -> dict[str, Any]:
    """The demo session with its line-up published: the first candidate and the
    second invited (no answer yet), the third and fourth accepted; two 1:1
    meetings with the accepted companies, in a schedule built an hour before
    the line-up was published (so older than the last change)."""
    from datetime import UTC, datetime, timedelta

    from matchmaking.demo.events import TITLE
    from matchmaking.events.models import Event, InvitationStatus, Meeting, MeetingSource
    from matchmaking.extensions import db

    with app.app_context():
        event = db.session.scalar(select(Event).where(Event.title == TITLE))
        assert event is not None
        now = datetime.now(UTC)
        candidates = event.candidates[:4]
        for position, candidate in enumerate(candidates):
            candidate.invitation = (
                InvitationStatus.INVITED if position < 2 else InvitationStatus.ACCEPTED
            )
            candidate.invited_at = now
            candidate.lineup_position = position
        event.lineup_published_at = now
        investors = [a.user for a in event.attendees][:2]
        for slot, (investor, candidate) in enumerate(zip(investors, candidates[2:], strict=True)):
            event.meetings.append(
                Meeting(
                    investor_id=investor.id,
                    proposal_id=candidate.proposal_id,
                    slot=slot,
                    affinity=0.5,
                    source=MeetingSource.ENGINE,
                )
            )
        event.schedule_built_at = now - timedelta(hours=1)
        db.session.commit()
        found = {
            "id": event.id,
            "title": event.title,
            "invited": [
                (c.id, c.proposal.title, c.proposal.company.owner.email) for c in candidates[:2]
            ],
            "meeting": event.meetings[0].id,
            "meeting_company": event.meetings[0].proposal.title,
        }
        db.session.remove()
    return found


def _candidate(app: Any, candidate_id: int) -> tuple[str | None, str]:
    from matchmaking.events.models import EventCandidate
    from matchmaking.extensions import db

    with app.app_context():
        c = db.session.get(EventCandidate, candidate_id)
        assert c is not None
        found = (c.invitation.value if c.invitation else None, c.decline_reason)
        db.session.remove()
    return found


def _logout(page: Any) -> None:
    page.context.clear_cookies()


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_declining_an_invitation_by_keyboard_with_a_reason_the_organisers_see(
    page: Any, live_server: LiveServer, lang: str
) -> None:
    s = _springbrett(live_server.app)
    candidate_id, title, founder = s["invited"][0]
    words = {
        "nb": {
            "decline": f"Avslå {title}",
            "heading": f"Takke nei til å pitche «{title}» på {s['title']}?",
            "yes": "Ja, takk nei til invitasjonen",
            "done": "Du har takket nei til invitasjonen; arrangørene får beskjed.",
            "reason": "Vi rekker ikke å forberede pitchen.",
        },
        "en": {
            "decline": f"Decline {title}",
            "heading": f"Decline to pitch “{title}” at {s['title']}?",
            "yes": "Yes, decline the invitation",
            "done": "You have declined the invitation; the organisers are told.",
            "reason": "We cannot prepare the pitch in time.",
        },
    }[lang]
    page.set_viewport_size(PHONE)
    _login(page, founder, lang)
    page.visit(f"/events/{s['id']}")

    # Decline: the confirm page asks; Cancel goes back with nothing changed.
    _tab_to(page, words["decline"], limit=400)
    _enter(page)
    assert page.get_by_role("heading", level=1).inner_text() == words["heading"]
    _check_page(page)
    _tab_to(page, WORDS[lang]["cancel"])
    _enter(page)
    assert f"/events/{s['id']}" in page.url
    assert _candidate(live_server.app, candidate_id) == ("invited", "")
    _check_page(page)

    # Again: the reason typed in its field, then "Yes".
    _tab_to(page, words["decline"], limit=400)
    _enter(page)
    page.keyboard.press("Tab")
    while page.evaluate("document.activeElement.tagName") != "TEXTAREA":
        page.keyboard.press("Tab")
    page.keyboard.type(words["reason"])
    _tab_to(page, words["yes"])
    _enter(page)
    page.get_by_text(words["done"]).wait_for()
    assert _candidate(live_server.app, candidate_id) == ("declined", words["reason"])
    _check_page(page)

    # The organisers see the reason on the session page's notices.
    _logout(page)
    _login(page, "arrangor@demo.banofoten.no", lang)
    page.visit(f"/events/{s['id']}")
    assert words["reason"] in page.locator("main").text_content()
    _check_page(page)
    assert page.console_errors == []


def test_sending_agendas_by_keyboard_names_the_unanswered_and_the_older_schedule(
    page: Any, live_server: LiveServer
) -> None:
    s = _springbrett(live_server.app)
    unanswered = sorted(t for _, t, _ in s["invited"])
    page.set_viewport_size(PHONE)
    _login(page, "arrangor@demo.banofoten.no", "nb")
    page.visit(f"/events/{s['id']}")
    sent_before = len(live_server.mail)

    _tab_to(page, "Send agendaer", limit=400)
    _enter(page)
    assert page.get_by_role("heading", level=1).inner_text() == (
        f"Sende agendaene for {s['title']}?"
    )
    warning = " ".join(page.locator(".alert-warning").inner_text().split())
    assert (
        f"Inviterte gründere som ikke har takket ja ennå: 2 ({', '.join(unanswered)})." in warning
    )
    assert "er eldre enn siste endring i programmet" in warning
    _check_page(page)
    assert len(live_server.mail) == sent_before  # asking sent nothing

    yes = " ".join(page.locator(".confirm-step button[type=submit]").inner_text().split())
    assert yes.startswith("Ja, send ")
    _tab_to(page, yes)
    _enter(page)
    n = int(yes.split()[2])
    page.get_by_text(f"Agendaen er sendt til {n} deltakere.").wait_for()
    assert len(live_server.mail) == sent_before + n
    _check_page(page)
    assert page.console_errors == []


def _meeting_exists(app: Any, meeting_id: int) -> bool:
    from matchmaking.events.models import Meeting
    from matchmaking.extensions import db

    with app.app_context():
        found = db.session.get(Meeting, meeting_id) is not None
        db.session.remove()
    return found


def test_removing_a_meeting_by_keyboard(page: Any, live_server: LiveServer) -> None:
    s = _springbrett(live_server.app)
    page.set_viewport_size(PHONE)
    _login(page, "arrangor@demo.banofoten.no", "nb")
    url = f"/events/{s['id']}/meetings/{s['meeting']}"
    page.visit(url)

    _tab_to(page, "Fjern", limit=400)
    _enter(page)
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Fjerne møtet")
    assert f"«{s['meeting_company']}»" in heading
    _check_page(page)
    _tab_to(page, "Avbryt")
    _enter(page)
    assert page.url.split("?")[0].endswith(url)
    assert _meeting_exists(live_server.app, s["meeting"])
    _check_page(page)

    _tab_to(page, "Fjern", limit=400)
    _enter(page)
    _tab_to(page, "Ja, fjern møtet")
    _enter(page)
    page.get_by_text("Møtet er fjernet.").wait_for()
    assert not _meeting_exists(live_server.app, s["meeting"])
    _check_page(page)
    assert page.console_errors == []


# --------------------------------------------------------------------------
# Screening: accepting with fewer reviews than the rubric asks for
# --------------------------------------------------------------------------


def _under_reviewed(app: Any) -> dict[str, Any]:
    """A demo proposal the organiser may accept that has fewer scored reviews
    than the rubric asks for, with the Norwegian words its pages use."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from matchmaking.extensions import db
    from matchmaking.proposals.models import Proposal, Status
    from matchmaking.screening import services
    from matchmaking.screening.forms import DECISION_LABELS

    with app.test_request_context("/"), force_locale("nb"):
        for proposal in db.session.scalars(select(Proposal).order_by(Proposal.id)):
            if Status.ACCEPTED not in services.decision_moves(proposal):
                continue
            missing = services.missing_reviews(proposal)
            if missing is None or not missing[1]:
                continue
            reviews, who = missing
            found = {
                "id": proposal.id,
                "title": proposal.title,
                "accepted": str(DECISION_LABELS[Status.ACCEPTED]),
                "heading": _(
                    "Accept “%(title)s” with %(n)d of %(needed)d reviews?",
                    title=proposal.title,
                    n=reviews,
                    needed=services.min_reviews(),
                ),
                "who": _("Not reviewed yet: %(names)s.", names=", ".join(u.name for u in who)),
                "yes": _("Yes, accept “%(title)s”", title=proposal.title),
            }
            db.session.remove()
            return found
    raise AssertionError("the demo data has no proposal to accept with too few reviews")


def _proposal_status(app: Any, proposal_id: int) -> str:
    from matchmaking.extensions import db
    from matchmaking.proposals.models import Proposal

    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal is not None
        found = proposal.status.value
        db.session.remove()
    return found


def test_accepting_with_too_few_reviews_by_keyboard_names_who_has_not_reviewed(
    page: Any, live_server: LiveServer
) -> None:
    p = _under_reviewed(live_server.app)
    before = _proposal_status(live_server.app, p["id"])
    page.set_viewport_size(PHONE)
    _login(page, "arrangor@demo.banofoten.no", "nb")
    page.visit(f"/screening/{p['id']}")

    # The decision by keyboard: Tab into the radio group (its first choice),
    # the arrow keys move to "accepted" and choose it, as in any radio group.
    _tab_to(page, "Be om endringer", limit=400)
    for _ in range(5):
        if page.evaluate(FOCUSED) == p["accepted"]:
            break
        page.keyboard.press("ArrowDown")
    assert page.evaluate(FOCUSED) == p["accepted"]
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked") is True
    _tab_to(page, "Lagre beslutningen")
    _enter(page)
    assert page.get_by_role("heading", level=1).inner_text() == p["heading"]
    warning = " ".join(page.locator(".alert-warning").inner_text().split())
    assert p["who"] in warning
    _check_page(page)
    assert _proposal_status(live_server.app, p["id"]) == before  # asking changed nothing

    _tab_to(page, p["yes"])
    _enter(page)
    assert _proposal_status(live_server.app, p["id"]) == "accepted"
    _check_page(page)
    assert page.console_errors == []
