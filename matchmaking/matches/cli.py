"""``flask --app wsgi matches recompute``: refresh the stored match scores.

Without options every stored score is recomputed (meant for a nightly cron
job and after bulk imports); ``--investor ID`` or ``--proposal ID`` limits
the writing to one investor's or one proposal's rows, as the web app does
after a change. Bad input ends with ``error: ...`` and exit status 2, never
a traceback; running it twice changes nothing the second time.
"""

from __future__ import annotations

from typing import Any

import click
from flask.cli import AppGroup
from sqlalchemy.exc import OperationalError, ProgrammingError

from matchmaking.commandline import Command, fail
from matchmaking.extensions import db
from matchmaking.numbers import ID_MAX, parse_id


class _Id(click.ParamType[int]):
    """An id as ``matchmaking.numbers`` reads it: ASCII digits, 1 .. 2^31 - 1."""

    name = "id"

    def convert(self, value: Any, param: Any, ctx: Any) -> int:
        number = parse_id(value.strip() if isinstance(value, str) else value)
        if number is None:
            self.fail(f"{value!r} is not a valid integer id (1 to {ID_MAX})", param, ctx)
        return number


matches = AppGroup("matches", help="Stored match scores.")


@matches.command("recompute", cls=Command)
@click.option("--investor", "investor_id", type=_Id(), default=None, help="Only this user id.")
@click.option("--proposal", "proposal_id", type=_Id(), default=None, help="Only this proposal id.")
def recompute(investor_id: int | None, proposal_id: int | None) -> None:
    """Recompute the stored match scores (all, one investor's or one proposal's)."""
    from matchmaking.accounts.models import User
    from matchmaking.matches import services
    from matchmaking.proposals.models import Proposal

    if investor_id is not None and proposal_id is not None:
        fail("give --investor or --proposal, not both")
    try:
        done: Any
        if investor_id is not None:
            user = db.session.get(User, investor_id)
            if user is None:
                fail(f"no user with id {investor_id}")
            done = services.recompute_for_investor(user)
            scope = f"investor {investor_id}"
        elif proposal_id is not None:
            proposal = db.session.get(Proposal, proposal_id)
            if proposal is None:
                fail(f"no proposal with id {proposal_id}")
            done = services.recompute_for_proposal(proposal)
            scope = f"proposal {proposal_id}"
        else:
            done = services.recompute_all()
            scope = "all investors"
        db.session.commit()
    except (OperationalError, ProgrammingError):
        db.session.rollback()
        fail("the database has no tables yet: run 'flask --app wsgi db upgrade' first")
    click.echo(
        f"Recomputed match scores ({scope}): ranked {done.investors} investors against "
        f"{done.proposals} matchable proposals; {done.stored} pairs stored "
        f"({done.inserted} new, {done.updated} changed, {done.deleted} removed) "
        f"in {done.seconds:.2f} s."
    )
