"""Agendas, the iCalendar file, agenda e-mails, the CSV export and meeting
outcomes of a Springbrett session. Functions flush, never commit.

Who has an agenda (the issue says "each participant"; these are our choices)
    - an *investor* who is approved and signed up for the session, or who has
      a meeting in its schedule (a meeting kept after a cancelled place still
      shows);
    - a *founder* whose proposal pitches (``EventCandidate.pitching``: in the
      published line-up, not declined, and the proposal still in investors'
      sight), or who has a meeting for one of their proposals;
    - *organisers* see an overview (the programme, every participant with a
      link to their agenda) and any participant's agenda; anyone else is told
      they have no agenda for this session (403).

What an agenda holds
    The session (date, venue, Norwegian times), the pitch programme once the
    line-up is published (pitching proposals in line-up order, the pitch at
    place *p* at ``starts_at + p * minutes_per_pitch``, the time the founder
    was invited for: a declined founder's place stays empty) and the person's
    own 1:1 meetings.
    An investor sees the proposal's title; a founder sees the investor's
    display name and organisation from the interest profile. Nobody's e-mail
    address or phone number is on an agenda: contact details are exchanged
    through an accepted introduction, as everywhere else.

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

Sending agendas
    Only once the 1:1 schedule is built; checked against the session's
    version like the session form, and the version is bumped. Every active
    participant gets the agenda in their own language with the ``.ics``
    attached. Sending again later sends everyone the current agenda again;
    the session page says when agendas were last sent. A recipient whose
    message could not be handed to the mail server is named to the organiser.

Outcomes
    A meeting's outcome (follow-up wanted or not, with an optional note) can
    be recorded once its slot has started: by organisers for every meeting,
    by the investor for their own. It can be changed later (the last record
    counts). A wanted follow-up moves the proposal to "in dialogue"
    (``enter_dialogue``, on the timeline) and the founder is told by e-mail
    that an investor wants to follow up - never which one, and never the
    note: that stays with the organisers and the investor who met them. A
    later "no follow-up" does not move the proposal back; the dialogue may
    already have begun, and organisers can close it on the proposal page.

"Pitched"
    Organisers mark the session as held once it has started: every pitching
    proposal still "accepted" becomes "pitched" (the founder is told, as for
    every organiser decision). Recording outcomes does not wait for that; a
    proposal already in dialogue stays there.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import icalendar
from flask_babel import force_locale, format_date, format_datetime, format_time

from matchmaking.accounts.models import User
from matchmaking.events import notifications
from matchmaking.events.meetings.services import investor_names
from matchmaking.events.models import (
    Event,
    Meeting,
    MeetingOutcome,
    MeetingSource,
)
from matchmaking.events.programme import (
    attendee_investors,
    attends,
    pitch_time,
    pitching_candidates,
    place,
    utc_to_oslo,
)
from matchmaking.events.versioning import claim_version, is_current_version
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail import absolute_url, base_host
from matchmaking.proposals.models import Proposal, ProposalEvent, Status
from matchmaking.proposals.services import enter_dialogue, notify_founder, transition
from matchmaking.spreadsheet import Cell, csv_text
from matchmaking.text import single_line, unix_lines

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

INVESTOR = "investor"
FOUNDER = "founder"
#: The longest outcome note, in characters.
NOTE_MAX = 2000


class AgendaError(Exception):
    """A rule was broken; ``field`` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def stale_message() -> str:
    """The same words as the session form uses for a stale save."""
    return str(_l("This session was changed by someone else – reload to see their changes."))


def check_version(event: Event, version: int | str | None) -> None:
    """Refuse when the page the organiser acted on showed an older version."""
    if not is_current_version(event, version):
        raise AgendaError(stale_message())


def _claim(event: Event, version: int | str | None) -> None:
    """Check the version and bump it in one conditional UPDATE
    (:func:`matchmaking.events.versioning.claim_version`): of two organisers
    posting at the same moment, the second is refused as stale."""
    if not claim_version(event, version):
        raise AgendaError(stale_message())


# --------------------------------------------------------------------------
# Times and names
# --------------------------------------------------------------------------


def slot_times(event: Event, slot: int) -> tuple[datetime, datetime]:
    """Start and end (UTC) of meeting slot ``slot`` (from 0)."""
    start = event.meetings_start_at + timedelta(minutes=slot * event.meeting_minutes)
    return start, start + timedelta(minutes=event.meeting_minutes)


def has_started(meeting: Meeting, now: datetime | None = None) -> bool:
    return slot_times(meeting.event, meeting.slot)[0] <= (now or utcnow())


