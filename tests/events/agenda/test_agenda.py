"""Agendas as participants and organisers meet them: the page, the .ics file,
the e-mails and the CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from sqlalchemy import select

from matchmaking.events.models import Event, Meeting, MeetingOutcome
from matchmaking.extensions import db as _db
from matchmaking.investors.models import InvestorProfile
from tests.conftest import reload
from tests.events.agenda_factories import Scene, scene

OSLO = ZoneInfo("Europe/Oslo")
#: 17:00 in Oslo on a winter day (UTC+1).
WINTER = datetime(2030, 1, 15, 16, 0, tzinfo=UTC)


def _scene(make_user: Any, make_proposal: Any, **kw: Any) -> Scene:
    return scene(make_user, make_proposal, starts_at=kw.pop("starts_at", WINTER), **kw)


def _flat(text: Any) -> str:
    """Text with every run of white space (Babel puts a narrow no-break space
    before "PM") as one plain space."""
    return " ".join(str(text).split())


def _rows(html: str, caption: str) -> list[str]:
    """The rows of the table with ``caption``, as text with tags removed."""
    import re

    start = html.index(caption)
    body = html[start : html.index("</table>", start)]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)[1:]
    return [" ".join(re.sub(r"<[^>]+>", " ", r).split()) for r in rows]


# --------------------------------------------------------------------------
# The page
# --------------------------------------------------------------------------


def test_investor_sees_the_programme_in_order_and_only_their_meetings(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("investor", locale="en", name="Ida Konto")
    s = _scene(make_user, make_proposal, ida=me)
    page = client.get(f"/events/{s.event.id}/agenda").text
    assert "Tuesday 15 January 2030" in page
    assert "Malmen, Narvik" in page
    # Line-up order, 10 minutes each from 17:00 Oslo time, at the times the founders were
    # invited for: the declined founder's place (17:10) stays empty, nobody moves up.
    assert _rows(page, "Pitches in order") == [
        "17:00 – 17:10 Tare",
        "17:20 – 17:30 Sild",
        "17:30 – 17:40 Vind",
    ]
    assert "Avlyst" not in page
    # Her meetings from 19:00, 20 minutes each; Per's meeting with Vind is not hers.
    assert _rows(page, "Meetings in time order") == [
        "19:00 – 19:20 1 Tare —",
        "19:20 – 19:40 2 Sild —",
    ]
    assert "Per Investor" not in page
    assert 'media="print"' in page
    assert "css/print.css" in page
    assert "browser's Print command" in page


def test_a_withdrawn_companys_meeting_leaves_the_investors_agenda(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    from matchmaking.extensions import db
    from matchmaking.proposals.models import Status

    me = login_as("investor", locale="en", name="Ida Konto")
    s = _scene(make_user, make_proposal, ida=me)
    sild = s.meetings[("Ida", "Sild")].proposal
    sild.status = Status.WITHDRAWN
    db.session.commit()
    page = client.get(f"/events/{s.event.id}/agenda").text
    assert _rows(page, "Meetings in time order") == ["19:00 – 19:20 1 Tare —"]
    assert "Sild" not in page
    assert b"Sild" not in client.get(f"/events/{s.event.id}/agenda.ics").data


def test_founder_sees_investors_by_display_name_and_organisation_never_contact_details(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("entrepreneur", locale="en", name="Gründer Tare")
    s = _scene(make_user, make_proposal, tare_founder=me)
    page = _flat(client.get(f"/events/{s.event.id}/agenda").text)
    assert "You pitch “Tare” at 17:00." in page
    assert _rows(page, "Meetings in time order") == [
        "19:00 – 19:20 1 Ida Isaksen, Nordlys Invest",
        "19:20 – 19:40 2 Per Investor",
    ]
    for secret in (s.ida.email, s.per.email, "Ida Konto"):
        assert secret not in page
    # Another founder's meetings are not on it.
    assert "Sild" in page  # in the programme only
    assert page.count("Sild") == 1


def test_after_a_decline_the_agenda_ics_and_session_page_give_the_same_pitch_time(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    """Vind pitches at place 4 behind a declined founder: 17:30 everywhere, not 17:20."""
    s = _scene(make_user, make_proposal)
    vind = s.founders["Vind"]
    with client.session_transaction() as session:
        session["_user_id"] = vind.get_id()
        session["_fresh"] = True
    show = _flat(client.get(f"/events/{s.event.id}").text)
    assert "Du har takket ja: du pitcher «Vind» tirsdag 15. januar 2030 kl. 17.30." in show
    page = _flat(client.get(f"/events/{s.event.id}/agenda").text)
    assert "Du pitcher «Vind» kl. 17.30." in page
    events = _vevents(client.get(f"/events/{s.event.id}/agenda.ics").data)
    pitches = events[f"springbrett-{s.event.id}-pitches@localhost"]
    assert "Din pitch: kl. 17.30, «Vind»." in _flat(pitches["DESCRIPTION"])
    assert pitches.decoded("DTEND").astimezone(UTC) == WINTER + timedelta(minutes=40)


def test_norwegian_founder_sees_norwegian_times(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("entrepreneur", locale="nb", name="Gründer Tare")
    s = _scene(make_user, make_proposal, tare_founder=me)
    page = client.get(f"/events/{s.event.id}/agenda").text
    assert "Agenda: Springbrett Narvik" in page
    assert "Pitcheprogram" in page
    assert "Du pitcher «Tare» kl. 17.00." in page
    assert "19.00" in page
    assert "19.20" in page


def test_organiser_sees_the_overview_and_anyones_agenda(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    page = client.get(f"/events/{s.event.id}/agenda").text
    participants = _rows(page, "Everyone with an agenda")
    assert participants == [
        "Ida Isaksen (Nordlys Invest) Investor 2 Agenda Ida Isaksen (Nordlys Invest)",
        "Per Investor Investor 2 Agenda Per Investor",
        "Gründer Sild Founder 1 Agenda Gründer Sild",
        "Gründer Tare Founder 2 Agenda Gründer Tare",
        "Gründer Vind Founder 1 Agenda Gründer Vind",
    ]
    assert "@example.no" not in page
    page = client.get(f"/events/{s.event.id}/agenda?participant={s.per.id}").text
    assert "The agenda of the investor Per Investor." in page
    assert f'href="/events/{s.event.id}/agenda.ics?participant={s.per.id}"' in page
    assert _rows(page, "Meetings in time order") == [
        "19:00 – 19:20 1 Vind —",
        "19:20 – 19:40 2 Tare —",
    ]
    # Someone taking no part, or nobody at all: 404.
    outsider = make_user("investor", approved=True)
    assert client.get(f"/events/{s.event.id}/agenda?participant={outsider.id}").status_code == 404
    assert client.get(f"/events/{s.event.id}/agenda?participant=abc").status_code == 404
    assert client.get(f"/events/{s.event.id}/agenda?participant=99999999999").status_code == 404


def test_others_have_no_agenda(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    s = _scene(make_user, make_proposal)
    login_as("investor", locale="en")
    response = client.get(f"/events/{s.event.id}/agenda")
    assert response.status_code == 403
    assert "agendas are for the investors signed up and the founders who pitch" in response.text
    assert client.get(f"/events/{s.event.id}/agenda.ics").status_code == 403
    # The founder who declined the invitation has no agenda either.
    with client.session_transaction() as session:
        session["_user_id"] = s.founders["Avlyst"].get_id()
    assert client.get(f"/events/{s.event.id}/agenda").status_code == 403
    # A participant may not look at someone else's agenda.
    with client.session_transaction() as session:
        session["_user_id"] = s.per.get_id()
    assert client.get(f"/events/{s.event.id}/agenda?participant={s.ida.id}").status_code == 403
    assert client.get(f"/events/{s.event.id}/agenda?participant={s.per.id}").status_code == 200


def test_before_the_schedule_the_agenda_says_what_is_coming(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    from tests.events.factories import new_event

    event = new_event(make_user("organiser"))
    me = login_as("investor", locale="en")
    client.post(f"/events/{event.id}/signup")
    page = client.get(f"/events/{event.id}/agenda").text
    assert "The programme is not published yet." in page
    assert "The 1:1 meetings are not scheduled yet." in page
    show = client.get(f"/events/{event.id}").text
    assert "Your agenda fills in once the organisers publish the programme." in show
    assert f'href="/events/{event.id}/agenda.ics"' in show
    assert me is not None


def test_session_page_links(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("investor", locale="en", name="Ida Konto")
    s = _scene(make_user, make_proposal, ida=me, organiser=make_user("organiser", locale="en"))
    show = client.get(f"/events/{s.event.id}").text
    assert "Your agenda has the programme and your 1:1 meetings." in show
    assert f'href="/events/{s.event.id}/agenda"' in show
    assert f'href="/events/{s.event.id}/agenda.ics"' in show
    assert "schedule.csv" not in show
    assert "agendas/send" not in show
    with client.session_transaction() as session:
        session["_user_id"] = s.organiser.get_id()
    show = client.get(f"/events/{s.event.id}").text
    assert f'href="/events/{s.event.id}/schedule.csv"' in show
    assert f'href="/events/{s.event.id}/outcomes"' in show
    assert "Agendas have not been sent yet." in show
    assert f'action="/events/{s.event.id}/agendas/send"' in show


# --------------------------------------------------------------------------
# The iCalendar file
# --------------------------------------------------------------------------


def _uid(s: Any, meeting: Any) -> str:
    """A meeting's UID: the pair, so it survives a rebuild of the schedule."""
    return f"springbrett-{s.event.id}-meeting-{meeting.investor_id}-{meeting.proposal_id}@localhost"


