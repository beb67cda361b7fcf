"""``flask --app wsgi results request``: ask funded companies for their report.

Meant for cron (daily, say). For every proposal with a funded round, period
``n`` is due ``6 * n`` months after the first funding date; when the latest
due period has no request yet, one is recorded and the founder is e-mailed a
link to the form. Only the latest: a command that did not run for a year
asks once, not twice. Idempotent: a second run sends nothing. ``--now``
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

results = AppGroup("results", help="Follow-up reports of the funded companies.")


@results.command("request", cls=Command)
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Pretend it is this time (ISO 8601, UTC if no zone is given). Default: now.",
)
def request(now_text: str | None) -> None:
    """Ask each funded company whose six-monthly report is due, once per period."""
    from matchmaking.results.services import send_requests

    now = datetime.now(UTC)
    if now_text is not None:
        try:
            now = parse_now(now_text)
        except ValueError:
            fail(f"--now must be a date and time like 2027-01-05T12:00, not {now_text!r}")
    try:
        made = send_requests(now)
        lines = [
            f"  {r.proposal.title} ({r.proposal.company.name}): period {r.period}, "
            f"due {r.due_on.isoformat()}"
            + (
                ""
                if r.proposal.company.owner.disabled_at is None
                else " (account disabled: not e-mailed)"
            )
            for r in made
        ]
        db.session.commit()
        mail.wait_for_deliveries()  # nothing queued is lost when the command exits
    except (OperationalError, ProgrammingError):
        fail("the database has no tables yet: run 'flask --app wsgi db upgrade' first")
    click.echo(f"Report requests sent: {len(made)}.")
    for line in lines:
        click.echo(line)
