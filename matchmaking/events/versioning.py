"""One optimistic lock for every form that changes a session's plan.

Each page that changes a session (its form, the line-up, the schedule, the
agendas) posts the version it showed. :func:`is_current_version` compares;
:func:`claim_version` compares and bumps in one conditional UPDATE, so of
two organisers posting at the same moment the second is refused even when
both read the same version; :func:`check_version` raises
:class:`~matchmaking.events.errors.StaleError` instead of returning False.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm.attributes import set_committed_value

from matchmaking.events.errors import StaleError
from matchmaking.events.models import Event
from matchmaking.extensions import db
from matchmaking.numbers import parse_int


def is_current_version(event: Event, version: object) -> bool:
    """Whether ``version`` as posted (a number, text or None) is the session's
    current version; anything that is not a whole number is not."""
    text = version if isinstance(version, int) else str(version if version is not None else "")
    number = parse_int(text.strip() if isinstance(text, str) else text)
    return number is not None and number == event.version


def claim_version(event: Event, version: object) -> bool:
    """Whether ``version`` (as posted: a number, text or None) is the session's
    current version; if so, bump it in one conditional UPDATE (``... WHERE
    version = :seen``), so that of two organisers posting at the same moment
    the second gets False even when both read the same version: on PostgreSQL
    the second UPDATE waits for the first to commit and then matches no row.
    """
    if not is_current_version(event, version):
        return False
    result = cast(
        "CursorResult[Any]",
        db.session.execute(
            update(Event)
            .where(Event.id == event.id, Event.version == event.version)
            .values(version=Event.version + 1)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        return False
    set_committed_value(event, "version", event.version + 1)
    return True


def check_version(event: Event, version: object, *, lock: bool = False) -> None:
    """Raise :class:`StaleError` unless ``version`` is the current one.

    With ``lock`` the session's row is first re-read and locked (``SELECT ...
    FOR UPDATE`` on PostgreSQL) until the request commits, so that two posts
    at the same moment run one after the other; an engine run checks without
    the lock first and locks only to store its result.
    """
    if lock:
        db.session.refresh(event, with_for_update=True)
    if not is_current_version(event, version):
        raise StaleError()


def claim(event: Event, version: object) -> None:
    """:func:`claim_version`, raising :class:`StaleError` when it is refused."""
    if not claim_version(event, version):
        raise StaleError()


def lock(event: Event, *collections: str) -> None:
    """Lock the session's row until the request commits and re-read ``collections``.

    Two requests that change the same list at once (a double click, two
    founders applying) then run one after the other, and the second sees what
    the first saved: "already signed up" instead of a duplicate row. On
    PostgreSQL this is ``SELECT ... FOR UPDATE``; SQLite has one writer at a
    time anyway, and the views turn a duplicate that still slips through into
    the same friendly message.
    """
    db.session.refresh(event, with_for_update=True)
    if collections:
        db.session.expire(event, list(collections))
