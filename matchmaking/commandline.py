"""What the ``flask --app wsgi ...`` commands share: bad input ends with
``error: ...`` and exit status 2, never a traceback; ``--now`` reads ISO 8601."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import NoReturn

import click


def fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(2)


class Command(click.Command):
    """A command whose usage errors read ``error: ...`` (exit status 2)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            fail(exc.format_message())


def parse_now(text: str) -> datetime:
    """An ISO 8601 date and time; without a zone it is taken as UTC.

    Raises ValueError for anything else.
    """
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
