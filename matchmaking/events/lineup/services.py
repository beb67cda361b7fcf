"""The Springbrett line-up's actions: the engine proposes the pitches,
organisers pin, exclude, weigh and publish, founders accept or decline.
Functions flush, never commit; a broken rule raises
:class:`~matchmaking.events.errors.EventError` and changes nothing.

The engine's problem and its refusals in words are
:mod:`matchmaking.events.lineup.adapter`; what the pages show (and when a
stored line-up is out of date) is :mod:`matchmaking.events.lineup.state`.

Choices where the issue is silent (a good angel-network platform would do
this, and the page explains it):

- A run is refused, with every broken rule named in the user's language and
  nothing changed, when the rules cannot all be met (see the adapter).
- A change of a pin, an exclusion or the screening weight after a run clears
  ``Event.lineup_bound`` (:func:`_changed`: the proof belonged to the old
  input) while the line-up, its value and its run time stay; the page then
  shows the line-up as out of date, unpublishable until it is run again.
- Once a line-up has been published, the founders who are invited or have
  accepted keep their places, and so their pitch times: a new run keeps every
  one of them who can still pitch and is not excluded (as if pinned) at the
  place they were invited for, and newcomers take only the free places, in
  the engine's order (:func:`_positions`). When the new line-up is smaller
  than the old one this can leave a place empty before the last pitch; the
  page says so. An invited founder's place beyond the session's pitch slots
  (the slots were reduced after publishing) is refused as a rule, never
  moved: exclude the founder (publishing tells them) or add pitch slots.
- Until it is published, a new run changes only the organisers' page: an
  invited founder whom a new run leaves out keeps ``lineup_position`` at
  their published place until publishing (:func:`_store`); everyone else's
  ``lineup_position`` is the place in the last run.
- Publishing invites the candidates in the line-up who have no invitation yet;
  invited (or accepted) founders no longer in the line-up are told by e-mail
  that they are not in the programme and their invitation is cleared. A
  founder who declined keeps the "declined" record. Nobody's time changes on
  publishing (see above), so no founder needs a "new time" e-mail.
- A founder may accept an open invitation, and decline it (also after
  accepting: plans change). A decline is final for this session: accepting
  again is refused with a message to contact BAN Ofoten; the organisers see
  the decline and can propose the next best line-up. Answers are refused once
  the session has started.
- Answers are e-mailed to the organiser who created the session (all active
  organisers when that account is disabled), in their language.
- The next best line-up pins every founder who is invited or has accepted
  (and is not excluded) and keeps out the declined, so only the free places
  change. The pins are saved, so the candidates table shows why (a plain run
  keeps them too, see above).
- Every change to the line-up bumps ``Event.version`` (a run, a pin or
  exclusion, the weight, publishing, a founder's decline; an accept changes
  nothing an organiser's page shows, so it does not). The weight form, runs
  and publishing carry the version they were shown; a stale one is refused
  with :class:`~matchmaking.events.errors.StaleError`, the session form's
  "changed by someone else" message (:func:`~matchmaking.events.versioning.check_version`).
- Publishing sets the invitations' reply deadline (``Event.reply_by``,
  :func:`reply_deadline`): by default 7 days after publishing, never after the
  session starts; the organiser may choose another time before the session.
  Candidates the published line-up leaves out who were never invited get one
  "not this time" e-mail each (``EventCandidate.left_out_at``). The first
  publishing that puts companies in the programme also tells the signed-up
  investors that they can choose whom to meet (``Event.choices_announced_at``,
  once). See docs/notifications.md.
- Once the programme is published, an edit of the session that moves its
  times or place e-mails everyone in it (:func:`timing`,
  :func:`tell_changed_times`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from matchmaking.accounts.models import User
from matchmaking.dates import when
from matchmaking.engine import LineupResult
from matchmaking.events import notifications
from matchmaking.events.errors import EventError
from matchmaking.events.lineup.adapter import EngineInput, engine_input, solve
from matchmaking.events.lineup.state import declined_in_lineup, lineup_state
from matchmaking.events.models import Event, EventCandidate, InvitationStatus
from matchmaking.events.programme import out_reason
from matchmaking.events.versioning import check_version
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.lifecycle import MAY_STAND

#: The screening weight's range.
MIN_SCREENING_WEIGHT, MAX_SCREENING_WEIGHT = 0.0, 10.0
#: The engine's work budget for one run from the web page, in seconds (about).
TIME_LIMIT = 5.0

ACTIONS = ("pin", "exclude", "clear")


def _changed(event: Event) -> None:
    """Bump the version; a stored line-up is out of date until it is run again."""
    event.version += 1
    if event.lineup_run_at is not None:
        event.lineup_bound = None
        event.lineup_optimal = False


# --------------------------------------------------------------------------
# Runs
# --------------------------------------------------------------------------


@dataclass
class RunResult:
    """What one engine run gave: the line-up and who is who."""

    lineup: LineupResult
    input: EngineInput


def _positions(order: list[EventCandidate], keep: dict[int, int], slots: int) -> dict[int, int]:
    """Places for the new line-up: every candidate in ``keep`` (candidate id ->
    place) keeps its place; the others take the free places from the first, in
    ``order``. Places may be left empty (a gap) when the line-up is smaller
    than before; nobody kept is ever moved."""
    placed: dict[int, int] = {}
    for c in order:
        p = keep.get(c.id)
        if p is not None and p not in placed.values():
            placed[c.id] = p
    taken = set(placed.values())
    free = iter(p for p in range(max(slots, len(order)) + len(taken)) if p not in taken)
    for c in order:
        if c.id not in placed:
            placed[c.id] = next(free)
    return placed


def _store(event: Event, result: RunResult, now: datetime) -> None:
    """Store the run. Founders who are invited or have accepted keep their places
    (those in the run were kept by the engine as pinned; rule_problems refused
    a place past the slots), and those the run leaves out keep their published
    place until publishing tells them (see the module docstring)."""
    out = result.lineup
    order = [result.input.by_id[int(k)].candidate for k in out.lineup]
    keep = {
        c.id: c.lineup_position
        for c in event.candidates
        if c.holds_invitation and c.lineup_position is not None
    }
    places = _positions(order, keep, event.pitch_slots)
    for c in event.candidates:
        if c.id in places:
            c.lineup_position = places[c.id]
        elif not c.holds_invitation:
            c.lineup_position = None
    event.lineup_value = round(float(out.value), 6) + 0.0
    event.lineup_bound = round(float(out.bound), 6) + 0.0
    event.lineup_optimal = bool(out.optimal)
    event.lineup_run_at = now
    event.version += 1
    db.session.flush()


def run(
    event: Event,
    version: Any,
    *,
    now: datetime | None = None,
    time_limit: float = TIME_LIMIT,
) -> RunResult:
    """Propose a line-up with the engine and store it (raises EventError, changing nothing)."""
    check_version(event, version, lock=False)
    inp = engine_input(event)
    result = RunResult(solve(event, inp, time_limit), inp)
    check_version(event, version, lock=True)
    _store(event, result, now or utcnow())
    return result


def next_best(
    event: Event,
    version: Any,
    *,
    now: datetime | None = None,
    time_limit: float = TIME_LIMIT,
) -> RunResult:
    """After a decline: pin every invited or accepted founder (saved), keep out the
    declined, and run again, so only the free places change."""
    check_version(event, version, lock=False)
    if not declined_in_lineup(event):
        raise EventError(str(_l("No founder in the line-up has declined.")))
    keep = [c for c in event.candidates if c.pitching and not c.excluded]
    for c in keep:
        c.pinned = True
    inp = engine_input(event)
    result = RunResult(solve(event, inp, time_limit), inp)
    check_version(event, version, lock=True)
    _store(event, result, now or utcnow())
    return result


# --------------------------------------------------------------------------
# Organiser choices
# --------------------------------------------------------------------------


def set_flag(event: Event, candidate: EventCandidate, action: str) -> bool:
    """Pin, exclude or clear a candidate (pinned and excluded are exclusive).

    Returns whether anything changed; a change marks the line-up out of date.
    """
    if action not in ACTIONS:
        raise EventError(str(_l("Choose pin, exclude or clear.")))
    if candidate.event_id != event.id:
        raise EventError(str(_l("That candidate is not in this session.")))
    if action == "pin":
        reason = out_reason(candidate)
        if reason is not None:
            raise EventError(
                str(
                    _l(
                        "“%(title)s” cannot be pinned: %(reason)s",
                        title=candidate.proposal.title,
                        reason=reason,
                    )
                )
            )
    wanted = (action == "pin", action == "exclude")
    if (candidate.pinned, candidate.excluded) == wanted:
        return False
    candidate.pinned, candidate.excluded = wanted
    _changed(event)
    db.session.flush()
    return True


def set_weight(event: Event, weight: float | None, version: Any) -> bool:
    """Save the screening weight (0 to 10). Returns whether it changed."""
    check_version(event, version, lock=True)
    if weight is None or not math.isfinite(weight):
        raise EventError(
            str(_l("Enter a number from 0 to 10, for example 1,5.")), field="screening_weight"
        )
    if not MIN_SCREENING_WEIGHT <= weight <= MAX_SCREENING_WEIGHT:
        raise EventError(str(_l("The weight must be from 0 to 10.")), field="screening_weight")
    weight = round(weight, 2)
    if math.isclose(weight, event.screening_weight, abs_tol=1e-9):
        return False
    event.screening_weight = weight
    _changed(event)
    db.session.flush()
    return True


# --------------------------------------------------------------------------
# Publishing and the founders' answers
# --------------------------------------------------------------------------


@dataclass
class Published:
    invited: list[EventCandidate]
    removed: list[EventCandidate]
    left_out: list[EventCandidate] = field(default_factory=list)


#: How long founders have to answer an invitation, unless the organiser says otherwise.
REPLY_TIME = timedelta(days=7)


def default_reply_by(event: Event, now: datetime) -> datetime:
    """The reply deadline the publish form offers: the one set before while it
    is still ahead, else 7 days from ``now``; never after the session starts.
    On the whole minute (the form shows no seconds)."""
    if event.reply_by is not None and now < event.reply_by <= event.starts_at:
        return event.reply_by
    return min(now + REPLY_TIME, event.starts_at).replace(second=0, microsecond=0)


def check_reply_by(event: Event, reply_by: datetime, now: datetime) -> None:
    """Refuse a deadline that has passed or falls after the session starts."""
    if reply_by <= now:
        raise EventError(
            str(_l("Choose a reply deadline later than now.")),
            field="reply_by",
        )
    if reply_by > event.starts_at:
        raise EventError(
            str(
                _l(
                    "The reply deadline must be before the session starts (%(start)s).",
                    start=when(event.starts_at),
                )
            ),
            field="reply_by",
        )


def _left_out(event: Event) -> list[EventCandidate]:
    """Candidates the published line-up leaves out who were never invited and
    not told yet (a withdrawn or declined proposal is not told)."""
    return [
        c
        for c in event.candidates
        if c.lineup_position is None
        and c.invitation is None
        and c.left_out_at is None
        and c.proposal.status in MAY_STAND
    ]


#: What a person plans their day by: a change to any of these after the
#: programme is published is e-mailed to the founders and investors in it.
TIMING = (
    "starts_at",
    "minutes_per_pitch",
    "meetings_start_at",
    "meeting_minutes",
    "venue",
    "municipality_id",
)


def timing(event: Event) -> tuple[Any, ...]:
    """The session's times and place, to compare before and after an edit."""
    return tuple(getattr(event, name) for name in TIMING)


