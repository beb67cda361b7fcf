"""The invitations' reply deadline, its reminder command, and "not this time".

Publishing the line-up sets ``Event.reply_by`` (the publish form's field,
7 days by default, never after the session); the invitation e-mail and the
founder's panel show it; ``flask --app wsgi events remind`` reminds the
founders who have not answered once, 48 hours before it. Candidates the
published line-up leaves out are told once, and their session page says so.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask.testing import FlaskClient

from matchmaking.dates import when
from matchmaking.events.lineup.reminders import is_due
from matchmaking.events.models import Event, EventCandidate, InvitationStatus
from matchmaking.extensions import db as _db
from matchmaking.extensions import utcnow
from tests.events.lineup.test_lineup_invitations import _login, _post, _row, _version, setup

__all__ = ["setup"]  # the fixture, shared with the invitation tests

OSLO = ZoneInfo("Europe/Oslo")


def _publish(client: FlaskClient, eid: int, reply_by: str | None) -> Any:
    data = {"version": _version(eid)}
    if reply_by is not None:
        data["reply_by"] = reply_by
    return client.post(f"/events/{eid}/lineup/publish", data=data, follow_redirects=True)


def _local(moment: datetime) -> str:
    """As the form's field takes it: Oslo wall-clock time."""
    return moment.astimezone(OSLO).strftime("%Y-%m-%dT%H:%M")


def test_the_publish_form_offers_seven_days_and_the_deadline_reaches_the_founders(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    page = client.get(f"/events/{eid}/lineup").text
    assert "Founders answer by" in page
    offered = (utcnow() + timedelta(days=7)).astimezone(OSLO).strftime("%Y-%m-%dT%H:")
    assert f'value="{offered}' in page.split('name="reply_by"')[1].split(">")[0]

    chosen = _row(Event, eid).starts_at - timedelta(days=3, hours=2)
    response = _publish(client, eid, _local(chosen))
    assert "Founders invited by e-mail: 3." in response.text
    assert _row(Event, eid).reply_by == chosen.replace(second=0, microsecond=0)
    invitations = {m.recipients[0]: m for m in outbox if "pitch" in m.subject.lower()}
    # The deadline in each founder's language: Norwegian for founder 0, English for 1.
    nb = invitations[setup["emails"][0]].body
    en = invitations[setup["emails"][1]].body
    assert f"Svar innen {when(chosen, 'nb')} (norsk tid)." in nb
    assert f"Please answer by {when(chosen, 'en')} (Norwegian time)." in en

    _login(client, setup["founders"][1])
    page = client.get(f"/events/{eid}").text
    assert f"Please answer by {when(chosen, 'en')}." in page
    _login(client, setup["founders"][0])
    page = client.get(f"/events/{eid}").text
    assert f"Svar innen {when(chosen, 'nb')}." in page
    assert _row(EventCandidate, ids[0]).invitation is InvitationStatus.INVITED


def test_publishing_with_the_field_empty_takes_seven_days(
    client: FlaskClient, setup: dict[str, Any]
) -> None:
    eid = setup["event"]
    _post(client, eid, "run")
    before = utcnow()
    _publish(client, eid, "")
    reply_by = _row(Event, eid).reply_by
    assert before + timedelta(days=7) - timedelta(minutes=1) <= reply_by
    assert reply_by <= utcnow() + timedelta(days=7)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("next friday", "Enter a date and time, e.g. 2027-01-08 17:00."),
        ("2020-01-08T17:00", "Choose a reply deadline later than now."),
        ("AFTER", "The reply deadline must be before the session starts"),
    ],
)
def test_a_bad_deadline_is_refused_beside_the_field_and_kept(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any], typed: str, message: str
) -> None:
    eid = setup["event"]
    _post(client, eid, "run")
    if typed == "AFTER":
        typed = _local(_row(Event, eid).starts_at + timedelta(days=1))
    response = _publish(client, eid, typed)
    assert response.status_code == 200
    page = response.text
    field = page.split('name="reply_by"')[1].split("</div>", 2)
    assert f'value="{typed}"' in page  # what was typed is kept
    assert 'aria-invalid="true"' in page.split('id="publish-form"')[1].split("</form>")[0]
    assert message in "".join(field)
    assert 'id="reply_by-error"' in page
    event = _row(Event, eid)
    assert event.lineup_published_at is None
    assert event.reply_by is None
    assert outbox == []


def test_the_reminder_rule() -> None:
    now = datetime(2027, 1, 5, 12, 0, tzinfo=UTC)
    starts = now + timedelta(days=5)
    invited = now - timedelta(days=3)

    def due(**changes: Any) -> bool:
        values: dict[str, Any] = {
            "reply_by": now + timedelta(hours=30),
            "starts_at": starts,
            "invited_at": invited,
            "reminded_at": None,
            "now": now,
        }
        values.update(changes)
        return is_due(**values)

    assert due()
    assert due(reply_by=now + timedelta(hours=48))
    assert not due(reply_by=now + timedelta(hours=48, minutes=1))  # not yet
    assert not due(reply_by=now)  # passed
    assert not due(reminded_at=now - timedelta(hours=1))  # once
    assert not due(invited_at=now - timedelta(hours=2))  # the invitation just arrived
    assert not due(reply_by=None)
    assert not due(starts_at=now)


