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
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale

from matchmaking.accounts.models import User
from matchmaking.events import notifications
from matchmaking.events.agenda.calendar import calendar, ics_filename, ics_host
from matchmaking.events.agenda.services import agenda_for, agenda_link, participants
from matchmaking.events.errors import EventError
from matchmaking.events.models import Event
from matchmaking.events.versioning import check_version, claim
from matchmaking.extensions import db, utcnow
from matchmaking.i18n import lazy_gettext as _l

log = logging.getLogger(__name__)


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
