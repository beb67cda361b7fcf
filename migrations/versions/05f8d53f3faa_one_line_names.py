"""one-line names: control characters in stored one-line text become a space

Revision ID: 05f8d53f3faa
Revises: 5b1e7c0d2f3a
Create Date: 2026-12-04 16:00:00.000000

Forms now refuse line breaks, tabs and other control characters in one-line
fields; this cleans what was saved before: in every one-line text column,
each run of such characters (with the spaces around it) becomes one space,
and the spaces around the value go. Multi-line text (descriptions, teasers,
comments, notes) keeps its line breaks. Works the same on SQLite and
PostgreSQL (a loop in Python over the rows); there is nothing to undo.
"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '05f8d53f3faa'
down_revision = '5b1e7c0d2f3a'
branch_labels = None
depends_on = None

#: The one-line text columns, by table (unique columns such as slugs and
#: e-mail addresses were always checked by a pattern: nothing to clean).
COLUMNS = {
    'user': ('name',),
    'company': ('name', 'website', 'contact_name', 'contact_email', 'contact_phone'),
    'team_member': ('name', 'role'),
    'proposal': ('title', 'deck_name'),
    'event': ('title', 'venue'),
    'region': ('name_nb', 'name_en'),
    'municipality': ('name',),
    'sector': ('name_nb', 'name_en'),
    'stage': ('name_nb', 'name_en'),
    'subproject': ('name_nb', 'name_en'),
    'criterion': ('name_nb', 'name_en'),
    'investor_profile': ('display_name', 'organisation'),
}

# A copy of matchmaking.text (a migration does not import the application).
_NOT_ON_ONE_LINE = frozenset({'Cc', 'Cf', 'Zl', 'Zp', 'Cs'})
_WRITING = frozenset({'\u200c', '\u200d'})


def _breaks_the_line(char):
    return unicodedata.category(char) in _NOT_ON_ONE_LINE and char not in _WRITING


def single_line(text):
    marked = ''.join('\x00' if _breaks_the_line(c) else c for c in text)
    return re.sub(' *\x00[\x00 ]*', ' ', marked).strip()


def upgrade():
    bind = op.get_bind()
    for name, columns in COLUMNS.items():
        table = sa.table(name, sa.column('id'), *(sa.column(c) for c in columns))
        for row in bind.execute(sa.select(table)).mappings().all():
            changes = {}
            for column in columns:
                value = row[column]
                if isinstance(value, str) and any(_breaks_the_line(c) for c in value):
                    changes[column] = single_line(value)
            if changes:
                bind.execute(sa.update(table).where(table.c.id == row['id']).values(**changes))


def downgrade():
    pass  # the control characters are gone; nothing to restore