def _vevents(data: bytes) -> dict[str, Any]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


@pytest.mark.parametrize(
    ("starts_utc", "oslo_hour", "offset"),
    [
        # Saturday 30 March 2030, winter time (UTC+1) ...
        (datetime(2030, 3, 30, 16, 0, tzinfo=UTC), 17, timedelta(hours=1)),
        # ... and the next day, summer time (UTC+2): the same 17:00 is an hour earlier in UTC.
        (datetime(2030, 3, 31, 15, 0, tzinfo=UTC), 17, timedelta(hours=2)),
    ],
)
def test_ics_parses_with_oslo_times_on_both_sides_of_dst(
    client: Any,
    login_as: Any,
    make_user: Any,
    make_proposal: Any,
    reference: None,
    starts_utc: datetime,
    oslo_hour: int,
    offset: timedelta,
) -> None:
    me = login_as("investor", locale="en", name="Ida Konto")
    s = _scene(make_user, make_proposal, ida=me, starts_at=starts_utc)
    response = client.get(f"/events/{s.event.id}/agenda.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="springbrett-{s.event.id}.ics"'
    )
    assert b"BEGIN:VTIMEZONE" in response.data
    assert b"TZID:Europe/Oslo" in response.data
    assert b"DTSTART;TZID=Europe/Oslo:" in response.data
    events = _vevents(response.data)
    tare = s.meetings[("Ida", "Tare")]
    sild = s.meetings[("Ida", "Sild")]
    assert sorted(events) == sorted(
        [
            f"springbrett-{s.event.id}-pitches@localhost",
            _uid(s, tare),
            _uid(s, sild),
        ]
    )
    pitches = events[f"springbrett-{s.event.id}-pitches@localhost"]
    start = pitches.decoded("DTSTART")
    assert start.tzinfo is not None
    assert str(start.tzinfo) == "Europe/Oslo"
    assert (start.hour, start.minute) == (oslo_hour, 0)
    assert start.utcoffset() == offset
    assert start.astimezone(UTC) == starts_utc
    # The last pitch (Vind, place 4 of the line-up) ends 40 minutes after the start.
    assert pitches.decoded("DTEND").astimezone(UTC) == starts_utc + timedelta(minutes=40)
    assert str(pitches["SUMMARY"]) == "Springbrett Narvik: pitches"
    assert str(pitches["LOCATION"]) == "Malmen, Narvik"
    description = _flat(pitches["DESCRIPTION"])
    assert "17:00 Tare 17:20 Sild 17:30 Vind" in description
    assert pitches.decoded("DTSTAMP").tzinfo is not None
    meeting = events[_uid(s, sild)]
    assert str(meeting["SUMMARY"]) == "1:1 meeting: Sild"
    start = meeting.decoded("DTSTART")
    assert (start.hour, start.minute) == (oslo_hour + 2, 20)
    assert meeting.decoded("DTEND") - start == timedelta(minutes=20)


