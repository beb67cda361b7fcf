"""``flask --app wsgi rounds remind``: tell everyone concerned that a round's
closing date is near.

Meant for cron (daily, say); idempotent: each round is reminded once
(``Round.closing_reminded_at``), 7 days before its closing date or, if the
command did not run then, later while the round is still open. ``--now``
pretends another time (ISO 8601; UTC when no zone is given), for tests. Bad
input ends with ``error: ...`` and exit status 2, never a traceback.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from matchmaking import cron
from matchmaking.commandline import Command
from matchmaking.cron import now_option
from matchmaking.rounds.services import remind_closing

rounds = AppGroup("rounds", help="Funding rounds.")


@rounds.command("remind", cls=Command)
@now_option
def remind(now_text: str | None) -> None:
    """Tell everyone concerned, once, that an open round closes within 7 days."""
    sent = cron.run(remind_closing, now_text)
    for round_, told in sent:
        click.echo(
            f"Reminded {told} about the round for {round_.proposal.title!r} "
            f"(closes {round_.closes_on.isoformat() if round_.closes_on else '-'})."
        )
    click.echo(f"Rounds reminded: {len(sent)}.")
