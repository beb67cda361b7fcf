"""Who takes part in a Springbrett session: one definition each, used by the
line-up, the invitations, the meetings, the schedule and the agendas.

- *Attending investors* (:func:`attendee_investors`): the signed-up users who
  are approved investors and whose account is active (``User.is_active``: not
  disabled, e-mail confirmed). An account with an unconfirmed e-mail cannot
  log in (the login form refuses it and the session loader drops it), so such
  an investor could neither choose meetings, read an agenda nor be reached at
  a confirmed address: they do not count on the line-up page (the engine's
  attendees, "each investor's best pitch"), the meetings page, the schedule
  or the agendas until they confirm. The line-up page and the meetings page
  therefore always name the same investors.
- *Standing candidates* (:data:`MAY_STAND`): a candidate whose founder is not
  yet invited goes into the engine while the proposal is accepted for
  Springbrett, already pitched elsewhere, or in dialogue with an investor
  (an accepted introduction). Going in dialogue does not end a founder's
  candidacy; withdrawn, declined, closed or funded does.
- *Pitching* (:func:`keeps_pitching`, ``EventCandidate.pitching``): a founder
  invited by a published line-up (or who accepted) keeps the place while the
  proposal may stand (:data:`MAY_STAND`). Once the session has started the
  programme is also the record of what was pitched: a proposal funded since
  stays in it (:data:`KEEPS_PITCHING`); withdrawn, declined or closed (out of
  the investors' sight) leaves it at any time.
- A proposal may be *added* as a candidate (:data:`MAY_APPLY`) only while it
  is accepted for Springbrett.
- *Why a candidate is out* (:func:`out_reason`), in the user's language: the
  line-up page lists it for organisers and the session page tells the
  founder.
- The pitching order and times: :func:`pitching_candidates` (line-up order),
  :func:`place_time` and :func:`pitch_time`.

These status sets belong with the proposal lifecycle; when
``matchmaking/proposals/lifecycle.py`` exists they should move there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from matchmaking.accounts.models import User
from matchmaking.events.models import Event, EventCandidate, InvitationStatus
from matchmaking.extensions import utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.lifecycle import KEEPS_PITCHING, MAY_STAND
from matchmaking.proposals.services import status_label

OSLO = ZoneInfo("Europe/Oslo")


def oslo_to_utc(day: date, at: time) -> datetime:
    """A wall-clock time in Norway as UTC (DST handled by zoneinfo).

    A time that happens twice (the night the clocks go back, 02:00-02:59 on
    the last Sunday of October) is taken as the first one, still summer time;
    a time that never happens (the clocks go forward past 02:00-02:59 on the
    last Sunday of March) is refused by :func:`check_event` (see
    :func:`exists_in_oslo`), so it is never stored shifted by an hour.
    """
    return datetime.combine(day, at, tzinfo=OSLO).astimezone(UTC)


def utc_to_oslo(moment: datetime) -> datetime:
    return moment.astimezone(OSLO)


def place(event: Event) -> str:
    """Where the session is: the venue, then its municipality unless the venue
    already names it ("Malmen, Narvik" stays as it is, "Malmen" gets ", Narvik")."""
    venue = event.venue.strip()
    municipality = event.municipality.name
    parts = [part.strip().casefold() for part in venue.split(",")]
    if municipality.casefold() in parts:
        return venue
    return f"{venue}, {municipality}"


def exists_in_oslo(day: date, at: time) -> bool:
    """False for a wall-clock time skipped when the clocks go forward in Norway."""
    back = utc_to_oslo(oslo_to_utc(day, at))
    return (back.date(), back.time()) == (day, at)


def attendee_investors(event: Event) -> list[User]:
    """The signed-up investors who attend: approved, and the account active
    (not disabled, e-mail confirmed), in sign-up order."""
    return [a.user for a in event.attendees if attends(a.user)]


def attends(user: User) -> bool:
    """Whether a signed-up ``user`` counts as an attending investor."""
    return user.is_approved_investor and user.is_active


def keeps_pitching(candidate: EventCandidate) -> bool:
    """In the published programme (invited or accepted) and the proposal may
    still stand; after the session's start, also when funded since."""
    if not candidate.holds_invitation:
        return False
    status = candidate.proposal.status
    if status in MAY_STAND:
        return True
    return status in KEEPS_PITCHING and candidate.event.starts_at <= utcnow()


def out_reason(candidate: EventCandidate) -> str | None:
    """Why a candidate cannot go into the engine, in the user's language (None: it can).

    A founder not yet invited needs a proposal in :data:`MAY_STAND`. One
    already invited keeps their place while the proposal is in the investors'
    sight (:func:`keeps_pitching`).
    """
    if candidate.invitation is InvitationStatus.DECLINED:
        return str(_l("The founder declined the invitation to pitch."))
    status = candidate.proposal.status
    if candidate.holds_invitation and keeps_pitching(candidate):
        return None
    if status not in MAY_STAND:
        return str(
            _l(
                "The proposal is no longer accepted (now: %(status)s).",
                status=status_label(status),
            )
        )
    return None


def pitching_candidates(event: Event) -> list[EventCandidate]:
    """The pitching candidates in line-up order (none before the line-up is published)."""
    if event.lineup_published_at is None:
        return []
    chosen = [c for c in event.candidates if c.pitching]
    chosen.sort(
        key=lambda c: (
            c.lineup_position is None,
            c.lineup_position or 0,
            c.proposal.title,
            c.proposal_id,
        )
    )
    return chosen


def place_time(event: Event, place: int) -> datetime:
    """When place ``place`` (0 = first) of the line-up starts, in UTC."""
    return event.starts_at + timedelta(minutes=place * event.minutes_per_pitch)


def pitch_time(event: Event, position: int | None) -> datetime | None:
    """When the pitch at ``position`` (0 = first) starts, in UTC."""
    if position is None:
        return None
    return place_time(event, position)