def test_ics_across_the_night_the_clocks_go_forward(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    """Pitches at 00:30 in winter time, meetings two real hours later: 03:30 summer time."""
    me = login_as("entrepreneur", locale="nb", name="Gründer Tare")
    starts = datetime(2030, 3, 31, 0, 30, tzinfo=OSLO).astimezone(UTC)
    s = _scene(make_user, make_proposal, tare_founder=me, starts_at=starts)
    events = _vevents(client.get(f"/events/{s.event.id}/agenda.ics").data)
    pitches = events[f"springbrett-{s.event.id}-pitches@localhost"].decoded("DTSTART")
    assert (pitches.hour, pitches.minute, pitches.utcoffset()) == (0, 30, timedelta(hours=1))
    first = events[_uid(s, s.meetings[("Ida", "Tare")])]
    start = first.decoded("DTSTART")
    assert (start.hour, start.minute, start.utcoffset()) == (3, 30, timedelta(hours=2))
    assert start.astimezone(UTC) == starts + timedelta(hours=2)
    # In the founder's language, naming the investor by display name and organisation.
    assert str(first["SUMMARY"]) == "1:1-møte: Ida Isaksen (Nordlys Invest)"
    assert "Din pitch" in str(events[f"springbrett-{s.event.id}-pitches@localhost"]["DESCRIPTION"])


def test_organisers_ics_has_the_pitches_and_the_meeting_block(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    events = _vevents(client.get(f"/events/{s.event.id}/agenda.ics").data)
    block = events[f"springbrett-{s.event.id}-meetings@localhost"]
    assert block.decoded("DTSTART").astimezone(UTC) == WINTER + timedelta(hours=2)
    # 8 slots of 20 minutes.
    assert block.decoded("DTEND").astimezone(UTC) == WINTER + timedelta(hours=2, minutes=160)
    events = _vevents(
        client.get(f"/events/{s.event.id}/agenda.ics?participant={s.founders['Vind'].id}").data
    )
    assert _uid(s, s.meetings[("Per", "Vind")]) in events


# --------------------------------------------------------------------------
# Sending agendas
# --------------------------------------------------------------------------


def _send(client: Any, event: Event, version: int | None = None) -> Any:
    current = _db.session.get(Event, event.id)
    assert current is not None
    return client.post(
        f"/events/{event.id}/agendas/send",
        data={"version": str(current.version if version is None else version), "confirm": "1"},
        follow_redirects=True,
    )


def test_agendas_are_sent_to_everyone_in_their_language_with_the_ics(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, outbox: Any
) -> None:
    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    response = _send(client, s.event)
    assert "Agendas sent to 5 participants." in response.text
    assert "Agendas were last sent" in response.text
    event = reload(s.event)
    assert event.agendas_sent_at is not None
    assert event.version == 2
    by_address = {m.recipients[0]: m for m in outbox}
    assert sorted(by_address) == sorted(
        [s.ida.email, s.per.email] + [s.founders[t].email for t in ("Tare", "Sild", "Vind")]
    )
    ida = by_address[s.ida.email]
    assert ida.subject == "Your agenda for Springbrett Narvik"
    assert "Your 1:1 meetings" in ida.body
    assert "When: Tuesday 15 January 2030, 17:00" in _flat(ida.body)
    assert "19:00–19:20 Tare" in _flat(ida.body)
    # The programme at the invited times: the declined founder's 17:10 stays empty.
    assert "17:00 Tare 17:20 Sild 17:30 Vind" in _flat(ida.body)
    assert "Your 1:1 meetings" in ida.html
    (attachment,) = ida.attachments
    assert attachment.filename == f"springbrett-{s.event.id}.ics"
    assert attachment.content_type.startswith("text/calendar")
    events = _vevents(attachment.data)
    assert str(events[f"springbrett-{s.event.id}-pitches@localhost"]["SUMMARY"]) == (
        "Springbrett Narvik: pitches"
    )
    tare = by_address[s.founders["Tare"].email]
    assert tare.subject == "Din agenda for Springbrett Narvik"
    assert "Når: tirsdag 15. januar 2030 kl. 17.00" in _flat(tare.body)
    assert "19.00–19.20 Ida Isaksen, Nordlys Invest" in _flat(tare.body)
    assert s.ida.email not in tare.body
    assert s.ida.email not in tare.html
    events = _vevents(tare.attachments[0].data)
    meeting = events[_uid(s, s.meetings[("Ida", "Tare")])]
    assert str(meeting["SUMMARY"]) == "1:1-møte: Ida Isaksen (Nordlys Invest)"
    assert f"/events/{s.event.id}/agenda" in tare.body
    # Sending again later sends everyone the agenda again.
    outbox.clear()
    response = _send(client, s.event)
    assert "Agendas sent to 5 participants." in response.text
    assert len(outbox) == 5
    assert reload(s.event).version == 3


def test_stale_send_is_refused(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, outbox: Any
) -> None:
    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    response = _send(client, s.event, version=0)
    assert "changed by someone else" in response.text
    assert outbox == []
    event = reload(s.event)
    assert event.agendas_sent_at is None
    assert event.version == 1


def test_agendas_wait_for_the_schedule(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, outbox: Any
) -> None:
    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    event = _db.session.get(Event, s.event.id)
    event.schedule_built_at = None
    _db.session.commit()
    show = client.get(f"/events/{s.event.id}").text
    assert "Agendas can be sent once the 1:1 schedule is built." in show
    response = _send(client, s.event)
    assert "Agendas can be sent once the 1:1 schedule is built. Build it first." in response.text
    assert outbox == []
    assert reload(s.event).agendas_sent_at is None


def test_disabled_accounts_get_no_agenda(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, outbox: Any
) -> None:
    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    per = _db.session.get(type(s.per), s.per.id)
    per.disabled_at = datetime.now(UTC)
    _db.session.commit()
    assert "Agendas sent to 4 participants." in _send(client, s.event).text
    assert s.per.email not in {m.recipients[0] for m in outbox}


# --------------------------------------------------------------------------
# The CSV export
# --------------------------------------------------------------------------


def test_csv_has_the_whole_schedule(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    meeting = _db.session.get(Meeting, s.meetings[("Per", "Tare")].id)
    meeting.outcome = MeetingOutcome.FOLLOW_UP
    meeting.outcome_note = "Vil se regnskapet"
    _db.session.commit()
    response = client.get(f"/events/{s.event.id}/schedule.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="springbrett-{s.event.id}-2030-01-15-schedule.csv"'
    )
    assert not response.data.startswith(b"\xef\xbb\xbf")  # English: plain UTF-8, commas
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8"))))
    assert rows[0] == [
        "Slot",
        "Start",
        "End",
        "Company",
        "Proposal id",
        "Investor",
        "Investor id",
        "How well they fit",
        "Source",
        "Outcome",
        "Outcome note",
    ]
    p = s.proposals
    assert rows[1:] == [
        ["1", "2030-01-15T19:00+01:00", "2030-01-15T19:20+01:00", "Tare", str(p["Tare"].id),
         "Ida Isaksen (Nordlys Invest)", str(s.ida.id), "0.5000", "Planned automatically", "", ""],
        ["1", "2030-01-15T19:00+01:00", "2030-01-15T19:20+01:00", "Vind", str(p["Vind"].id),
         "Per Investor", str(s.per.id), "0.5000", "Planned automatically", "", ""],
        ["2", "2030-01-15T19:20+01:00", "2030-01-15T19:40+01:00", "Sild", str(p["Sild"].id),
         "Ida Isaksen (Nordlys Invest)", str(s.ida.id), "0.5000", "Planned automatically", "", ""],
        ["2", "2030-01-15T19:20+01:00", "2030-01-15T19:40+01:00", "Tare", str(p["Tare"].id),
         "Per Investor", str(s.per.id), "0.5000", "Planned automatically", "Follow-up wanted", "Vil se regnskapet"],
    ]  # fmt: skip


def test_csv_cannot_smuggle_formulas(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None
) -> None:
    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    proposal = _db.session.get(type(s.proposals["Sild"]), s.proposals["Sild"].id)
    proposal.title = '=HYPERLINK("http://evil.example","Sild")'
    profile = _db.session.scalars(
        select(InvestorProfile).where(InvestorProfile.user_id == s.ida.id)
    ).one()
    profile.display_name = "@SUM(1+1)"
    profile.organisation = None
    meeting = _db.session.get(Meeting, s.meetings[("Per", "Vind")].id)
    meeting.outcome_note = "-2+3"
    per = _db.session.get(type(s.per), s.per.id)
    per.name = "+47 Per"
    _db.session.commit()
    text = client.get(f"/events/{s.event.id}/schedule.csv").data.decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert '\'=HYPERLINK("http://evil.example","Sild")' in cells
    assert "'@SUM(1+1)" in cells
    assert "'+47 Per" in cells
    assert "'-2+3" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


#: Names that a spreadsheet would run as a formula, in one cell or, split on
#: the "other" separator, in the next (Excel in Norwegian splits on ";").
HOSTILE_NAMES = [
    "Kristin;=1+2",
    "a,=1+2",
    'Ola; "=1+2',
    "Eva\t=1+2",
    '=HYPERLINK("http://evil.example","Sild")',
    "@SUM(1+1)",
    "+1",
    "-1",
    "Kari;@SUM(1)",
    "Nils,-2+3;+4",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_csv_is_safe_read_with_either_separator(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, name: str
) -> None:
    me = login_as("organiser", locale="nb")
    s = _scene(make_user, make_proposal, organiser=me)
    profile = _db.session.scalars(
        select(InvestorProfile).where(InvestorProfile.user_id == s.ida.id)
    ).one()
    profile.display_name = name
    profile.organisation = None
    _db.session.get(type(s.per), s.per.id).name = name
    _db.session.get(type(s.proposals["Sild"]), s.proposals["Sild"].id).title = name
    _db.session.get(Meeting, s.meetings[("Per", "Vind")].id).outcome_note = name
    _db.session.commit()
    response = client.get(f"/events/{s.event.id}/schedule.csv")
    assert response.status_code == 200
    text = response.data.decode("utf-8-sig")
    for line in text.splitlines()[:5]:  # every field quoted, numbers too
        assert line.startswith('"')
        assert line.endswith('"')
    for delimiter in (",", ";", "\t"):
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        cells = [c for row in rows for c in row]
        assert not [c for c in cells if c.lstrip(' "').startswith(("=", "+", "-", "@", "\t", "\r"))]
    # Read with the separator it was written with (Norwegian: ";"), the name is
    # all there, a ' before the formula-like pieces only.
    cells = {c for row in csv.reader(io.StringIO(text, newline=""), delimiter=";") for c in row}
    shown = [c for c in cells if c.replace("'", "") == name.replace("'", "")]
    assert shown
    assert all(c.count("'") > name.count("'") for c in shown)


def test_numbers_stay_numbers_and_the_guard_works_without_an_app() -> None:
    from matchmaking.spreadsheet import csv_text, neutralise

    assert neutralise("Kristin;=1+2") == "Kristin;'=1+2"
    assert neutralise("a,=1+2") == "a,'=1+2"
    assert neutralise("-1") == "'-1"
    assert neutralise("Tare AS; Sild, Vind") == "Tare AS; Sild, Vind"
    text = csv_text(["id", "affinity"], [[-1, -0.5]], language="en")
    assert list(csv.reader(io.StringIO(text))) == [
        ["id", "affinity"],
        ["-1", "-0.5"],
    ]
    text = csv_text(["id", "affinity"], [[-1, -0.5]], language="nb")
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")) == [
        ["id", "affinity"],
        ["-1", "-0,5"],
    ]


def test_of_two_organisers_sending_at_once_the_second_is_refused(
    app: Any, make_user: Any, make_proposal: Any, reference: None, outbox: Any
) -> None:
    """Both loaded the page at version 1; the first send bumped the row before
    the second request's copy of the session knew it."""
    from sqlalchemy import update

    from matchmaking.events.agenda import sending
    from matchmaking.events.errors import StaleError

    s = _scene(make_user, make_proposal)
    event = _db.session.get(Event, s.event.id)
    assert event.version == 1
    _db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(version=2)
        .execution_options(synchronize_session=False)
    )
    with app.test_request_context("/?lang=en"), pytest.raises(StaleError, match="someone else"):
        sending.send_agendas(event, 1)
    assert outbox == []


def test_sending_agendas_asks_first_and_names_what_is_out_of_date(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, outbox: Any
) -> None:
    import re

    from matchmaking.events.models import EventCandidate, InvitationStatus

    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    title = reload(s.event).title
    sild, avlyst = reload(s.proposals["Sild"]).id, reload(s.proposals["Avlyst"]).id
    url = f"/events/{s.event.id}/agendas/send"
    # Everything in order: the page says so, and sending waits for "Yes".
    page = client.post(url, data={"version": "1"})
    assert page.status_code == 200
    assert f'<h1 id="confirm-heading">Send the agendas for {title}?</h1>' in page.text
    assert "Each of the 5 participants gets their agenda by e-mail now" in page.text
    assert "Every invited founder has accepted." in page.text
    assert "The 1:1 schedule is newer than the last change of the programme." in page.text
    assert "Before you go ahead" not in page.text
    assert f'href="/events/{s.event.id}#agenda-heading">Cancel</a>' in page.text
    assert outbox == []
    event = reload(s.event)
    assert (event.agendas_sent_at, event.version) == (None, 1)

    # Sild has not answered yet, and Avlyst declined after the schedule was built.
    built = event.schedule_built_at
    assert built is not None
    for c in _db.session.scalars(select(EventCandidate).where(EventCandidate.event_id == event.id)):
        if c.proposal_id == sild:
            c.invitation = InvitationStatus.INVITED
        if c.proposal_id == avlyst:
            c.responded_at = built + timedelta(hours=1)
    _db.session.commit()
    page = client.post(url, data={"version": "1"})
    text = _flat(page.text)
    assert "Before you go ahead" in text
    assert "Invited founders who have not accepted yet: 1 (Sild)." in text
    assert "is older than the last change of the programme" in text
    assert "build the schedule again first" in text
    assert outbox == []

    # "Yes" posts the version the organiser saw, and sends.
    version = re.search(r'name="version" value="(\d+)"', page.text)
    assert version is not None
    done = client.post(
        url, data={"version": version.group(1), "confirm": "1"}, follow_redirects=True
    )
    assert "Agendas sent to 5 participants." in done.text
    assert len(outbox) == 5
    assert reload(s.event).agendas_sent_at is not None
    # Asking again says when they were last sent.
    page = client.post(url, data={"version": str(reload(s.event).version)})
    assert "Agendas were last sent" in page.text
    assert "everyone gets the current agenda again" in page.text
    assert len(outbox) == 5


def test_an_investor_who_cancels_after_the_build_makes_the_schedule_older(
    client: Any, login_as: Any, make_user: Any, make_proposal: Any, reference: None, outbox: Any
) -> None:
    """Per cancels his place after the schedule was built, his two meetings
    still in it: the send-agendas confirm step says the schedule is older than
    the last change and names the meetings (it said "newer" before); the
    organisers' notices and the menu's count say so too. Once the meetings are
    removed, the schedule is up to date again."""
    from matchmaking.events.session import attention

    me = login_as("organiser", locale="en")
    s = _scene(make_user, make_proposal, organiser=me)
    eid, per = s.event.id, s.per
    url = f"/events/{eid}/agendas/send"

    def kinds_of_notices() -> list[str]:
        with client.application.test_request_context("/?lang=en"):
            return [n.kind for n in attention.notices(reload(s.event))]

    page = _flat(client.post(url, data={"version": "1"}).text)
    assert "The 1:1 schedule is newer than the last change of the programme." in page
    assert attention.sessions_needing_action_count() == 1  # agendas not sent
    event = reload(s.event)
    event.agendas_sent_at = datetime.now(UTC)
    # Avlyst's empty place is dealt with (a new line-up left it out): nothing to do.
    next(c for c in event.candidates if c.proposal.title == "Avlyst").lineup_position = None
    _db.session.commit()
    assert attention.sessions_needing_action_count() == 0
    assert kinds_of_notices() == []

    with client.session_transaction() as session:
        session["_user_id"] = per.get_id()
        session["_fresh"] = True
    assert client.post(f"/events/{eid}/cancel").status_code == 302
    assert [a.user_id for a in reload(s.event).attendees] == [s.ida.id]
    with client.session_transaction() as session:
        session["_user_id"] = me.get_id()

    page = _flat(client.post(url, data={"version": str(reload(s.event).version)}).text)
    assert "Before you go ahead" in page
    assert "is older than the last change of who takes part." in page
    assert "Meetings with an investor who cancelled or a company that no longer pitches: 2." in page
    assert "Per Investor is no longer signed up (or approved), but meets “Vind”" in page
    assert "Per Investor is no longer signed up (or approved), but meets “Tare”" in page
    assert "newer than the last change" not in page
    assert outbox == []
    assert kinds_of_notices() == [attention.CANCELLED]
    assert attention.sessions_needing_action_count() == 1

    # The organiser removes both meetings: the schedule is newer than any change again.
    for key in (("Per", "Vind"), ("Per", "Tare")):
        version = reload(s.event).version
        done = client.post(
            f"/events/{eid}/meetings/{s.meetings[key].id}/remove",
            data={"version": str(version), "confirm": "1"},
        )
        assert done.status_code == 302
    page = _flat(client.post(url, data={"version": str(reload(s.event).version)}).text)
    assert "The 1:1 schedule is newer than the last change of the programme." in page
    assert "who takes part" not in page
    assert kinds_of_notices() == [
        attention.AGENDAS_STALE
    ]  # the agendas went out before the removals
