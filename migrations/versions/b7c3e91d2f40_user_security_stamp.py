"""user security stamp: links sent by e-mail die with a later change

Revision ID: b7c3e91d2f40
Revises: a4da045ca36a
Create Date: 2026-12-04 15:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c3e91d2f40'
down_revision = 'a4da045ca36a'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows get "" (a valid stamp) and a random one at their first
    # change of e-mail address or password; sessions are not touched.
    # Reset and e-mail-change links sent before the upgrade stop working
    # (they carry no fingerprint of the stamp): ask for a new one.
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('security_stamp', sa.String(length=32), server_default='', nullable=False)
        )


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('security_stamp')
