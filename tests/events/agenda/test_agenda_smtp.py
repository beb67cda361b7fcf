"""Agenda e-mails through a real SMTP server on loopback, with the .ics attached."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from typing import Any

import icalendar
from aiosmtpd.controller import Controller

from matchmaking.events.models import Event
from tests.conftest import make_app, reload
from tests.events.agenda_factories import Scene, scene
from tests.smtp import _free_port, smtp_server, text_and_html

WINTER = datetime(2030, 1, 15, 16, 0, tzinfo=UTC)


def _send(app: Any, s: Scene) -> Any:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = s.organiser.get_id()
        session["_fresh"] = True
    return client.post(
        f"/events/{s.event.id}/agendas/send",
        data={"version": str(reload(s.event).version), "confirm": "1"},
        follow_redirects=True,
    )


def test_agendas_go_out_over_smtp_with_the_calendar_file(
    database_url: str, db: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    s = scene(
        make_user,
        make_proposal,
        organiser=make_user("organiser", locale="en"),
        starts_at=WINTER,
    )
    with smtp_server() as (port, received):
        app = make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        response = _send(app, s)
    assert "Agendas sent to 5 participants." in response.text
    ida = next(m for m in received if m["To"] == s.ida.email)
    assert ida["Subject"] == "Your agenda for Springbrett Narvik"
    text, html = text_and_html(ida)
    assert "Your 1:1 meetings" in text
    assert "Sild" in html
    (attachment,) = list(ida.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == f"springbrett-{s.event.id}.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    starts = sorted(e.decoded("DTSTART") for e in calendar.walk("VEVENT"))
    assert [(t.hour, t.minute) for t in starts] == [(17, 0), (19, 0), (19, 20)]
    assert all(str(t.tzinfo) == "Europe/Oslo" for t in starts)


class _Refusing:
    """Takes every message except those to one address."""

    def __init__(self, refuse: str) -> None:
        self.refuse = refuse
        self.messages: list[Any] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address == self.refuse:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


def test_a_refused_recipient_is_named_and_the_others_get_theirs(
    database_url: str, db: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    s = scene(make_user, make_proposal, organiser=make_user("organiser", locale="en"))
    handler = _Refusing(s.per.email)
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app = make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        response = _send(app, s)
    finally:
        controller.stop()
    assert "Agendas sent to 4 participants." in response.text
    assert "The mail server did not take the agenda for: Per Investor." in response.text
    assert len(handler.messages) == 4
    assert reload(s.event).agendas_sent_at is not None


def test_no_mail_server_sends_nothing_and_says_so(
    database_url: str, db: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    s = scene(make_user, make_proposal, organiser=make_user("organiser", locale="en"))
    app = make_app(
        database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port()
    )
    response = _send(app, s)
    assert response.status_code == 200
    assert "The mail server did not accept the agendas. Nothing was sent" in response.text
    event = reload(s.event)
    assert isinstance(event, Event)
    assert event.agendas_sent_at is None
    assert event.version == 1
