"""mail request log: reset and confirmation e-mails per recipient and client

Revision ID: 5b1e7c0d2f3a
Revises: b7c3e91d2f40
Create Date: 2026-12-04 15:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b1e7c0d2f3a'
down_revision = 'b7c3e91d2f40'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('recipient', sa.String(length=254), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_request'))
    )
    with op.batch_alter_table('mail_request', schema=None) as batch_op:
        batch_op.create_index('ix_mail_request_kind_recipient_at', ['kind', 'recipient', 'at'], unique=False)
        batch_op.create_index('ix_mail_request_address_at', ['address', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('mail_request', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_request_address_at')
        batch_op.drop_index('ix_mail_request_kind_recipient_at')

    op.drop_table('mail_request')
