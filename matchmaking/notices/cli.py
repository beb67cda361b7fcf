"""``flask --app wsgi notices summary``: the organisers' daily summary.

Meant for cron (once a day, or hourly: an organiser gets at most one summary
in 23 hours). Idempotent: a second run finds nothing new since the summary it
sent (:mod:`matchmaking.notices.services`). ``--now`` pretends another time
(ISO 8601; UTC when no zone is given), for tests. Bad input ends with
``error: ...`` and exit status 2, never a traceback.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from matchmaking import cron
from matchmaking.commandline import Command
from matchmaking.cron import now_option

notices = AppGroup("notices", help="The organisers' notices.")


@notices.command("summary", cls=Command)
@now_option
def summary(now_text: str | None) -> None:
    """E-mail each organiser who chose a daily summary what happened since the last one."""
    from matchmaking.notices.services import send_summaries

    run = cron.run(send_summaries, now_text)
    click.echo(f"Summaries sent: {run.sent}; due but nothing new: {run.nothing_new}.")