def tell_changed_times(event: Event, before: tuple[Any, ...]) -> int:
    """After an edit of a published programme that moved its times or place
    (``before`` from :func:`timing`), e-mail each pitching founder their new
    pitch time and each signed-up investor the new times, in their language.
    Returns how many were told (0: nothing changed, or nothing published yet).
    """
    if event.lineup_published_at is None or timing(event) == before:
        return 0
    return notifications.changed_times(event)


def publish(
    event: Event,
    version: Any,
    *,
    reply_by: datetime | None = None,
    now: datetime | None = None,
) -> Published:
    """Invite the newcomers of the current line-up and tell those no longer in it,
    and those left out "not this time"; the invitations are to be answered by
    ``reply_by`` (None: :func:`default_reply_by`).

    Refused (nothing changed) on a stale version, a draft or past session, no
    line-up, a line-up that no longer fits the rules, or a reply deadline that
    has passed or falls after the session's start (``field="reply_by"``).
    """
    now = now or utcnow()
    check_version(event, version, lock=True)
    if not event.is_published:
        raise EventError(
            str(_l("Publish the session first: founders cannot be invited to a draft."))
        )
    if event.starts_at <= now:
        raise EventError(str(_l("This session has already started.")))
    state = lineup_state(event)
    if not state.has_run or not state.lineup:
        raise EventError(str(_l("Propose a line-up first.")))
    if state.out_of_date:
        raise EventError(
            str(_l("The line-up is out of date: propose it again before publishing.")),
            reasons=state.problems
            + [
                str(_l("“%(title)s” declined the invitation.", title=r.proposal.title))
                for r in state.declined
            ],
        )
    if reply_by is None:
        reply_by = default_reply_by(event, now)
    check_reply_by(event, reply_by, now)
    event.reply_by = reply_by
    invited: list[EventCandidate] = []
    removed: list[EventCandidate] = []
    leaving = {r.candidate.id for r in state.leaving}
    for c in event.candidates:
        if c.id in leaving:
            c.invitation = None
            c.invited_at = None
            c.responded_at = None
            c.lineup_position = None
            c.left_out_at = now  # told by removed_from_lineup; no "not this time" too
            removed.append(c)
        elif c.lineup_position is not None and c.invitation is None:
            c.invitation = InvitationStatus.INVITED
            c.invited_at = now
            c.responded_at = None
            invited.append(c)
    left_out = _left_out(event)
    for c in left_out:
        c.left_out_at = now
    event.lineup_published_at = now
    event.version += 1
    announce_choices = event.choices_announced_at is None and any(
        c.pitching for c in event.candidates
    )
    if announce_choices:
        event.choices_announced_at = now
    db.session.flush()
    for c in sorted(invited, key=lambda c: c.lineup_position or 0):
        notifications.invited(event, c)
    for c in removed:
        notifications.removed_from_lineup(event, c)
    for c in left_out:
        notifications.left_out(event, c)
    if announce_choices:
        notifications.choices_opened(event)
    return Published(invited, removed, left_out)


