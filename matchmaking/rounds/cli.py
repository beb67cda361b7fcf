"""``flask --app wsgi rounds remind``: tell everyone concerned that a round's
closing date is near.

Meant for cron (daily, say); idempotent: each round is reminded once
(``Round.closing_reminded_at``), 7 days before its closing date or, if the
command did not run then, later while the round is still open. ``--now``
pretends another time (ISO 8601; UTC when no zone is given), for tests. Bad
input ends with ``error: ...`` and exit status 2, never a traceback.
"""

from __future__ import annotations

from datetime import UTC, datetime

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

from matchmaking import mail
from matchmaking.commandline import Command, fail, parse_now
from matchmaking.extensions import db
from matchmaking.rounds.services import remind_closing

rounds = AppGroup("rounds", help="Funding rounds.")


@rounds.command("remind", cls=Command)
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Pretend it is this time (ISO 8601, UTC if no zone is given). Default: now.",
)
def remind(now_text: str | None) -> None:
    """Tell everyone concerned, once, that an open round closes within 7 days."""
    now = datetime.now(UTC)
    if now_text is not None:
        try:
            now = parse_now(now_text)
        except ValueError:
            fail(f"--now must be a date and time like 2027-01-05T12:00, not {now_text!r}")
    try:
        sent = remind_closing(now)
        db.session.commit()
        mail.wait_for_deliveries()  # nothing queued is lost when the command exits
    except (OperationalError, ProgrammingError):
        fail("the database has no tables yet: run 'flask --app wsgi db upgrade' first")
    for round_, told in sent:
        click.echo(
            f"Reminded {told} about the round for {round_.proposal.title!r} "
            f"(closes {round_.closes_on.isoformat() if round_.closes_on else '-'})."
        )
    click.echo(f"Rounds reminded: {len(sent)}.")
