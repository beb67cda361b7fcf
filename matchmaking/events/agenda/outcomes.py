"""What came of a Springbrett session's meetings. Functions flush, never commit.

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

from datetime import datetime

from flask_babel import force_locale

from matchmaking.accounts.models import User
from matchmaking.dates import day, when_short
from matchmaking.events.agenda.services import slot_times
from matchmaking.events.errors import EventError
from matchmaking.events.models import (
    OUTCOME_NOTE_MAX,
    Event,
    Meeting,
    MeetingOutcome,
    MeetingSource,
)
from matchmaking.events.programme import pitching_candidates
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.proposals.models import Proposal, ProposalEvent, Status
from matchmaking.proposals.services import enter_dialogue, notify_founder, transition


def outcome_label(outcome: MeetingOutcome | None) -> str:
    if outcome is MeetingOutcome.FOLLOW_UP:
        return str(_l("Follow-up wanted"))
    if outcome is MeetingOutcome.NO_FOLLOW_UP:
        return str(_l("No follow-up"))
    return ""


def source_label(source: MeetingSource) -> str:
    return (
        str(_l("Planned automatically")) if source is MeetingSource.ENGINE else str(_l("By hand"))
    )


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
        raise EventError(
            str(_l("Only the organisers and the investor in this meeting can record its outcome."))
        )
    start, _end = slot_times(event, meeting.slot)
    if start > now:
        raise EventError(
            str(
                _l(
                    "This meeting starts %(when)s. Its outcome can be recorded once it has started.",
                    when=when_short(start),
                )
            ),
            "outcome",
        )
    try:
        value = MeetingOutcome(outcome or "")
    except ValueError:
        raise EventError(str(_l("Choose whether a follow-up is wanted.")), "outcome") from None
    note = (note or "").strip()
    if len(note) > OUTCOME_NOTE_MAX:
        raise EventError(
            str(_l("At most %(max)d characters, please.", max=OUTCOME_NOTE_MAX)), "note"
        )
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
                    day=day(event.starts_at),
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
        raise EventError(
            str(
                _l(
                    "The session starts %(when)s: it can be marked as held once it has started.",
                    when=when_short(event.starts_at),
                )
            )
        )
    if event.lineup_published_at is None:
        raise EventError(
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
