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

import click
from flask.cli import AppGroup

from matchmaking import cron
from matchmaking.commandline import Command
from matchmaking.cron import now_option

results = AppGroup("results", help="Follow-up reports of the funded companies.")


@results.command("request", cls=Command)
@now_option
def request(now_text: str | None) -> None:
    """Ask each funded company whose six-monthly report is due, once per period."""
    from matchmaking.results.services import send_requests

    made = cron.run(send_requests, now_text)
    click.echo(f"Report requests sent: {len(made)}.")
    for r in made:
        disabled = r.proposal.company.owner.disabled_at is not None
        click.echo(
            f"  {r.proposal.title} ({r.proposal.company.name}): period {r.period}, "
            f"due {r.due_on.isoformat()}"
            + (" (account disabled: not e-mailed)" if disabled else "")
        )
