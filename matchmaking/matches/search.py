"""Full-text search over proposals' title, teaser and description.

The content is Norwegian whatever the reader's interface language, so:

- PostgreSQL matches ``websearch_to_tsquery('norwegian', q)`` against the
  ``norwegian`` vector of the three columns; the expression is the one the
  GIN index ``ix_proposal_fts`` is built on (migration ``16cf188fdff4``), so
  the planner can use it. The Norwegian stemmer makes ``fiskeoppdrett``
  find ``fiskeoppdrettet``; ``"a phrase"``, ``or`` and ``-word`` work as on
  the web.
- SQLite matches the external-content FTS5 table ``proposal_fts``, kept in
  sync by triggers. FTS5 has no Norwegian stemmer, so every word is a prefix
  (``tare`` finds ``tareforedling``); all words must occur. The words are
  quoted, so FTS5's own syntax in what people type cannot cause an error.
"""

from __future__ import annotations

import re
from typing import Final

from sqlalchemy import ColumnElement, bindparam, false, func, literal_column, text

from matchmaking.extensions import db
from matchmaking.proposals.models import Proposal

#: Database objects made by the migration, not described by the models.
FTS_OBJECTS: Final = frozenset(
    {
        "proposal_fts",
        "proposal_fts_data",
        "proposal_fts_idx",
        "proposal_fts_content",
        "proposal_fts_docsize",
        "proposal_fts_config",
        "ix_proposal_fts",
    }
)

#: The indexed document on PostgreSQL; identical to the index's expression.
PG_DOCUMENT: Final = (
    "to_tsvector('norwegian'::regconfig,"
    " proposal.title || ' ' || proposal.teaser || ' ' || proposal.description)"
)

QUERY_MAX: Final = 200
_WORD = re.compile(r"\w+", re.UNICODE)


def fts5_query(q: str) -> str:
    """What people type, as an FTS5 query: each word a quoted prefix, all required.

    ``"tare og fôr"`` → ``"tare"* "og"* "fôr"*``; an empty string when there
    are no words (punctuation only).
    """
    words = _WORD.findall(q.casefold())
    return " ".join(f'"{w}"*' for w in words)


def matching_proposal_ids_clause(q: str) -> ColumnElement[bool]:
    """A WHERE clause on ``proposal``: its title, teaser or description matches ``q``.

    Dialect-specific (see the module's docstring); a query with no words
    matches nothing.
    """
    q = q.strip()[:QUERY_MAX]
    if db.engine.dialect.name == "postgresql":
        if not _WORD.search(q):
            return false()
        query = func.websearch_to_tsquery(literal_column("'norwegian'::regconfig"), q)
        return literal_column(PG_DOCUMENT).op("@@")(query)
    match = fts5_query(q)
    if not match:
        return false()
    ids = text("SELECT rowid FROM proposal_fts WHERE proposal_fts MATCH :fts_query").bindparams(
        bindparam("fts_query", match)
    )
    return Proposal.id.in_(ids.columns(literal_column("rowid")))
