"""full-text search over proposals' title, teaser and description

SQLite: an external-content FTS5 table ``proposal_fts`` kept in sync with
``proposal`` by triggers. PostgreSQL: a GIN expression index
``ix_proposal_fts`` on the ``norwegian`` text-search vector. Neither is in
the models' metadata; migrations/env.py and tests/test_migrations.py leave
them out of the comparison (``matchmaking.matches.search.FTS_OBJECTS``).

Revision ID: 16cf188fdff4
Revises: ff43280887aa
Create Date: 2026-11-26 16:22:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '16cf188fdff4'
down_revision = 'ff43280887aa'
branch_labels = None
depends_on = None

# Kept identical to matchmaking.matches.search.PG_DOCUMENT, or the index is not used.
PG_DOCUMENT = "to_tsvector('norwegian'::regconfig, title || ' ' || teaser || ' ' || description)"

COLUMNS = "title, teaser, description"

SQLITE_UP = [
    "CREATE VIRTUAL TABLE proposal_fts USING fts5("
    f"{COLUMNS}, content='proposal', content_rowid='id', tokenize='unicode61')",
    f"""CREATE TRIGGER proposal_fts_insert AFTER INSERT ON proposal BEGIN
  INSERT INTO proposal_fts(rowid, {COLUMNS}) VALUES (new.id, new.title, new.teaser, new.description);
END""",
    f"""CREATE TRIGGER proposal_fts_delete AFTER DELETE ON proposal BEGIN
  INSERT INTO proposal_fts(proposal_fts, rowid, {COLUMNS})
  VALUES ('delete', old.id, old.title, old.teaser, old.description);
END""",
    f"""CREATE TRIGGER proposal_fts_update AFTER UPDATE OF {COLUMNS} ON proposal BEGIN
  INSERT INTO proposal_fts(proposal_fts, rowid, {COLUMNS})
  VALUES ('delete', old.id, old.title, old.teaser, old.description);
  INSERT INTO proposal_fts(rowid, {COLUMNS}) VALUES (new.id, new.title, new.teaser, new.description);
END""",
    "INSERT INTO proposal_fts(proposal_fts) VALUES ('rebuild')",
]

SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS proposal_fts_update",
    "DROP TRIGGER IF EXISTS proposal_fts_delete",
    "DROP TRIGGER IF EXISTS proposal_fts_insert",
    "DROP TABLE IF EXISTS proposal_fts",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute(f"CREATE INDEX ix_proposal_fts ON proposal USING gin (({PG_DOCUMENT}))")


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    elif dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_proposal_fts")