def answer(
    candidate: EventCandidate,
    founder: User,
    accept: bool,
    *,
    reason: str = "",
    now: datetime | None = None,
) -> bool:
    """The founder accepts or declines the invitation; the organisers are e-mailed.

    A decline keeps the founder's optional ``reason`` (the organisers see it on
    the line-up page and in their e-mail).

    Returns False (nothing changed, no e-mail) when the answer is the one
    already given. Raises EventError when there is no open invitation, after
    a decline (accepting again is not possible here), or once the session
    has started.
    """
    now = now or utcnow()
    if candidate.proposal.company.owner_id != founder.id:
        raise EventError(str(_l("Only the founder can answer this invitation.")))
    db.session.refresh(candidate, with_for_update=True)
    event = candidate.event
    status = candidate.invitation
    if status is None or event.lineup_published_at is None:
        raise EventError(str(_l("There is no open invitation for this proposal.")))
    if event.starts_at <= now:
        raise EventError(str(_l("This session has already started.")))
    if status is InvitationStatus.DECLINED:
        if accept:
            raise EventError(
                str(
                    _l(
                        "You have declined this invitation. If you have changed your mind,"
                        " contact BAN Ofoten: the place may have gone to someone else."
                    )
                )
            )
        return False
    if accept and status is InvitationStatus.ACCEPTED:
        return False
    candidate.invitation = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
    candidate.responded_at = now
    if not accept:  # the line-up loses a pitch: a page showing it as whole is out of date
        candidate.decline_reason = reason.strip()
        # version = version + 1 in SQL, so an organiser's save at the same moment
        # is not overwritten with a bump computed from an older value.
        db.session.execute(
            update(Event).where(Event.id == event.id).values(version=Event.version + 1),
            execution_options={"synchronize_session": "fetch"},
        )
    db.session.flush()
    notifications.invitation_answered(event, candidate, accept)
    return True
