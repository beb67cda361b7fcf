"""The organisers' notices (immediately, daily, never), the founders' receipts
and decision subjects, and the profile choice."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from matchmaking.accounts.models import NoticeMode, User
from matchmaking.extensions import db as _db
from matchmaking.extensions import utcnow
from matchmaking.proposals.models import Proposal, Status
from matchmaking.proposals.services import transition
from tests.conftest import csrf_token, links_in, reload


def _organiser(make_user: Any, mode: NoticeMode, locale: str = "en", **kw: Any) -> User:
    user: User = make_user("organiser", locale=locale, **kw)
    user.notice_mode = mode
    _db.session.commit()
    return user


def _ready(proposal: Proposal) -> Proposal:
    """Complete enough to submit: a deck and an organisation number."""
    proposal.deck_file = "deck.pdf"
    proposal.company.org_number = "923609016"
    _db.session.commit()
    return proposal


def _login(client: Any, user: User) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def test_a_submission_tells_the_immediately_organisers_and_gives_the_founder_a_receipt(
    client: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    at_once_en = _organiser(make_user, NoticeMode.IMMEDIATELY, "en")
    at_once_nb = _organiser(make_user, NoticeMode.IMMEDIATELY, "nb")
    daily = _organiser(make_user, NoticeMode.DAILY)
    never = _organiser(make_user, NoticeMode.NEVER)
    _organiser(make_user, NoticeMode.IMMEDIATELY, disabled=True)
    founder = make_user("entrepreneur", locale="nb", name="Siri Fjord")
    proposal = _ready(make_proposal(founder, status="draft", title="Tare fra Efjorden"))
    _login(client, founder)
    response = client.post(f"/proposals/{proposal.id}/submit", data={"comment": ""})
    assert response.status_code == 302
    to = {m.recipients[0]: m for m in outbox}
    assert sorted(to) == sorted([at_once_en.email, at_once_nb.email, founder.email])
    assert daily.email not in to
    assert never.email not in to
    assert to[at_once_en.email].subject == "New proposal: “Tare fra Efjorden”"
    assert "is submitted for screening" in to[at_once_en.email].body
    assert any(
        link.endswith(f"/screening/{proposal.id}") for link in links_in(to[at_once_en.email])
    )
    assert to[at_once_nb.email].subject == "Nytt forslag: «Tare fra Efjorden»"
    receipt = to[founder.email]
    assert receipt.subject == "Vi har mottatt «Tare fra Efjorden»"
    assert "Vi har mottatt forslaget ditt «Tare fra Efjorden»" in receipt.body
    assert receipt.html is not None


def test_a_resubmission_is_named_as_such(
    client: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    organiser = _organiser(make_user, NoticeMode.IMMEDIATELY, "en")
    founder = make_user("entrepreneur", locale="en")
    proposal = _ready(make_proposal(founder, status="changes_requested", title="Sild"))
    _login(client, founder)
    client.post(f"/proposals/{proposal.id}/submit", data={"comment": ""})
    assert reload(proposal).status is Status.RESUBMITTED
    to = {m.recipients[0]: m for m in outbox}
    assert to[organiser.email].subject == "Resubmitted: “Sild”"
    assert "resubmitted after the changes you asked for" in to[organiser.email].body
    assert to[founder.email].subject == "We have received “Sild” again"


@pytest.mark.parametrize(
    ("status", "locale", "subject"),
    [
        (Status.ACCEPTED, "en", "“Sild” is accepted for Springbrett"),
        (Status.ACCEPTED, "nb", "«Sild» er tatt opp til Springbrett"),
        (Status.DECLINED, "en", "“Sild” is declined"),
        (Status.DECLINED, "nb", "«Sild» er avslått"),
        (Status.CHANGES_REQUESTED, "en", "Changes requested to “Sild”"),
        (Status.CHANGES_REQUESTED, "nb", "Endringer etterspurt i «Sild»"),
        (Status.IN_SCREENING, "en", "News about your proposal “Sild”"),
    ],
)
def test_a_decision_is_named_in_the_subject(
    app: Any,
    make_user: Any,
    make_proposal: Any,
    outbox: list[Any],
    status: Status,
    locale: str,
    subject: str,
) -> None:
    founder = make_user("entrepreneur", locale=locale)
    organiser = make_user("organiser")
    proposal = make_proposal(founder, status="submitted", title="Sild")
    with app.test_request_context():
        transition(proposal, status, organiser, "En grunn.")
        _db.session.commit()
    (message,) = outbox
    assert message.recipients == [founder.email]
    assert message.subject == subject


def test_an_investor_registration_is_told_when_the_address_is_confirmed(
    client: Any, make_user: Any, outbox: list[Any], reference: None
) -> None:
    organiser = _organiser(make_user, NoticeMode.IMMEDIATELY, "nb")
    daily = _organiser(make_user, NoticeMode.DAILY)
    client.post(
        "/auth/register",
        data={
            "name": "Per Investor",
            "email": "per@example.no",
            "password": "midnight-sun-ballangen",
            "password_again": "midnight-sun-ballangen",
            "role": "investor",
            "locale": "en",
        },
    )
    (confirmation,) = outbox  # nothing to the organisers before the address is confirmed
    link = next(u for u in links_in(confirmation) if "/auth/confirm/" in u)
    outbox.clear()
    client.get(link.split("localhost", 1)[1])
    (notice,) = outbox
    assert notice.recipients == [organiser.email]
    assert notice.subject == "Ny investor: Per Investor"
    assert "per@example.no" in notice.body
    investor = _db.session.scalar(_db.select(User).where(User.email == "per@example.no"))
    assert any(link.endswith(f"/screening/investors/{investor.id}") for link in links_in(notice))
    assert daily.email not in notice.recipients
    # Following the link again tells nobody twice.
    outbox.clear()
    client.get(link.split("localhost", 1)[1])
    assert outbox == []


def test_an_entrepreneur_registration_tells_no_organiser(
    client: Any, make_user: Any, outbox: list[Any], reference: None
) -> None:
    _organiser(make_user, NoticeMode.IMMEDIATELY)
    client.post(
        "/auth/register",
        data={
            "name": "Grunder",
            "email": "grunder@example.no",
            "password": "midnight-sun-ballangen",
            "password_again": "midnight-sun-ballangen",
            "role": "entrepreneur",
            "locale": "en",
        },
    )
    (confirmation,) = outbox
    link = next(u for u in links_in(confirmation) if "/auth/confirm/" in u)
    outbox.clear()
    client.get(link.split("localhost", 1)[1])
    assert outbox == []


# The daily summary -----------------------------------------------------------------------


def _summary(app: Any, now: Any) -> Any:
    return app.test_cli_runner().invoke(args=["notices", "summary", "--now", now.isoformat()])


def test_the_daily_summary_runs_twice_and_sends_once(
    app: Any, client: Any, make_user: Any, make_proposal: Any, outbox: list[Any]
) -> None:
    start = utcnow() - timedelta(hours=30)
    daily_en = _organiser(make_user, NoticeMode.DAILY, "en")
    daily_nb = _organiser(make_user, NoticeMode.DAILY, "nb")
    at_once = _organiser(make_user, NoticeMode.IMMEDIATELY)
    never = _organiser(make_user, NoticeMode.NEVER)
    for o in (daily_en, daily_nb):
        o.summary_sent_at = start
    _db.session.commit()
    founder = make_user("entrepreneur")
    proposal = _ready(make_proposal(founder, status="draft", title="Tare"))
    again = _ready(make_proposal(founder, status="changes_requested", title="Sild"))
    _login(client, founder)
    client.post(f"/proposals/{proposal.id}/submit", data={"comment": ""})
    client.post(f"/proposals/{again.id}/submit", data={"comment": ""})
    investor = make_user("investor", name="Ola Kapital")
    outbox.clear()

    now = utcnow() + timedelta(minutes=1)
    result = _summary(app, now)
    assert result.exit_code == 0, result.output
    assert "Summaries sent: 2; due but nothing new: 0." in result.output
    to = {m.recipients[0]: m for m in outbox}
    assert sorted(to) == sorted([daily_en.email, daily_nb.email])
    assert at_once.email not in to
    assert never.email not in to
    en, nb = to[daily_en.email], to[daily_nb.email]
    assert en.subject == "Daily summary: new proposals and investors in BAN Ofoten (3)"
    assert nb.subject == "Daglig oppsummering: nye forslag og investorer i BAN Ofoten (3)"
    assert "New proposals\n- Tare" in en.body
    assert "Resubmitted proposals\n- Sild" in en.body
    assert "New investors\n- Ola Kapital" in en.body
    assert "Nye forslag" in nb.body
    assert "Nye investorer" in nb.body
    assert any(link.endswith(f"/screening/investors/{investor.id}") for link in links_in(en))
    assert reload(daily_en).summary_sent_at == now

    # The same run again, or an hour later with something new: nothing (one a day).
    outbox.clear()
    result = _summary(app, now)
    assert "Summaries sent: 0" in result.output
    kari = make_user("investor", name="Kari Kapital")
    kari.email_confirmed_at = now + timedelta(minutes=30)
    _db.session.commit()
    result = _summary(app, now + timedelta(hours=1))
    assert outbox == []
    # A day later the new investor, and only that, goes out.
    result = _summary(app, now + timedelta(hours=24))
    assert "Summaries sent: 2" in result.output
    en = next(m for m in outbox if m.recipients[0] == daily_en.email)
    assert "Kari Kapital" in en.body
    assert "Tare" not in en.body
    assert "Ola Kapital" not in en.body


def test_a_summary_with_nothing_new_sends_nothing(
    app: Any, make_user: Any, outbox: list[Any]
) -> None:
    daily = _organiser(make_user, NoticeMode.DAILY)
    daily.summary_sent_at = utcnow() - timedelta(days=2)
    _db.session.commit()
    result = _summary(app, utcnow())
    assert result.exit_code == 0
    assert "Summaries sent: 0; due but nothing new: 1." in result.output
    assert outbox == []


@pytest.mark.parametrize("args", [["--now", "yesterday"], ["--when", "x"]])
def test_the_summary_command_bad_input_is_an_error_with_status_2(
    app: Any, db: Any, args: list[str]
) -> None:
    result = app.test_cli_runner().invoke(args=["notices", "summary", *args])
    assert result.exit_code == 2
    assert "error: " in result.output
    assert "Traceback" not in result.output


# The choice on the profile ----------------------------------------------------------------


def test_an_organiser_chooses_on_the_profile_page(
    client: Any, login_as: Any, make_user: Any
) -> None:
    organiser = login_as("organiser", locale="en")
    page = client.get("/account/").text
    assert (
        '<label class="form-label" for="notice_mode">E-mail about new proposals and investors'
        in page
    )
    assert "The daily summary comes once a day" in page
    assert re.search(
        r'<option selected value="immediately">|<option value="immediately" selected', page
    )
    data = {"csrf_token": csrf_token(page), "name": organiser.name, "locale": "en"}
    response = client.post(
        "/account/", data={**data, "notice_mode": "daily"}, follow_redirects=True
    )
    assert "Your profile is saved." in response.text
    user = reload(organiser)
    assert user.notice_mode is NoticeMode.DAILY
    assert user.summary_sent_at is not None  # the first summary starts now
    response = client.post("/account/", data={**data, "notice_mode": "sometimes"})
    assert "Choose one of the three." in response.text
    assert 'id="notice_mode-error"' in response.text
    assert reload(organiser).notice_mode is NoticeMode.DAILY
    client.post("/account/", data={**data, "notice_mode": "never"})
    assert reload(organiser).notice_mode is NoticeMode.NEVER


def test_others_have_no_such_choice(client: Any, login_as: Any) -> None:
    founder = login_as("entrepreneur", locale="en")
    page = client.get("/account/").text
    assert "notice_mode" not in page
    response = client.post(
        "/account/",
        data={"csrf_token": csrf_token(page), "name": "Ny", "locale": "en", "notice_mode": "never"},
        follow_redirects=True,
    )
    assert "Your profile is saved." in response.text
    assert reload(founder).notice_mode is NoticeMode.IMMEDIATELY
