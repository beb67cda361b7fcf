"""Organisers see the e-mails that could not be sent, and send them again or dismiss them."""

from __future__ import annotations

from typing import Any

from matchmaking.mail.failures import FailedEmail, Resolution
from tests.conftest import reload
from tests.mail_factories import failed_email

ICS = ("springbrett-1.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")


def test_organisers_see_how_many_wait_in_the_menu_and_what_went_wrong(
    client: Any, login_as: Any, make_user: Any
) -> None:
    organiser = login_as("organiser", locale="en")
    assert "Unsent e-mails" not in client.get("/").get_data(as_text=True)
    kari = make_user(email="kari@example.no", name="Kari Nordmann")
    failed_email(kari, subject="Your agenda for Springbrett Narvik")
    failed_email(make_user(), subject="Contact details")
    home = client.get("/").get_data(as_text=True)
    assert (
        'href="/admin/mail">Unsent e-mails <span class="badge bg-warning text-dark">2</span>'
        in (home)
    )
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "kari@example.no" in page
    assert "Your agenda for Springbrett Narvik" in page
    assert "The mail server could not be reached." in page
    assert "Attempts: 4." in page
    assert "Hello Kari Nordmann" not in page  # the message itself is not shown
    assert organiser is not None


def test_the_page_and_the_menu_in_norwegian(client: Any, login_as: Any, make_user: Any) -> None:
    login_as("organiser", locale="nb")
    failed_email(make_user())
    page = client.get("/admin/mail").get_data(as_text=True)
    assert "Usendte e-poster" in page
    assert "Vi fikk ikke kontakt med e-posttjeneren." in page
    assert "Send på nytt" in page


def test_nobody_else_sees_the_notice(client: Any, login_as: Any, make_user: Any) -> None:
    failed_email(make_user())
    login_as("entrepreneur")
    assert "Unsent e-mails" not in client.get("/proposals/").get_data(as_text=True)
    assert "Usendte e-poster" not in client.get("/proposals/").get_data(as_text=True)


def test_send_again_sends_the_same_message_and_resolves_it(
    client: Any, login_as: Any, make_user: Any, outbox: list[Any]
) -> None:
    organiser = login_as("organiser", locale="en")
    failed = failed_email(
        make_user(email="per@example.no"), subject="Your agenda", attachments=(ICS,)
    )
    response = client.post(f"/admin/mail/{failed.id}/send", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "The e-mail to per@example.no is sent." in page
    assert "Every e-mail has been delivered." in page
    (sent,) = outbox
    assert sent.recipients == ["per@example.no"]
    assert sent.subject == "Your agenda"
    assert "Hello" in sent.body
    assert "<p>Hello" in sent.html
    (attachment,) = sent.attachments
    assert (attachment.filename, attachment.content_type, attachment.data) == ICS
    done = reload(failed)
    assert done.resolution is Resolution.SENT
    assert done.resolved_by_id == organiser.id
    assert done.resolved_at is not None
    assert (done.text_body, done.html_body, done.attachments) == ("", None, [])


def test_a_second_click_sends_nothing_more(
    client: Any, login_as: Any, make_user: Any, outbox: list[Any]
) -> None:
    login_as("organiser", locale="en")
    failed = failed_email(make_user())
    client.post(f"/admin/mail/{failed.id}/send")
    again = client.post(f"/admin/mail/{failed.id}/send", follow_redirects=True)
    assert "This e-mail was already sent again or dismissed." in again.get_data(as_text=True)
    dismissed = client.post(f"/admin/mail/{failed.id}/dismiss", follow_redirects=True)
    assert "This e-mail was already sent again or dismissed." in dismissed.get_data(as_text=True)
    assert len(outbox) == 1
    assert reload(failed).resolution is Resolution.SENT


def test_dismiss_resolves_without_sending(
    client: Any, login_as: Any, make_user: Any, outbox: list[Any], db: Any
) -> None:
    organiser = login_as("organiser", locale="en")
    failed = failed_email(make_user(email="ola@example.no"))
    response = client.post(f"/admin/mail/{failed.id}/dismiss", follow_redirects=True)
    assert "The e-mail to ola@example.no is dismissed; it will not be sent." in response.get_data(
        as_text=True
    )
    assert outbox == []
    done = db.session.get(FailedEmail, failed.id)
    assert done.resolution is Resolution.DISMISSED
    assert done.resolved_by_id == organiser.id
    assert done.text_body == ""
    assert "Unsent e-mails" not in client.get("/").get_data(as_text=True)
