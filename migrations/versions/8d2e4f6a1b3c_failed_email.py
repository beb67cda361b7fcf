"""failed e-mail: messages the mail thread could not send, kept for the organisers

Revision ID: 8d2e4f6a1b3c
Revises: 05f8d53f3faa
Create Date: 2026-12-05 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '8d2e4f6a1b3c'
down_revision = '05f8d53f3faa'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('failed_email',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('template', sa.String(length=64), nullable=False),
    sa.Column('locale', sa.String(length=8), nullable=False),
    sa.Column('text_body', sa.Text(), nullable=False),
    sa.Column('html_body', sa.Text(), nullable=True),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Enum('unreachable', 'timeout', 'disconnected', 'login', 'address', 'busy', 'refused', 'other', name='failurereason', native_enum=False, length=16), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.Column('resolution', sa.Enum('sent', 'dismissed', name='resolution', native_enum=False, length=16), nullable=True),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_failed_email_resolved_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_failed_email'))
    )
    with op.batch_alter_table('failed_email', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_failed_email_resolved_at'), ['resolved_at'], unique=False)


def downgrade():
    with op.batch_alter_table('failed_email', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_failed_email_resolved_at'))

    op.drop_table('failed_email')
