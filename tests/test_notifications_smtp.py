"""Every e-mail of issue 12's notifications through a real SMTP server on loopback:
subject, language, both parts and the link (docs/notifications.md lists them)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask

from matchmaking.accounts.models import NoticeMode
from matchmaking.accounts.tokens import make_token
from matchmaking.events.models import Event, EventCandidate, InvitationStatus
from matchmaking.extensions import db as _db
from matchmaking.extensions import utcnow
from matchmaking.mail import wait_for_deliveries
from matchmaking.proposals.models import Status
from matchmaking.proposals.services import transition
from tests.conftest import make_app, reload
from tests.events.factories import new_event
from tests.events.lineup_factories import attend, candidate, founder_proposal
from tests.smtp import smtp_server, text_and_html

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def smtp(database_url: str, db: Any) -> Iterator[tuple[Flask, list[Any]]]:
    with smtp_server() as (port, received):
        app = make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield app, received


def _login(client: Any, user: Any) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _by_subject(app: Flask, received: list[Any]) -> dict[str, Any]:
    wait_for_deliveries(app=app)
    return {m["Subject"]: m for m in received}


def test_receipt_decision_and_the_organisers_notice(
    smtp: tuple[Flask, list[Any]], make_user: Any, make_proposal: Any
) -> None:
    app, received = smtp
    organiser = make_user("organiser", locale="en")
    founder = make_user("entrepreneur", locale="nb")
    proposal = make_proposal(founder, status="draft", title="Tare")
    proposal.deck_file = "deck.pdf"
    proposal.company.org_number = "923609016"
    _db.session.commit()
    client = app.test_client()
    _login(client, founder)
    client.post(f"/proposals/{proposal.id}/submit", data={"comment": ""})
    mail = _by_subject(app, received)
    receipt = mail["Vi har mottatt «Tare»"]
    assert receipt["To"] == founder.email
    text, html = text_and_html(receipt)
    assert "Vi har mottatt forslaget ditt «Tare»" in text
    assert f"/proposals/{proposal.id}" in html
    notice = mail["New proposal: “Tare”"]
    assert notice["To"] == organiser.email
    text, html = text_and_html(notice)
    assert "is submitted for screening" in text
    assert f"/screening/{proposal.id}" in html

    received.clear()
    with app.test_request_context():
        transition(reload(proposal), Status.ACCEPTED, reload(organiser))
        _db.session.commit()
    (decision,) = _by_subject(app, received).values()
    assert decision["Subject"] == "«Tare» er tatt opp til Springbrett"
    assert "Tatt opp til Springbrett" in text_and_html(decision)[0]


def test_a_new_investor_and_the_daily_summary(
    smtp: tuple[Flask, list[Any]], make_user: Any
) -> None:
    app, received = smtp
    at_once = make_user("organiser", locale="en")
    daily = make_user("organiser", locale="nb")
    daily.notice_mode = NoticeMode.DAILY
    daily.summary_sent_at = utcnow() - timedelta(days=1)
    _db.session.commit()
    investor = make_user("investor", confirmed=False, name="Ola Kapital", locale="en")
    with app.test_request_context():
        token = make_token("confirm", {"uid": investor.id, "email": investor.email})
    app.test_client().get(f"/auth/confirm/{token}")
    (notice,) = _by_subject(app, received).values()
    assert notice["To"] == at_once.email
    assert notice["Subject"] == "New investor: Ola Kapital"
    assert f"/screening/investors/{investor.id}" in text_and_html(notice)[1]

    received.clear()
    runner = app.test_cli_runner()
    now = (utcnow() + timedelta(minutes=5)).isoformat()
    assert runner.invoke(args=["notices", "summary", "--now", now]).exit_code == 0
    assert runner.invoke(args=["notices", "summary", "--now", now]).exit_code == 0
    (summary,) = _by_subject(app, received).values()
    assert summary["To"] == daily.email
    assert summary["Subject"] == "Daglig oppsummering: nye forslag og investorer i BAN Ofoten (1)"
    text, html = text_and_html(summary)
    assert "Nye investorer" in text
    assert "Ola Kapital" in text
    assert "<h2>Nye investorer</h2>" in html


def test_the_session_e_mails_to_investors_and_founders(
    smtp: tuple[Flask, list[Any]], make_user: Any, make_proposal: Any
) -> None:
    app, received = smtp
    organiser = make_user("organiser", locale="en")
    investor = make_user("investor", approved=True, locale="en")
    event = new_event(organiser, published=False, title="Springbrett Vinter")
    event.pitch_slots = 1
    _db.session.commit()
    client = app.test_client()
    _login(client, organiser)
    client.post(f"/events/{event.id}/publish")
    (announced,) = _by_subject(app, received).values()
    assert announced["Subject"] == "New Springbrett session: Springbrett Vinter"
    assert f"/events/{event.id}" in text_and_html(announced)[0]

    received.clear()
    attend(event, investor)
    invited = founder_proposal(make_user, make_proposal, title="Pitch A", locale="en")
    left = founder_proposal(make_user, make_proposal, title="Pitch B", locale="nb")
    invited_email, left_email = invited.company.owner.email, left.company.owner.email
    a = candidate(event, invited, pinned=True)
    candidate(event, left)
    version = str(reload(event).version)
    client.post(f"/events/{event.id}/lineup/run", data={"version": version})
    reply_by = reload(event).starts_at - timedelta(days=5)
    client.post(
        f"/events/{event.id}/lineup/publish",
        data={
            "version": str(reload(event).version),
            "reply_by": reply_by.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    mail = _by_subject(app, received)
    invitation = mail["Invitation to pitch at Springbrett Vinter"]
    assert "Please answer by" in text_and_html(invitation)[0]
    not_this_time = mail["Ikke denne gangen: «Pitch B» på Springbrett Vinter"]
    assert not_this_time["To"] == left_email
    choices = mail["Choose whom to meet at Springbrett Vinter"]
    assert choices["To"] == investor.email
    assert f"/events/{event.id}/meetings" in text_and_html(choices)[1]

    received.clear()
    row = _db.session.get(EventCandidate, a.id)
    assert row.invitation is InvitationStatus.INVITED
    row.invited_at = reply_by - timedelta(days=4)
    _db.session.commit()
    now = (reload(event).reply_by - timedelta(hours=24)).isoformat()
    runner = app.test_cli_runner()
    assert "Reminders sent: 1." in runner.invoke(args=["events", "remind", "--now", now]).output
    assert "Reminders sent: 0." in runner.invoke(args=["events", "remind", "--now", now]).output
    (reminder,) = _by_subject(app, received).values()
    assert reminder["Subject"] == "Reminder: answer the invitation to pitch at Springbrett Vinter"
    assert reminder["To"] == invited_email
    text, html = text_and_html(reminder)
    assert "You have not yet answered the invitation to pitch “Pitch A”" in text
    assert f"/events/{event.id}" in html
    assert _db.session.get(Event, event.id).reply_by is not None
