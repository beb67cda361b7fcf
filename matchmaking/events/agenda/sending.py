"""E-mailing each participant their Springbrett agenda. Functions flush, never commit.

Sending agendas
    Only once the 1:1 schedule is built; checked against the session's
    version like the session form, and the version is bumped. Every active
    participant gets the agenda in their own language with the ``.ics``
    attached. Sending again later sends everyone the current agenda again;
    the session page says when agendas were last sent. A recipient whose
    message could not be handed to the mail server is named to the organiser.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale

from matchmaking.accounts.models import User
from matchmaking.events import notifications
from matchmaking.events.agenda.calendar import calendar, ics_filename, ics_host
from matchmaking.events.agenda.services import agenda_for, agenda_link, participants
from matchmaking.events.errors import EventError
from matchmaking.events.meetings.grid import Clash, clashes
from matchmaking.events.models import Event, InvitationStatus
from matchmaking.events.versioning import check_version, claim
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)

#: The clashes that mean the schedule predates a change of who takes part.
OUTDATED = ("not_signed_up", "not_pitching")


@dataclass
class BeforeSending:
    """What the organiser is told on the confirm step before agendas go out."""

    #: How many participants would get an agenda (0: sending is refused anyway).
    recipients: int
    #: The proposals whose founders are invited to pitch and have not accepted yet.
    unanswered: list[str]
    #: When the 1:1 schedule last changed (built, or edited by hand), if built.
    schedule_at: datetime | None
    #: The last change of who pitches: the line-up published, or a founder's decline.
    plan_changed_at: datetime | None
    #: The schedule's meetings with an investor who no longer comes (cancelled,
    #: or no longer approved) or a company that no longer pitches, in words.
    outdated: list[Clash] = field(default_factory=list)

    @property
    def outdated_meetings(self) -> int:
        """How many meetings :attr:`outdated` names (a meeting may clash both ways)."""
        return len({c.meeting_id for c in self.outdated})

    @property
    def behind_the_programme(self) -> bool:
        """The schedule was made before the line-up was last published or a founder declined."""
        return (
            self.schedule_at is not None
            and self.plan_changed_at is not None
            and self.schedule_at < self.plan_changed_at
        )

    @property
    def stale(self) -> bool:
        """The schedule is older than the last change of who takes part: of who
        pitches, or an investor with meetings cancelled (their meetings stay
        until an organiser removes or moves them)."""
        return self.behind_the_programme or bool(self.outdated)


def before_sending(event: Event) -> BeforeSending:
    """The counts and times the confirm step of :func:`send_agendas` shows.

    The schedule's time is ``Event.schedule_changed_at`` when set (a hand edit
    after the build), else ``schedule_built_at``; who pitches last changed when
    the line-up was last published or a founder in it last declined.

    An investor's cancellation leaves no time behind (the sign-up row goes),
    but it leaves their meetings in the schedule: those meetings, and any with
    a company that no longer pitches, are the schedule's clashes of kinds
    ``not_signed_up`` and ``not_pitching``
    (:func:`matchmaking.events.meetings.grid.clashes`), and while there are
    any the schedule is older than the last change, whatever the times say."""
    changes = [event.lineup_published_at] + [
        c.responded_at for c in event.candidates if c.invitation is InvitationStatus.DECLINED
    ]
    known = [t for t in changes if t is not None]
    schedule_times = [t for t in (event.schedule_built_at, event.schedule_changed_at) if t]
    return BeforeSending(
        recipients=sum(1 for p in participants(event) if p.user.is_active),
        unanswered=sorted(
            c.proposal.title
            for c in event.candidates
            if c.invitation is InvitationStatus.INVITED and c.pitching
        ),
        schedule_at=max(schedule_times) if schedule_times else None,
        plan_changed_at=max(known) if known else None,
        outdated=[c for c in clashes(event) if c.kind in OUTDATED] if event.meetings else [],
    )


@dataclass
class Sent:
    sent: list[User]
    failed: list[User]


def send_agendas(event: Event, version: int | str | None, now: datetime | None = None) -> Sent:
    """E-mail every active participant their agenda with the ``.ics`` attached;
    claims the session's version first (nothing is sent from a stale page)."""
    check_version(event, version)
    if event.schedule_built_at is None:
        raise EventError(
            str(_l("Agendas can be sent once the 1:1 schedule is built. Build it first."))
        )
    recipients = [p.user for p in participants(event) if p.user.is_active]
    if not recipients:
        raise EventError(
            str(_l("Nobody takes part in this session yet: there is no one to send to."))
        )
    claim(event, version)
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
        raise EventError(
            str(
                _l("The mail server did not accept the agendas. Nothing was sent; try again later.")
            )
        )
    event.agendas_sent_at = now
    db.session.flush()
    return result
