"""The follow-up reports' e-mails through a real SMTP server on loopback:
subject, language, both parts and the link."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from matchmaking.mail import wait_for_deliveries
from tests.conftest import make_app
from tests.results.factories import funded
from tests.smtp import smtp_server, text_and_html


@pytest.fixture
def smtp(database_url: str, db: Any) -> Iterator[tuple[Flask, list[Any]]]:
    with smtp_server() as (port, received):
        app = make_app(database_url, MAIL_BACKEND="smtp", MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
        yield app, received


def test_the_request_run_twice_sends_once_and_the_report_tells_the_organisers(
    smtp: tuple[Flask, list[Any]], make_user: Any, make_proposal: Any
) -> None:
    app, received = smtp
    organiser = make_user("organiser", locale="nb")
    founder = make_user("entrepreneur", locale="en", name="Kari Gründer")
    proposal = funded(make_proposal, founder, funded_on=date(2026, 3, 10), title="Tare")
    runner = app.test_cli_runner()
    for _ in range(2):
        result = runner.invoke(args=["results", "request", "--now", "2026-09-11T07:00"])
        assert result.exit_code == 0, result.output
    wait_for_deliveries(app=app)
    (request,) = received
    assert request["To"] == founder.email
    assert request["Subject"] == "Follow-up report for “Tare”: how is Kari Gründer AS doing?"
    text, html = text_and_html(request)
    assert "It is 6 months since “Tare” was funded through BAN Ofoten" in text
    assert f"/proposals/{proposal.id}/results/new" in text
    assert f'/proposals/{proposal.id}/results/new">' in html

    received.clear()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = founder.get_id()
        session["_fresh"] = True
    response = client.post(
        f"/proposals/{proposal.id}/results/new",
        data={
            "as_of": (date.today() - timedelta(days=1)).isoformat(),
            "employees": "4.5",
            "revenue_12m": "2 000 000",
            "capital_since": "0",
            "words": "",
        },
    )
    assert response.status_code == 302
    wait_for_deliveries(app=app)
    (notice,) = received
    assert notice["To"] == organiser.email
    assert notice["Subject"] == "Ny resultatrapport fra «Tare»"
    text, html = text_and_html(notice)
    assert "Kari Gründer har sendt inn en resultatrapport for «Tare»" in text
    assert "Ansatte (årsverk): 4,5" in text
    assert f"/proposals/{proposal.id}/results" in html
