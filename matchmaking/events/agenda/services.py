"""Who takes part in a Springbrett session and what each person's agenda
holds. Functions flush, never commit.

The rest of the agenda feature lives beside this module: :mod:`.calendar`
(the ``.ics`` file), :mod:`.sending` (the agenda e-mails), :mod:`.outcomes`
(what came of the meetings) and :mod:`.export` (the schedule as CSV).

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
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from matchmaking.accounts.models import User
from matchmaking.events.errors import EventError
from matchmaking.events.meetings.services import investor_names
from matchmaking.events.models import Event, Meeting
from matchmaking.events.programme import (
    attendee_investors,
    attends,
    pitch_time,
    pitching_candidates,
)
from matchmaking.extensions import utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail import absolute_url

INVESTOR = "investor"
FOUNDER = "founder"


# --------------------------------------------------------------------------
# Whether what people were sent is still the plan
# --------------------------------------------------------------------------


def schedule_changed(event: Event) -> datetime | None:
    """When the schedule last changed (built or edited); None: there is none."""
    return event.schedule_changed_at or event.schedule_built_at


def agendas_out_of_date(event: Event) -> bool:
    """The agendas were sent, but before the schedule or the programme last changed."""
    sent = event.agendas_sent_at
    if sent is None:
        return False
    changes = [t for t in (schedule_changed(event), event.lineup_published_at) if t is not None]
    return any(t > sent for t in changes)


def plan_is_final(event: Event) -> bool:
    """The agendas went out and nothing in the schedule or the programme changed
    since: the agenda page stops saying that the schedule may still change."""
    return event.agendas_sent_at is not None and not agendas_out_of_date(event)


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
    """``user``'s agenda; EventError when they take no part in ``event``."""
    kind = participant_kind(event, user)
    if kind is None:
        raise EventError(
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


@dataclass(frozen=True)
class NextItem:
    """What the person has next: their pitch, a 1:1 meeting, or (an investor
    before the pitches end) the pitch programme; the top of a phone's agenda."""

    starts_at: datetime
    ends_at: datetime
    pitch: Pitch | None = None
    meeting: AgendaMeeting | None = None


def next_item(agenda: Agenda, now: datetime) -> NextItem | None:
    """The person's own item that has not ended by ``now``, earliest first
    (None for the overview, or once everything is over)."""
    if agenda.user is None:
        return None
    items = [NextItem(p.starts_at, p.ends_at, pitch=p) for p in agenda.own_pitches]
    items += [NextItem(m.starts_at, m.ends_at, meeting=m) for m in agenda.meetings]
    if agenda.kind == INVESTOR and agenda.pitches:
        items.append(NextItem(agenda.pitches[0].starts_at, max(p.ends_at for p in agenda.pitches)))
    upcoming = [i for i in items if i.ends_at > now]
    return min(upcoming, key=lambda i: (i.starts_at, i.pitch is None)) if upcoming else None


def overview(event: Event) -> Agenda:
    """The organisers' view: the programme and every participant."""
    return Agenda(event, None, None, programme(event), participants=participants(event))


def agenda_link(event: Event) -> str:
    """The agenda page's full address (in e-mails and the ``.ics``)."""
    return absolute_url("events.agenda", event_id=event.id)
