"""Every e-mail a Springbrett session sends, each in its recipient's language.

docs/notifications.md lists them all: who gets each, when, and its subject.

The services decide who is told what and when; these functions only say it.
All but the agendas are queued on the database session and go out after the
commit (:func:`matchmaking.mail.send_to`); agendas are sent at once so that
failed sends can be counted and shown to the organiser.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from matchmaking.accounts.models import InvestorStatus, Role, User
from matchmaking.events.models import Event, EventCandidate
from matchmaking.events.programme import attendee_investors, pitch_time
from matchmaking.extensions import db
from matchmaking.i18n import lazy_gettext as _l
from matchmaking.mail import Attachment, absolute_url, send_to
from matchmaking.proposals.models import Proposal


def founder_of(candidate: EventCandidate) -> User:
    owner: User = candidate.proposal.company.owner
    return owner


def changed_times(event: Event) -> int:
    """Each pitching founder their new pitch time, each signed-up investor the
    new times and place. Returns how many were told."""
    link = absolute_url("events.show", event_id=event.id)
    # (person, proposal, pitch time): founders with their pitch, investors with none.
    founders: list[tuple[User, Proposal | None, datetime | None]] = [
        (founder_of(c), c.proposal, pitch_time(event, c.lineup_position))
        for c in event.candidates
        if c.pitching
    ]
    people = [f for f in founders if f[0].disabled_at is None]
    people += [(investor, None, None) for investor in attendee_investors(event)]
    for person, proposal, starts_at in people:
        send_to(
            person,
            _l("New times for %(event)s", event=event.title),
            "event_changed",
            person=person,
            event=event,
            proposal=proposal,
            starts_at=starts_at,
            link=link,
        )
    return len(people)


def invited(event: Event, candidate: EventCandidate) -> None:
    """The founder of a newcomer to a published line-up: an invitation to pitch."""
    founder = founder_of(candidate)
    send_to(
        founder,
        _l("Invitation to pitch at %(event)s", event=event.title),
        "event_invitation",
        founder=founder,
        event=event,
        proposal=candidate.proposal,
        starts_at=pitch_time(event, candidate.lineup_position),
        reply_by=event.reply_by,
        link=absolute_url("events.show", event_id=event.id),
    )


def reply_reminder(event: Event, candidate: EventCandidate) -> None:
    """The founder of an unanswered invitation: the reply deadline is near."""
    founder = founder_of(candidate)
    send_to(
        founder,
        _l("Reminder: answer the invitation to pitch at %(event)s", event=event.title),
        "event_reply_reminder",
        founder=founder,
        event=event,
        proposal=candidate.proposal,
        starts_at=pitch_time(event, candidate.lineup_position),
        reply_by=event.reply_by,
        link=absolute_url("events.show", event_id=event.id),
    )


def left_out(event: Event, candidate: EventCandidate) -> None:
    """The founder of a candidate the published line-up leaves out: not this time."""
    founder = founder_of(candidate)
    send_to(
        founder,
        _l(
            "Not this time: “%(title)s” at %(event)s",
            title=candidate.proposal.title,
            event=event.title,
        ),
        "event_left_out",
        founder=founder,
        event=event,
        proposal=candidate.proposal,
        link=absolute_url("events.show", event_id=event.id),
    )


def approved_investors() -> list[User]:
    """Every approved investor whose account is active (confirmed, not disabled)."""
    query = select(User).where(
        User.role == Role.INVESTOR,
        User.investor_status == InvestorStatus.APPROVED,
        User.disabled_at.is_(None),
        User.email_confirmed_at.is_not(None),
    )
    return list(db.session.scalars(query.order_by(User.id)))


def session_announced(event: Event) -> int:
    """Each approved, active investor: a new session is published, with the
    link to sign up. Returns how many were told."""
    investors = approved_investors()
    if not investors:
        return 0
    link = absolute_url("events.show", event_id=event.id)
    for investor in investors:
        send_to(
            investor,
            _l("New Springbrett session: %(event)s", event=event.title),
            "event_announced",
            investor=investor,
            event=event,
            link=link,
        )
    return len(investors)


def choices_opened(event: Event) -> int:
    """Each signed-up, approved, active investor: the programme is published and
    they can choose whom to meet. Returns how many were told."""
    investors = attendee_investors(event)
    if not investors:
        return 0
    link = absolute_url("events.meetings", event_id=event.id)
    for investor in investors:
        send_to(
            investor,
            _l("Choose whom to meet at %(event)s", event=event.title),
            "event_choices_open",
            investor=investor,
            event=event,
            meetings_start_at=event.meetings_start_at,
            link=link,
        )
    return len(investors)


def removed_from_lineup(event: Event, candidate: EventCandidate) -> None:
    """The founder of a candidate a newly published line-up no longer holds."""
    founder = founder_of(candidate)
    send_to(
        founder,
        _l("Change to the programme of %(event)s", event=event.title),
        "event_lineup_removed",
        founder=founder,
        event=event,
        proposal=candidate.proposal,
        link=absolute_url("events.show", event_id=event.id),
    )


def organisers_to_tell(event: Event) -> list[User]:
    """The session's creator while still an active organiser, else every active organiser."""
    creator = event.created_by
    if creator.is_organiser and creator.disabled_at is None:
        return [creator]
    query = select(User).where(User.role == Role.ORGANISER, User.disabled_at.is_(None))
    return list(db.session.scalars(query.order_by(User.id)))


def invitation_answered(event: Event, candidate: EventCandidate, accepted: bool) -> None:
    """The organisers: a founder accepted or declined the invitation to pitch."""
    link = absolute_url("events.lineup", event_id=event.id)
    title = candidate.proposal.title
    for organiser in organisers_to_tell(event):
        send_to(
            organiser,
            _l("“%(title)s” accepted the invitation to pitch", title=title)
            if accepted
            else _l("“%(title)s” declined the invitation to pitch", title=title),
            "event_lineup_answer",
            organiser=organiser,
            event=event,
            proposal=candidate.proposal,
            accepted=accepted,
            reason="" if accepted else candidate.decline_reason,
            starts_at=pitch_time(event, candidate.lineup_position),
            link=link,
        )


def agenda(user: User, event: Event, agenda: object, link: str, ics: Attachment) -> None:
    """One participant's agenda with its ``.ics``, sent at once: raises the
    mail server's error (``OSError`` or ``smtplib.SMTPException``)."""
    send_to(
        user,
        _l("Your agenda for %(title)s", title=event.title),
        "event_agenda",
        attachments=[ics],
        deliver_now=True,
        user=user,
        event=event,
        agenda=agenda,
        link=link,
    )
