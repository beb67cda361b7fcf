"""``flask --app wsgi events remind``: remind founders of the reply deadline.

Meant for cron (hourly, say); idempotent: a reminder goes once per invitation
(:mod:`matchmaking.events.lineup.reminders`). ``--now`` pretends another time
(ISO 8601; UTC when no zone is given), for tests. Bad input ends with
``error: ...`` and exit status 2, never a traceback.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

from matchmaking import mail
from matchmaking.commandline import Command, fail, parse_now
from matchmaking.extensions import db

events = AppGroup("events", help="Springbrett sessions.")


@events.command("remind", cls=Command)
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Pretend it is this time (ISO 8601, UTC if no zone is given). Default: now.",
)
def remind(now_text: str | None) -> None:
    """Remind founders whose invitation to pitch is unanswered 48 hours before its deadline."""
    from matchmaking.events.lineup.reminders import send_reminders

    now = datetime.now(UTC)
    if now_text is not None:
        try:
            now = parse_now(now_text)
        except ValueError:
            fail(f"--now must be a date and time like 2027-01-05T12:00, not {now_text!r}")
    try:
        sent = send_reminders(now)
        db.session.commit()
        mail.wait_for_deliveries()  # nothing queued is lost when the command exits
    except (OperationalError, ProgrammingError):
        fail("the database has no tables yet: run 'flask --app wsgi db upgrade' first")
    click.echo(f"Reminders sent: {sent}.")
