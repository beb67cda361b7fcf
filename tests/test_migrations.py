"""The migrations build exactly the schema the models describe."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from matchmaking.extensions import db as _db
from matchmaking.matches.search import FTS_OBJECTS


def _not_fts(name: Any, type_: str, parent_names: Any) -> bool:
    """The FTS table, its shadow tables and index are made by hand in a migration."""
    return name not in FTS_OBJECTS


def test_models_and_migrations_agree(app: Any) -> None:
    # The `app` fixture built the schema with `flask db upgrade`.
    with app.app_context(), _db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "include_name": _not_fts}
        )
        diff = compare_metadata(context, _db.metadata)
    assert diff == []
