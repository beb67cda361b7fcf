"""The close's e-mails and the closing-date reminder through a real SMTP
server on loopback: subject, language, both parts and the link."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from matchmaking.dates import in_oslo
from matchmaking.extensions import db as _db
from matchmaking.extensions import utcnow
from matchmaking.mail import wait_for_deliveries
from matchmaking.rounds import services
from tests.conftest import make_app
from tests.smtp import smtp_server, text_and_html


@pytest.fixture
def smtp(database_url: str, db: Any) -> Iterator[tuple[Flask, list[Any]]]:
    with smtp_server() as (port, received):
        app = make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield app, received


@pytest.fixture
def people(make_user: Any, make_proposal: Any) -> dict[str, Any]:
    organiser = make_user("organiser", locale="en")
    founder = make_user("entrepreneur", locale="nb")
    invests = make_user("investor", approved=True, locale="en", name="Ida Invest")
    stays = make_user("investor", approved=True, locale="nb")
    proposal = make_proposal(founder, status="in_dialogue", title="Kveite", min_ticket=100_000)
    return {
        "organiser": organiser,
        "founder": founder,
        "invests": invests,
        "stays": stays,
        "proposal": proposal,
    }


def _open_with_commitments(app: Flask, p: dict[str, Any], **terms: Any) -> None:
    with app.test_request_context():
        services.start_round(p["proposal"], p["organiser"], **terms)
        services.commit(p["proposal"], p["invests"], amount=300_000)
        services.commit(p["proposal"], p["stays"], amount=200_000)
        _db.session.commit()


def _login(client: Any, user: Any) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True


def _by_to(app: Flask, received: list[Any]) -> dict[str, Any]:
    wait_for_deliveries(app=app)
    return {m["To"]: m for m in received}


def test_funded_congratulates_thanks_and_tells_the_rest(
    smtp: tuple[Flask, list[Any]], people: dict[str, Any]
) -> None:
    app, received = smtp
    _open_with_commitments(app, people)
    received.clear()
    client = app.test_client()
    _login(client, people["organiser"])
    proposal = people["proposal"]
    yesterday = in_oslo(utcnow()).date() - timedelta(days=1)
    response = client.post(
        f"/proposals/{proposal.id}/round/close",
        data={
            "version": "1",
            "outcome": "funded",
            "raised": "600000",
            "funded_on": yesterday.isoformat(),
            "instrument": "equity",
            "network-0-investor": str(people["invests"].id),
            "network-0-amount": "300000",
            "network-1-investor": str(people["stays"].id),
            "network-1-amount": "",
            "confirm": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    to = _by_to(app, received)
    assert sorted(to) == sorted(
        [people["founder"].email, people["invests"].email, people["stays"].email]
    )
    founder = to[people["founder"].email]
    assert founder["Subject"] == "Gratulerer: «Kveite» er finansiert"
    text, html = text_and_html(founder)
    assert (
        "Gratulerer! Runden for «Kveite» er registrert som finansiert: 600\u00a0000\u00a0kr" in text
    )
    assert f"/proposals/{proposal.id}/round" in html
    thanked = to[people["invests"].email]
    assert thanked["Subject"] == "Thank you for investing in “Kveite”"
    text, html = text_and_html(thanked)
    assert "Thank you for investing 300\u00a0000\u00a0kr in “Kveite”" in text
    assert f"/proposals/{proposal.id}/round" in html
    told = to[people["stays"].email]
    assert told["Subject"] == "Runden for «Kveite» er avsluttet"
    text, html = text_and_html(told)
    assert "der du hadde gitt tilsagn om 200\u00a0000\u00a0kr" in text
    assert "Tilsagnet ditt kan ikke lenger endres." in html


def test_not_funded_tells_the_founder_and_the_committed_with_the_reason(
    smtp: tuple[Flask, list[Any]], people: dict[str, Any]
) -> None:
    app, received = smtp
    _open_with_commitments(app, people)
    received.clear()
    client = app.test_client()
    _login(client, people["founder"])
    proposal = people["proposal"]
    response = client.post(
        f"/proposals/{proposal.id}/round/close",
        data={
            "version": "1",
            "outcome": "not_funded",
            "reason": "terms_not_agreed",
            "words": "Verdsettelsen var for høy.",
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    to = _by_to(app, received)
    assert sorted(to) == sorted(
        [people["founder"].email, people["invests"].email, people["stays"].email]
    )
    founder = to[people["founder"].email]
    assert founder["Subject"] == "Runden for «Kveite» ble avsluttet uten finansiering"
    text, html = text_and_html(founder)
    assert "Grunn: Partene ble ikke enige om vilkårene." in text
    assert "Verdsettelsen var for høy." in html
    assert "en ny runde kan åpnes senere" in text
    english = to[people["invests"].email]
    assert english["Subject"] == "The round for “Kveite” closed without funding"
    text, html = text_and_html(english)
    assert "Reason: The terms could not be agreed." in text
    assert f"/proposals/{proposal.id}/round" in html


def test_the_closing_date_reminder(smtp: tuple[Flask, list[Any]], people: dict[str, Any]) -> None:
    app, received = smtp
    _open_with_commitments(app, people, closes_on=date(2027, 3, 10))
    received.clear()
    runner = app.test_cli_runner()
    assert (
        "Rounds reminded: 1."
        in runner.invoke(args=["rounds", "remind", "--now", "2027-03-05T12:00"]).output
    )
    assert (
        "Rounds reminded: 0."
        in runner.invoke(args=["rounds", "remind", "--now", "2027-03-05T12:00"]).output
    )
    to = _by_to(app, received)
    assert len(received) == 4  # founder, two investors, the organiser
    organiser = to[people["organiser"].email]
    assert organiser["Subject"] == "The round for “Kveite” closes soon"
    text, html = text_and_html(organiser)
    assert "The round for “Kveite” closes on Wednesday 10 March 2027." in text
    assert f"/proposals/{people['proposal'].id}/round" in html
    founder = to[people["founder"].email]
    assert founder["Subject"] == "Runden for «Kveite» avsluttes snart"
