"""``flask --app wsgi notices summary``: the organisers' daily summary.

Meant for cron (once a day, or hourly: an organiser gets at most one summary
in 23 hours). Idempotent: a second run finds nothing new since the summary it
sent (:mod:`matchmaking.notices.services`). ``--now`` pretends another time
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

notices = AppGroup("notices", help="The organisers' notices.")


@notices.command("summary", cls=Command)
@click.option(
    "--now",
    "now_text",
    default=None,
    help="Pretend it is this time (ISO 8601, UTC if no zone is given). Default: now.",
)
def summary(now_text: str | None) -> None:
    """E-mail each organiser who chose a daily summary what happened since the last one."""
    from matchmaking.notices.services import send_summaries

    now = datetime.now(UTC)
    if now_text is not None:
        try:
            now = parse_now(now_text)
        except ValueError:
            fail(f"--now must be a date and time like 2027-01-05T07:00, not {now_text!r}")
    try:
        run = send_summaries(now)
        db.session.commit()
        mail.wait_for_deliveries()  # nothing queued is lost when the command exits
    except (OperationalError, ProgrammingError):
        fail("the database has no tables yet: run 'flask --app wsgi db upgrade' first")
    click.echo(f"Summaries sent: {run.sent}; due but nothing new: {run.nothing_new}.")
