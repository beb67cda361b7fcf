"""The whole introduction flow, with the e-mails captured by a real SMTP server on loopback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from matchmaking.extensions import db as _db
from matchmaking.introductions.models import Introduction, IntroductionStatus
from matchmaking.mail import wait_for_deliveries
from matchmaking.proposals.models import ProposalEvent, Status
from tests.conftest import make_app, reload
from tests.introductions.conftest import login
from tests.smtp import smtp_server, text_and_html

MESSAGE = "Jeg har investert i havbruk i tjue år og vil gjerne høre mer om tareforedlingen."


def _smtp_app(database_url: str, port: int) -> Any:
    return make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)


def test_request_accept_both_get_the_others_contact_details(
    database_url: str,
    db: Any,
    make_investor: Callable[..., Any],
    founder_proposal: Callable[..., Any],
) -> None:
    proposal = founder_proposal(status="pitched")
    founder = proposal.company.owner
    investor = make_investor(email="kari@ofoten-invest.no", locale="en")
    with smtp_server() as (port, received):
        app = _smtp_app(database_url, port)
        investor_client, founder_client = app.test_client(), app.test_client()
        login(investor_client, investor)
        login(founder_client, founder)

        # The investor asks.
        form = investor_client.get(f"/matches/{proposal.id}/introduction")
        assert form.status_code == 200
        response = investor_client.post(
            f"/matches/{proposal.id}/introduction", data={"message": MESSAGE}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/introductions/"
        wait_for_deliveries(app=app)  # sent after the response, on the app's mail thread
        (to_founder,) = received
        assert to_founder["To"] == founder.email
        assert "Tareforedling i Efjorden" in to_founder["Subject"]
        assert "En investor" in to_founder["Subject"]  # the founder's language: Norwegian
        text, html = text_and_html(to_founder)
        for part in (text, html):
            assert "Kari Nordmann" in part
            assert "Ofoten Invest AS" in part
            assert "tareforedlingen" in part
            assert "kari@ofoten-invest.no" not in part
            assert "/introductions/" in part

        # The founder sees the request, without the investor's e-mail address.
        page = founder_client.get("/introductions/").get_data(as_text=True)
        assert "Kari Nordmann" in page
        assert "tareforedlingen" in page
        assert "kari@ofoten-invest.no" not in page
        # The menu counts one request awaiting an answer.
        assert "venter på svar" in page

        introduction = _db.session.scalar(
            select(Introduction).where(Introduction.proposal_id == proposal.id)
        )
        response = founder_client.post(
            f"/introductions/{introduction.id}/accept",
            data={f"intro-{introduction.id}-answer": "Velkommen! Ring meg gjerne."},
        )
        assert response.status_code == 302
        wait_for_deliveries(app=app)

    assert len(received) == 3
    by_recipient = {m["To"]: m for m in received[1:]}
    to_investor = by_recipient["kari@ofoten-invest.no"]
    assert to_investor["Subject"] == "Introduction accepted: “Tareforedling i Efjorden”"
    text, html = text_and_html(to_investor)
    for part in (text, html):
        assert "Solveig Sjøberg" in part
        assert "kontakt@sjoberg-havbruk.no" in part
        assert "+47 976 54 321" in part
        assert "Ring meg gjerne" in part
    to_founder = by_recipient[founder.email]
    assert "Kontaktinformasjon" in to_founder["Subject"]
    text, html = text_and_html(to_founder)
    for part in (text, html):
        assert "Kari Nordmann" in part
        assert "Ofoten Invest AS" in part
        assert "kari@ofoten-invest.no" in part

    assert reload(introduction).status is IntroductionStatus.ACCEPTED
    assert reload(proposal).status is Status.IN_DIALOGUE
    event = _db.session.scalars(
        select(ProposalEvent)
        .where(ProposalEvent.proposal_id == proposal.id)
        .order_by(ProposalEvent.id.desc())
    ).first()
    assert event.from_status is Status.PITCHED
    assert event.to_status is Status.IN_DIALOGUE
    assert event.actor_id == founder.id
    # The founder's timeline shows the move.
    app = make_app(database_url)
    client = app.test_client()
    login(client, founder)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "I dialog med investorer" in page
    assert "Kari Nordmann" in page  # the timeline comment, after acceptance


def test_decline_tells_the_investor_politely_without_contact_details(
    database_url: str,
    db: Any,
    make_investor: Callable[..., Any],
    founder_proposal: Callable[..., Any],
) -> None:
    proposal = founder_proposal(status="accepted")
    founder = proposal.company.owner
    investor = make_investor(email="per@nordinvest.no", locale="nb")
    with smtp_server() as (port, received):
        app = _smtp_app(database_url, port)
        investor_client, founder_client = app.test_client(), app.test_client()
        login(investor_client, investor)
        login(founder_client, founder)
        investor_client.post(f"/matches/{proposal.id}/introduction", data={"message": MESSAGE})
        introduction = _db.session.scalar(
            select(Introduction).where(Introduction.proposal_id == proposal.id)
        )
        response = founder_client.post(
            f"/introductions/{introduction.id}/decline",
            data={f"intro-{introduction.id}-answer": "Vi har nok kapital for nå."},
        )
        assert response.status_code == 302
        # Answering twice is refused.
        again = founder_client.post(
            f"/introductions/{introduction.id}/accept", follow_redirects=True
        )
        assert "allerede besvart" in again.get_data(as_text=True)
        wait_for_deliveries(app=app)

    assert len(received) == 2
    declined = received[1]
    assert declined["To"] == "per@nordinvest.no"
    text, html = text_and_html(declined)
    for part in (text, html):
        assert "Takk for interessen" in part
        assert "Vi har nok kapital for nå." in part
        assert "kontakt@sjoberg-havbruk.no" not in part
        assert "+47 976 54 321" not in part
        assert founder.email not in part
    assert reload(introduction).status is IntroductionStatus.DECLINED
    assert reload(proposal).status is Status.ACCEPTED
    # The investor sees the answer on their page.
    app = make_app(database_url)
    client = app.test_client()
    login(client, investor)
    page = client.get("/introductions/").get_data(as_text=True)
    assert "Avslått" in page
    assert "Vi har nok kapital for nå." in page