def _published_with_deadline(client: FlaskClient, setup: dict[str, Any]) -> tuple[int, datetime]:
    """Publish with a deadline 6 days before the session; the invitations were sent
    3 days before the reminder runs (the invited_at moved back)."""
    eid = setup["event"]
    _post(client, eid, "run")
    reply_by = _row(Event, eid).starts_at - timedelta(days=6)
    _publish(client, eid, _local(reply_by))
    for ident in setup["ids"]:
        c = _row(EventCandidate, ident)
        if c.invited_at is not None:
            c.invited_at = reply_by - timedelta(days=4)
    _db.session.commit()
    return eid, _row(Event, eid).reply_by


def test_remind_runs_twice_and_sends_once_in_each_language(
    app: Any, client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid, reply_by = _published_with_deadline(client, setup)
    ids = setup["ids"]
    _login(client, setup["founders"][1])
    client.post(f"/events/{eid}/invitation/{ids[1]}/accept")  # answered: no reminder
    outbox.clear()
    runner = app.test_cli_runner()
    early = (reply_by - timedelta(hours=60)).isoformat()
    result = runner.invoke(args=["events", "remind", "--now", early])
    assert result.exit_code == 0, result.output
    assert "Reminders sent: 0." in result.output
    assert outbox == []

    now = (reply_by - timedelta(hours=40)).isoformat()
    result = runner.invoke(args=["events", "remind", "--now", now])
    assert result.exit_code == 0, result.output
    assert "Reminders sent: 2." in result.output
    to = {m.recipients[0]: m for m in outbox}
    assert sorted(to) == sorted([setup["emails"][0], setup["emails"][2]])
    nb, en = to[setup["emails"][0]], to[setup["emails"][2]]
    assert nb.subject == "Påminnelse: svar på invitasjonen til å pitche på Springbrett Vinter"
    assert f"Svar innen {when(reply_by, 'nb')}" in nb.body
    assert en.subject == "Reminder: answer the invitation to pitch at Springbrett Vinter"
    assert f"Please answer by {when(reply_by, 'en')}" in en.body
    assert "“Pitch 2”" in en.body
    assert _row(EventCandidate, ids[0]).reminded_at is not None
    assert _row(EventCandidate, ids[1]).reminded_at is None

    result = runner.invoke(args=["events", "remind", "--now", now])
    assert "Reminders sent: 0." in result.output
    later = (reply_by - timedelta(hours=2)).isoformat()
    result = runner.invoke(args=["events", "remind", "--now", later])
    assert "Reminders sent: 0." in result.output
    assert len(outbox) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--now", "tomorrow"], "--now must be a date and time like 2027-01-05T12:00"),
        (["--now", "2027-13-05T12:00"], "--now must be a date and time"),
        (["--soon"], "No such option"),
    ],
)
def test_remind_bad_input_is_an_error_with_status_2(
    app: Any, db: Any, args: list[str], message: str
) -> None:
    result = app.test_cli_runner().invoke(args=["events", "remind", *args])
    assert result.exit_code == 2
    assert "error: " in result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_remind_takes_the_documented_time_format(app: Any, db: Any) -> None:
    result = app.test_cli_runner().invoke(args=["events", "remind", "--now", "2027-01-05T12:00"])
    assert result.exit_code == 0, result.output
    assert "Reminders sent: 0." in result.output


def test_the_founders_left_out_are_told_once_and_their_page_says_so(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid, ids = setup["event"], setup["ids"]
    _post(client, eid, "run")
    assert sorted(k for k in range(5) if _row(EventCandidate, ids[k]).lineup_position is not None)
    left = [k for k in range(5) if _row(EventCandidate, ids[k]).lineup_position is None]
    assert left == [3, 4]
    response = _publish(client, eid, None)
    assert "not in the programme this time: 2." in response.text
    assert f"Founders answer by {when(_row(Event, eid).reply_by, 'en')}." in response.text
    told = [m for m in outbox if m.subject.startswith("Not this time")]
    assert sorted(m.recipients[0] for m in told) == sorted(setup["emails"][k] for k in left)
    message = next(m for m in told if m.recipients[0] == setup["emails"][3])
    assert message.subject == "Not this time: “Pitch 3” at Springbrett Vinter"
    assert "this time your company is not in it" in message.body
    assert message.html is not None
    assert _row(EventCandidate, ids[3]).left_out_at is not None
    assert _row(EventCandidate, ids[0]).left_out_at is None

    _login(client, setup["founders"][3])
    page = client.get(f"/events/{eid}").text
    assert "Not this time:" in page
    assert "“Pitch 3” is not in the programme of this session." in page

    # Publishing again tells nobody twice.
    _login(client, setup["organiser"])
    outbox.clear()
    _publish(client, eid, None)
    assert outbox == []


def test_a_left_out_founder_reads_it_in_norwegian(
    client: FlaskClient, setup: dict[str, Any], outbox: list[Any]
) -> None:
    eid, ids = setup["event"], setup["ids"]
    candidate = _row(EventCandidate, ids[0])
    candidate.excluded = True  # the Norwegian founder's pitch is left out
    _db.session.commit()
    _post(client, eid, "run")
    assert _row(EventCandidate, ids[0]).lineup_position is None
    _publish(client, eid, None)
    (message,) = [m for m in outbox if m.recipients[0] == setup["emails"][0]]
    assert message.subject == "Ikke denne gangen: «Pitch 0» på Springbrett Vinter"
    assert "denne gangen er ikke selskapet ditt med" in message.body
    _login(client, setup["founders"][0])
    page = client.get(f"/events/{eid}").text
    assert "Ikke denne gangen:" in page
    assert "«Pitch 0» er ikke med i programmet for denne samlingen." in page
