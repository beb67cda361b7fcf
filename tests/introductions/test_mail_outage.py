"""Issue 11: the mail server stops between the two e-mails of an accepted introduction.

Accepting an introduction commits, then sends two e-mails: the investor
gets the founder's contact details, the founder the investor's. Here a real
SMTP server on loopback takes the first and stops listening before it
answers, so the second cannot be sent. What the database says and what
people received must then agree: the introduction is accepted, the investor
has their e-mail, and the founder's is not lost but recorded (after its
retries) for the organisers, who send it again once the server is back.
"""

from __future__ import annotations

import email
import email.policy
from collections.abc import Callable
from typing import Any

from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from matchmaking.accounts.models import User
from matchmaking.extensions import db as _db
from matchmaking.introductions import services
from matchmaking.introductions.models import Introduction, IntroductionStatus
from matchmaking.mail import wait_for_deliveries
from matchmaking.mail.backend import FailureReason
from matchmaking.mail.failures import FailedEmail, Resolution
from matchmaking.proposals.models import Status
from tests.conftest import make_app, reload
from tests.introductions.conftest import login
from tests.smtp import _free_port, smtp_server, text_and_html


class _OneThenDown:
    """Takes the first message, and stops listening before it says so: the
    next connection is refused, as by a mail server that went down."""

    def __init__(self) -> None:
        self.controller: Controller | None = None
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        assert self.controller is not None
        self.controller.server.close()  # no new connections from here on
        return "250 Message accepted for delivery"


def _introduction(investor: User, proposal: Any) -> Introduction:
    introduction = Introduction(
        investor_id=investor.id, proposal_id=proposal.id, message="Jeg vil gjerne høre mer."
    )
    _db.session.add(introduction)
    _db.session.commit()
    return introduction


def _unresolved() -> list[FailedEmail]:
    _db.session.expire_all()
    query = select(FailedEmail).where(FailedEmail.resolved_at.is_(None))
    return list(_db.session.scalars(query))


def test_the_mail_server_stops_between_the_two_emails_and_nothing_is_lost(
    database_url: str,
    db: Any,
    make_user: Callable[..., User],
    make_investor: Callable[..., User],
    founder_proposal: Callable[..., Any],
) -> None:
    proposal = founder_proposal(status="pitched")
    founder = proposal.company.owner
    investor = make_investor(email="kari@ofoten-invest.no", locale="en")
    introduction = _introduction(investor, proposal)
    organiser = make_user("organiser", locale="en")
    handler = _OneThenDown()
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    handler.controller = controller
    controller.start()
    app = make_app(
        database_url,
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
        MAIL_RETRIES=2,
        MAIL_RETRY_DELAYS=(0.05, 0.1),
    )
    try:
        founder_client = app.test_client()
        login(founder_client, founder)
        response = founder_client.post(
            f"/introductions/{introduction.id}/accept",
            data={f"intro-{introduction.id}-answer": "Velkommen! Ring meg gjerne."},
        )
        assert response.status_code == 302
        assert wait_for_deliveries(10, app=app)  # sent, retried, recorded
    finally:
        controller.stop()

    # The database: the introduction is accepted, the proposal in dialogue.
    assert reload(introduction).status is IntroductionStatus.ACCEPTED
    assert reload(proposal).status is Status.IN_DIALOGUE
    # The first person received theirs, with the founder's contact details.
    (to_investor,) = handler.messages
    assert to_investor["To"] == investor.email
    text, html = text_and_html(to_investor)
    for part in (text, html):
        assert "kontakt@sjoberg-havbruk.no" in part
        assert "+47 976 54 321" in part
    # The second is not lost: recorded after its retries, for the organisers.
    (failed,) = _unresolved()
    assert failed.recipient == founder.email
    assert failed.template == "introduction_accepted_founder"
    assert failed.locale == "nb"
    assert "Kontaktinformasjon" in failed.subject
    assert failed.reason is FailureReason.UNREACHABLE
    assert failed.attempts == 3  # the first try and two retries
    assert "kari@ofoten-invest.no" in failed.text_body

    # Organisers see it in the menu and on the page, in plain words.
    organiser_client = app.test_client()
    login(organiser_client, organiser)
    home = organiser_client.get("/").get_data(as_text=True)
    assert "Unsent e-mails" in home
    assert 'href="/admin/mail"' in home
    page = organiser_client.get("/admin/mail").get_data(as_text=True)
    assert founder.email in page
    assert "Kontaktinformasjon" in page
    assert "The mail server could not be reached." in page

    # "Send again" while the server is still down: said so, still waiting.
    response = organiser_client.post(f"/admin/mail/{failed.id}/send", follow_redirects=True)
    assert "could not be sent this time either" in response.get_data(as_text=True)
    (still,) = _unresolved()
    assert still.attempts == 4

    # The server is back: "Send again" delivers it, and the record is resolved.
    with smtp_server(port) as (_port, received):
        response = organiser_client.post(f"/admin/mail/{failed.id}/send", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert f"The e-mail to {founder.email} is sent." in page
    assert "Every e-mail has been delivered." in page
    assert "Unsent e-mails</a>" not in page  # the menu's notice is gone
    assert _unresolved() == []
    done = _db.session.get(FailedEmail, failed.id)
    assert done.resolution is Resolution.SENT
    assert done.resolved_by_id == organiser.id
    assert done.text_body == ""  # the contact details are kept no longer than needed

    # Now the second person has theirs, with the investor's contact details.
    (to_founder,) = received
    assert to_founder["To"] == founder.email
    assert "Kontaktinformasjon" in to_founder["Subject"]
    text, html = text_and_html(to_founder)
    for part in (text, html):
        assert "Kari Nordmann" in part
        assert "Ofoten Invest AS" in part
        assert "kari@ofoten-invest.no" in part
    # Both sides of the accepted introduction have the other's details.
    assert {to_investor["To"], to_founder["To"]} == {investor.email, founder.email}


def test_an_acceptance_that_is_rolled_back_sends_nothing(
    database_url: str,
    db: Any,
    make_investor: Callable[..., User],
    founder_proposal: Callable[..., Any],
) -> None:
    proposal = founder_proposal(status="pitched")
    founder = proposal.company.owner
    introduction = _introduction(make_investor(), proposal)
    with smtp_server() as (port, received):
        app = make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        with app.test_request_context():
            services.accept(  # both e-mails queued
                _db.session.get(Introduction, introduction.id),
                _db.session.get(User, founder.id),
                "Velkommen!",
            )
            _db.session.rollback()
            _db.session.commit()
        assert wait_for_deliveries(10, app=app)
    assert received == []
    assert reload(introduction).status is IntroductionStatus.REQUESTED
    assert _db.session.scalar(select(func.count()).select_from(FailedEmail)) == 0
