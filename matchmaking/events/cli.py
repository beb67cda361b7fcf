"""``flask --app wsgi events remind``: remind founders of the reply deadline.

Meant for cron (hourly, say); idempotent: a reminder goes once per invitation
(:mod:`matchmaking.events.lineup.reminders`). ``--now`` pretends another time
(ISO 8601; UTC when no zone is given), for tests. Bad input ends with
``error: ...`` and exit status 2, never a traceback.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from matchmaking import cron
from matchmaking.commandline import Command
from matchmaking.cron import now_option

events = AppGroup("events", help="Springbrett sessions.")


@events.command("remind", cls=Command)
@now_option
def remind(now_text: str | None) -> None:
    """Remind founders whose invitation to pitch is unanswered 48 hours before its deadline."""
    from matchmaking.events.lineup.reminders import send_reminders

    sent = cron.run(send_reminders, now_text)
    click.echo(f"Reminders sent: {sent}.")
