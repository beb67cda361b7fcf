"""Database helpers shared by the features: double submits and SQLite's write lock.

A form sent twice at once (a double click, two organisers at the same
moment) makes two requests insert the same row. Both check first and find
nothing; the database's unique constraint then refuses the second insert.
:func:`insert` and :func:`get_or_create` make that refusal an ordinary
answer: the insert runs inside a SAVEPOINT, which alone is rolled back, and
the request goes on as a single click would (the row is already there, or
a field error says the value is taken). The same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from matchmaking.extensions import db

F = TypeVar("F", bound=Callable[..., Any])
M = TypeVar("M")

#: PostgreSQL's SQLSTATE for unique_violation.
_PG_UNIQUE_VIOLATION = "23505"
#: SQLite's extended result codes for a UNIQUE or PRIMARY KEY constraint.
_SQLITE_UNIQUE = frozenset({"SQLITE_CONSTRAINT_UNIQUE", "SQLITE_CONSTRAINT_PRIMARYKEY"})


def is_unique_violation(exc: IntegrityError) -> bool:
    """Whether ``exc`` is a unique (or primary key) constraint refusing a duplicate."""
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == _PG_UNIQUE_VIOLATION:
        return True
    return getattr(orig, "sqlite_errorname", None) in _SQLITE_UNIQUE


@contextmanager
def unique_or(error: Callable[[], Exception]) -> Iterator[None]:
    """Run the block (its adds and flush) inside a SAVEPOINT.

    If a unique constraint refuses what the block wrote, only the SAVEPOINT
    is rolled back (the block's new rows leave the session) and ``error()``
    is raised instead, for the caller to show as a single click would
    (a field error). Any other error is raised as it is.
    """
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as exc:
        if not is_unique_violation(exc):
            raise
        raise error() from exc


class _Taken(Exception):
    pass


def is_database_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked": another request held
    the write lock for longer than the busy timeout."""
    orig = getattr(exc, "orig", None)
    return isinstance(exc, OperationalError) and getattr(orig, "sqlite_errorname", "") in (
        "SQLITE_BUSY",
        "SQLITE_LOCKED",
    )


def insert(row: Any) -> bool:
    """Add ``row`` and flush it inside a SAVEPOINT.

    Returns False, with the SAVEPOINT rolled back and ``row`` left out of
    the session, if a unique constraint refused it (another request inserted
    the same first); the rest of the transaction is untouched. Any other
    error is raised. ``row`` should refer to other rows by id: a relationship
    set before (``region=...``) is flushed before the SAVEPOINT begins; set
    it inside a :func:`unique_or` block instead.
    """
    try:
        with unique_or(_Taken):
            db.session.add(row)
    except _Taken:
        return False
    return True


def lock(row: Any) -> None:
    """Re-read ``row`` with ``SELECT ... FOR UPDATE`` until the request ends.

    On PostgreSQL a second request doing the same (a double click) waits
    here until the first commits, then sees what it saved. SQLite needs no
    row lock: writing requests there run one at a time (BEGIN IMMEDIATE).
    """
    db.session.refresh(row, with_for_update=True)


def get_or_create(model: type[M], key: Mapping[str, Any], **values: Any) -> tuple[M, bool]:
    """The row of ``model`` matching ``key`` (a unique key), made if missing.

    Returns ``(row, created)``. When a simultaneous request makes the row
    first, its row is returned (``created`` False), as if this request had
    come second.
    """
    query = select(model).filter_by(**key)
    found = db.session.scalar(query)
    if found is not None:
        return found, False
    row = model(**key, **values)
    if insert(row):
        return row, True
    found = db.session.scalar(query)
    if found is None:  # refused by another unique constraint than ``key``
        raise LookupError(f"{model.__name__} {dict(key)} refused but not found")
    return found, False


def writes_on_get(view: F) -> F:
    """Mark a view that writes to the database although it answers a GET.

    On SQLite its transaction then takes the write lock at BEGIN like a
    POST's does (see ``matchmaking.app._sqlite_transactions``). An e-mailed
    link that confirms something is such a view.
    """
    view.writes_on_get = True  # type: ignore[attr-defined]
    return view
