"""What the commands meant for cron share: ``--now`` for tests, and one run
that commits whole and waits until its e-mails are handed over.

Each such command is idempotent (a second run sends nothing twice); a
database without tables, or a bad ``--now``, ends with ``error: ...`` and
exit status 2, never a traceback (matchmaking/commandline.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

import click
from sqlalchemy.exc import OperationalError, ProgrammingError

from matchmaking import mail
from matchmaking.commandline import fail, parse_now
from matchmaking.extensions import db

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def now_option(command: F) -> F:
    """The ``--now`` option, passed to the command as ``now_text``."""
    option = click.option(
        "--now",
        "now_text",
        default=None,
        help="Pretend it is this time (ISO 8601, UTC if no zone is given). Default: now.",
    )
    return option(command)


def now_from(now_text: str | None) -> datetime:
    """``--now`` as given (ISO 8601, UTC without a zone), else now."""
    if now_text is None:
        return datetime.now(UTC)
    try:
        return parse_now(now_text)
    except ValueError:
        fail(f"--now must be a date and time like 2027-01-05T12:00, not {now_text!r}")


def run(job: Callable[[datetime], T], now_text: str | None) -> T:
    """Run ``job(now)``, commit, and wait until its e-mails are handed over
    (nothing queued is lost when the command exits)."""
    now = now_from(now_text)
    try:
        result = job(now)
        db.session.commit()
        mail.wait_for_deliveries()
    except (OperationalError, ProgrammingError):
        fail("the database has no tables yet: run 'flask --app wsgi db upgrade' first")
    return result