# --------------------------------------------------------------------------
# The programme and who takes part
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Pitch:
    number: int  #: place in the programme, from 1
    starts_at: datetime
    ends_at: datetime
    proposal_id: int
    title: str
    own: bool = False  #: the reader's own proposal


def programme(event: Event, own: Collection[int] = ()) -> list[Pitch]:
    """The pitch at line-up place ``p`` (from 0) starts at ``starts_at + p *
    minutes_per_pitch``: the time the founder was invited for and the session
    page shows. A place left free (a founder declined) stays a gap; nobody
    after it moves earlier."""
    step = timedelta(minutes=event.minutes_per_pitch)
    out = []
    for i, c in enumerate(pitching_candidates(event)):
        start = pitch_time(event, c.lineup_position)
        if start is None:  # not placed (never for a published line-up): after the others
            start = event.starts_at + i * step
        out.append(
            Pitch(i + 1, start, start + step, c.proposal_id, c.proposal.title, c.proposal_id in own)
        )
    return out


def pitches_end(event: Event) -> datetime:
    """When the last pitch ends: after the highest place in the published line-up
    (all pitch slots before a line-up is published)."""
    ends = [p.ends_at for p in programme(event)]
    if ends:
        return max(ends)
    return event.starts_at + timedelta(minutes=event.pitch_slots * event.minutes_per_pitch)


def _is_investor_participant(event: Event, user: User) -> bool:
    if not user.is_approved_investor:
        return False
    signed_up = attends(user) and any(a.user_id == user.id for a in event.attendees)
    return signed_up or any(m.investor_id == user.id for m in event.meetings)


def founder_proposal_ids(event: Event, user: User) -> set[int]:
    """The founder's proposals that pitch or have meetings at ``event``."""
    if not user.is_entrepreneur:
        return set()
    ids = {c.proposal_id for c in pitching_candidates(event) if c.proposal.owner_id == user.id}
    ids |= {m.proposal_id for m in event.meetings if m.proposal.owner_id == user.id}
    return ids


def participant_kind(event: Event, user: User) -> str | None:
    """``"investor"``, ``"founder"`` or None (no agenda at this session)."""
    if _is_investor_participant(event, user):
        return INVESTOR
    if founder_proposal_ids(event, user):
        return FOUNDER
    return None


@dataclass(frozen=True)
class Participant:
    user: User
    kind: str
    name: str
    meetings: int


def participants(event: Event) -> list[Participant]:
    """Everyone with an agenda: investors first, then founders, each by name."""
    users: dict[int, User] = {}
    for investor in attendee_investors(event):
        users[investor.id] = investor
    for c in pitching_candidates(event):
        users[c.proposal.owner_id] = c.proposal.company.owner
    for m in event.meetings:
        users.setdefault(m.investor_id, m.investor)
        users.setdefault(m.proposal.owner_id, m.proposal.company.owner)
    names = investor_names(u for u in users.values() if u.is_investor)
    result = []
    for user in users.values():
        kind = participant_kind(event, user)
        if kind is None:
            continue
        if kind == INVESTOR:
            count = sum(1 for m in event.meetings if m.investor_id == user.id)
            name = str(names[user.id])
        else:
            count = sum(1 for m in event.meetings if m.proposal.owner_id == user.id)
            name = user.name
        result.append(Participant(user, kind, name, count))
    result.sort(key=lambda p: (p.kind != INVESTOR, p.name.casefold(), p.user.id))
    return result


# --------------------------------------------------------------------------
# Agendas
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class AgendaMeeting:
    meeting: Meeting
    number: int  #: slot number, from 1
    starts_at: datetime
    ends_at: datetime
    #: The other side: the proposal's title (for an investor) or the investor (for a founder).
    with_name: str
    with_organisation: str | None
    #: For a founder with more than one proposal at the session: which one meets.
    proposal_title: str

    @property
    def id(self) -> int:
        return self.meeting.id


@dataclass
class Agenda:
    """One person's agenda, or (``user`` None) the organisers' overview."""

    event: Event
    user: User | None
    kind: str | None
    pitches: list[Pitch]
    meetings: list[AgendaMeeting] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    own_proposal_ids: set[int] = field(default_factory=set)

    @property
    def is_overview(self) -> bool:
        return self.user is None

    @property
    def own_pitches(self) -> list[Pitch]:
        return [p for p in self.pitches if p.own]


