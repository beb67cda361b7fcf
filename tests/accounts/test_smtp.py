"""The confirmation e-mail through a real SMTP server on loopback."""

from __future__ import annotations

import re
from typing import Any

from matchmaking.mail import wait_for_deliveries
from tests.conftest import make_app
from tests.smtp import smtp_server, text_and_html


def test_confirmation_mail_is_sent_over_smtp_and_its_link_works(database_url: str, db: Any) -> None:
    with smtp_server() as (port, received):
        app = make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        client = app.test_client()
        response = client.post(
            "/auth/register",
            data={
                "name": "Per Hansen",
                "email": "per@example.no",
                "password": "midnight-sun-ballangen",
                "password_again": "midnight-sun-ballangen",
                "role": "investor",
                "locale": "en",
            },
        )
        wait_for_deliveries(app=app)  # sent after the response, on the app's mail thread
    assert response.status_code == 200
    (message,) = received
    assert message["To"] == "per@example.no"
    assert message["Subject"] == "Confirm your e-mail address"
    text, html = text_and_html(message)
    assert "Hello Per Hansen" in text
    assert "<a href=" in html
    link = re.search(r"https?://\S+/auth/confirm/\S+", text).group(0)
    path = link.split("localhost", 1)[1]
    response = client.get(path, follow_redirects=True)
    assert "is confirmed" in response.get_data(as_text=True)
    response = client.post(
        "/auth/login", data={"email": "per@example.no", "password": "midnight-sun-ballangen"}
    )
    assert response.status_code == 302


def test_development_mail_is_printed_not_sent(database_url: str, db: Any, capsys: Any) -> None:
    app = make_app(database_url, MAIL_BACKEND="log", MAIL_SERVER="127.0.0.1", MAIL_PORT=1)
    response = app.test_client().post(
        "/auth/forgot", data={"email": "nobody-here@example.no"}, follow_redirects=True
    )
    assert response.status_code == 200
    client = app.test_client()
    client.post(
        "/auth/register",
        data={
            "name": "Dev Person",
            "email": "dev@example.no",
            "password": "midnight-sun-ballangen",
            "password_again": "midnight-sun-ballangen",
            "role": "entrepreneur",
            "locale": "nb",
        },
    )
    printed = capsys.readouterr().out
    assert "dev@example.no" in printed
    assert "/auth/confirm/" in printed
