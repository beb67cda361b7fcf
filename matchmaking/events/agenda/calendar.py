"""A Springbrett agenda as an iCalendar file.

The iCalendar file
    One VEVENT for the pitches (for the organisers' overview, one more for
    the block of 1:1 meetings) and one per meeting, in Europe/Oslo time with
    a VTIMEZONE. UIDs are ``springbrett-<event>-pitches@<host>`` and
    ``springbrett-<event>-meeting-<investor>-<proposal>@<host>`` (a pair
    meets at most once per session, so the UID names the meeting even when
    the schedule is rebuilt or a meeting moved), so importing a newer file
    updates the entries instead of doubling them; SEQUENCE is the session's
    version. A meeting removed from the schedule stays in calendars that
    imported it earlier (a PUBLISH file cannot cancel); the agenda e-mail and
    page are the reference. Texts are in the reader's language.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import icalendar

from matchmaking.dates import clock
from matchmaking.events.agenda.services import INVESTOR, Agenda, pitches_end, slot_times
from matchmaking.events.models import Event
from matchmaking.events.programme import place, utc_to_oslo
from matchmaking.extensions import utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail import base_host
from matchmaking.text import single_line, unix_lines


def ics_host() -> str:
    """The host name in UIDs: BASE_URL's, never the request's."""
    return base_host()


def ics_filename(event: Event) -> str:
    return f"springbrett-{event.id}.ics"


def _location(event: Event) -> str:
    return place(event)


def _programme_text(agenda: Agenda) -> str:
    lines = [
        f"{clock(p.starts_at)} {p.title}" + (f" ({_l('your pitch')})" if p.own else "")
        for p in agenda.pitches
    ]
    if not lines:
        return str(_l("The programme is not published yet."))
    return str(_l("Programme:")) + "\n" + "\n".join(lines)


def calendar(agenda: Agenda, link: str, host: str, now: datetime | None = None) -> bytes:
    """The agenda as an iCalendar file, in the current language and Oslo time."""
    event = agenda.event
    now = now or utcnow()
    cal = icalendar.Calendar()
    cal.add("prodid", "-//BAN Ofoten//Matchmaking//NO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", single_line(event.title))

    def vevent(uid: str, start: datetime, end: datetime, summary: str, text: str) -> None:
        item = icalendar.Event()
        item.add("uid", f"springbrett-{event.id}-{uid}@{host}")
        item.add("dtstamp", now)
        item.add("sequence", event.version)
        item.add("dtstart", utc_to_oslo(start))
        item.add("dtend", utc_to_oslo(end))
        # Names on one line, line breaks as LF: a value stored with a stray CR
        # (or a line break in a title) cannot break the file's lines.
        item.add("summary", single_line(summary))
        item.add("location", single_line(_location(event)))
        item.add("description", unix_lines(f"{text}\n\n{link}"))
        item.add("url", link)
        cal.add_component(item)

    pitches = str(_l("%(title)s: pitches", title=event.title))
    text = _programme_text(agenda)
    for p in agenda.own_pitches:
        text = (
            str(
                _l(
                    "Your pitch: %(time)s, “%(title)s”.",
                    time=clock(p.starts_at),
                    title=p.title,
                )
            )
            + "\n\n"
            + text
        )
    vevent("pitches", event.starts_at, pitches_end(event), pitches, text)
    if agenda.is_overview and event.meeting_slots:
        end = slot_times(event, event.meeting_slots - 1)[1]
        vevent(
            "meetings",
            event.meetings_start_at,
            end,
            str(_l("%(title)s: 1:1 meetings", title=event.title)),
            str(_l("%(n)d meetings in the schedule.", n=len(event.meetings))),
        )
    for m in agenda.meetings:
        who = f"{m.with_name} ({m.with_organisation})" if m.with_organisation else m.with_name
        if agenda.kind == INVESTOR:
            detail = str(_l("1:1 meeting with the founders of “%(title)s”.", title=m.with_name))
        else:
            detail = str(
                _l(
                    "1:1 meeting with %(investor)s about “%(title)s”.",
                    investor=who,
                    title=m.proposal_title,
                )
            )
        vevent(
            f"meeting-{m.meeting.investor_id}-{m.meeting.proposal_id}",
            m.starts_at,
            m.ends_at,
            str(_l("1:1 meeting: %(who)s", who=who)),
            detail + " " + str(_l("Slot %(n)d at %(title)s.", n=m.number, title=event.title)),
        )
    day = utc_to_oslo(event.starts_at).date()
    cal.add_missing_timezones(
        first_date=day - timedelta(days=366), last_date=day + timedelta(days=366)
    )
    data: bytes = cal.to_ical()
    return data