def agenda_for(event: Event, user: User) -> Agenda:
    """``user``'s agenda; AgendaError when they take no part in ``event``."""
    kind = participant_kind(event, user)
    if kind is None:
        raise AgendaError(
            str(
                _l(
                    "You have no agenda for this session: agendas are for the investors signed up"
                    " and the founders who pitch."
                )
            )
        )
    meetings: list[AgendaMeeting] = []
    own: set[int] = set()
    if kind == INVESTOR:
        # A company that no longer pitches (withdrawn, declined, closed) is not on an
        # investor's agenda, even while its meeting waits for the organisers (a clash).
        pitching = {c.proposal_id for c in event.candidates if c.pitching}
        for m in event.meetings:
            if m.investor_id == user.id and m.proposal_id in pitching:
                start, end = slot_times(event, m.slot)
                title = m.proposal.title
                meetings.append(AgendaMeeting(m, m.slot + 1, start, end, title, None, title))
    else:
        own = founder_proposal_ids(event, user)
        mine = [m for m in event.meetings if m.proposal_id in own]
        names = investor_names(m.investor for m in mine)
        for m in mine:
            start, end = slot_times(event, m.slot)
            name = names[m.investor_id]
            meetings.append(
                AgendaMeeting(
                    m, m.slot + 1, start, end, name.name, name.organisation, m.proposal.title
                )
            )
    meetings.sort(key=lambda a: (a.number, a.with_name.casefold(), a.id))
    return Agenda(event, user, kind, programme(event, own), meetings, own_proposal_ids=own)


def overview(event: Event) -> Agenda:
    """The organisers' view: the programme and every participant."""
    return Agenda(event, None, None, programme(event), participants=participants(event))


# --------------------------------------------------------------------------
# iCalendar
# --------------------------------------------------------------------------


def ics_host() -> str:
    """The host name in UIDs: BASE_URL's, never the request's."""
    return base_host()


def ics_filename(event: Event) -> str:
    return f"springbrett-{event.id}.ics"


def _location(event: Event) -> str:
    return place(event)


def _programme_text(agenda: Agenda) -> str:
    lines = [
        f"{format_time(p.starts_at, 'short')} {p.title}"
        + (f" ({_l('your pitch')})" if p.own else "")
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
                    time=format_time(p.starts_at, "short"),
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


# --------------------------------------------------------------------------
# Sending agendas
# --------------------------------------------------------------------------


@dataclass
class Sent:
    sent: list[User]
    failed: list[User]


def agenda_link(event: Event) -> str:
    return absolute_url("events.agenda", event_id=event.id)


def send_agendas(event: Event, version: int | str | None, now: datetime | None = None) -> Sent:
    """E-mail every active participant their agenda with the ``.ics`` attached;
    claims the session's version first (nothing is sent from a stale page)."""
    check_version(event, version)
    if event.schedule_built_at is None:
        raise AgendaError(
            str(_l("Agendas can be sent once the 1:1 schedule is built. Build it first."))
        )
    recipients = [p.user for p in participants(event) if p.user.is_active]
    if not recipients:
        raise AgendaError(
            str(_l("Nobody takes part in this session yet: there is no one to send to."))
        )
    _claim(event, version)
    now = now or utcnow()
    link = agenda_link(event)
    host = ics_host()
    result = Sent([], [])
    for user in recipients:
        agenda = agenda_for(event, user)
        with force_locale(user.locale):
            ics = calendar(agenda, link, host, now)
        try:
            notifications.agenda(
                user,
                event,
                agenda,
                link,
                (ics_filename(event), "text/calendar; charset=utf-8", ics),
            )
        except (OSError, smtplib.SMTPException):
            log.exception("agenda e-mail to user %s failed", user.id)
            result.failed.append(user)
        else:
            result.sent.append(user)
    if not result.sent:
        raise AgendaError(
            str(
                _l("The mail server did not accept the agendas. Nothing was sent; try again later.")
            )
        )
    event.agendas_sent_at = now
    db.session.flush()
    return result


# --------------------------------------------------------------------------
# The CSV export
# --------------------------------------------------------------------------


def outcome_label(outcome: MeetingOutcome | None) -> str:
    if outcome is MeetingOutcome.FOLLOW_UP:
        return str(_l("Follow-up wanted"))
    if outcome is MeetingOutcome.NO_FOLLOW_UP:
        return str(_l("No follow-up"))
    return ""


def source_label(source: MeetingSource) -> str:
    return str(_l("Engine")) if source is MeetingSource.ENGINE else str(_l("By hand"))


def _iso(moment: datetime) -> str:
    return utc_to_oslo(moment).isoformat(timespec="minutes")


def csv_filename(event: Event) -> str:
    """ASCII only: the session id and its date in Oslo."""
    return f"springbrett-{event.id}-{utc_to_oslo(event.starts_at).date().isoformat()}-schedule.csv"


def schedule_csv(event: Event) -> str:
    """The whole schedule, one row per meeting, headed in the reader's language
    (written by :func:`matchmaking.spreadsheet.csv_text`: safe in a spreadsheet)."""
    header = [
        str(_l("Slot")),
        str(_l("Start")),
        str(_l("End")),
        str(_l("Company")),
        str(_l("Proposal id")),
        str(_l("Investor")),
        str(_l("Investor id")),
        str(_l("Affinity")),
        str(_l("Source")),
        str(_l("Outcome")),
        str(_l("Outcome note")),
    ]
    names = investor_names(m.investor for m in event.meetings)
    rows: list[list[Cell]] = []
    for m in event.meetings:
        start, end = slot_times(event, m.slot)
        rows.append(
            [
                m.slot + 1,
                _iso(start),
                _iso(end),
                m.proposal.title,
                m.proposal_id,
                str(names[m.investor_id]),
                m.investor_id,
                Decimal(f"{m.affinity:.4f}"),
                source_label(m.source),
                outcome_label(m.outcome),
                m.outcome_note,
            ]
        )
    return csv_text(header, rows)


# --------------------------------------------------------------------------
# Outcomes
# --------------------------------------------------------------------------


def can_record(user: User, meeting: Meeting) -> bool:
    """Organisers for every meeting; an approved investor for their own."""
    if user.is_organiser:
        return True
    return bool(user.is_approved_investor and meeting.investor_id == user.id)


def meetings_for(event: Event, user: User) -> list[Meeting]:
    """The meetings whose outcome ``user`` may record, in slot order."""
    rows = [m for m in event.meetings if can_record(user, m)]
    rows.sort(key=lambda m: (m.slot, m.proposal.title.casefold(), m.id))
    return rows


def record_outcome(
    meeting: Meeting,
    actor: User,
    outcome: str | None,
    note: str = "",
    now: datetime | None = None,
) -> ProposalEvent | None:
    """Record (or change) the outcome; a wanted follow-up moves the proposal to
    "in dialogue" and tells the founder. Returns that timeline entry, if any."""
    now = now or utcnow()
    event = meeting.event
    if not can_record(actor, meeting):
        raise AgendaError(
            str(_l("Only the organisers and the investor in this meeting can record its outcome."))
        )
    start, _end = slot_times(event, meeting.slot)
    if start > now:
        raise AgendaError(
            str(
                _l(
                    "This meeting starts %(when)s. Its outcome can be recorded once it has started.",
                    when=format_datetime(start, "short"),
                )
            ),
            "outcome",
        )
    try:
        value = MeetingOutcome(outcome or "")
    except ValueError:
        raise AgendaError(str(_l("Choose whether a follow-up is wanted.")), "outcome") from None
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise AgendaError(str(_l("At most %(max)d characters, please.", max=NOTE_MAX)), "note")
    meeting.outcome = value
    meeting.outcome_note = note
    meeting.outcome_by_id = actor.id
    meeting.outcome_at = now
    moved = None
    if value is MeetingOutcome.FOLLOW_UP:
        proposal: Proposal = meeting.proposal
        founder = proposal.company.owner
        with force_locale(founder.locale):
            comment = str(
                _l(
                    "After the Springbrett session “%(title)s” on %(day)s an investor wants to follow up."
                    " BAN Ofoten will help you with the next step.",
                    title=event.title,
                    day=format_date(event.starts_at, "long"),
                )
            )
        moved = enter_dialogue(proposal, actor, comment)
        if moved is not None:
            notify_founder(proposal, moved)
    db.session.flush()
    return moved


def mark_held(event: Event, actor: User, now: datetime | None = None) -> list[Proposal]:
    """Once the session has started: every pitching proposal still "accepted"
    becomes "pitched". Returns those moved (none when all have moved on)."""
    now = now or utcnow()
    if event.starts_at > now:
        raise AgendaError(
            str(
                _l(
                    "The session starts %(when)s: it can be marked as held once it has started.",
                    when=format_datetime(event.starts_at, "short"),
                )
            )
        )
    if event.lineup_published_at is None:
        raise AgendaError(
            str(_l("No line-up was published for this session, so no proposal has pitched."))
        )
    moved = []
    for candidate in pitching_candidates(event):
        proposal = candidate.proposal
        if proposal.status is not Status.ACCEPTED:
            continue
        with force_locale(proposal.company.owner.locale):
            comment = str(_l("Pitched at the Springbrett session “%(title)s”.", title=event.title))
        transition(proposal, Status.PITCHED, actor, comment)
        moved.append(proposal)
    db.session.flush()
    return moved
