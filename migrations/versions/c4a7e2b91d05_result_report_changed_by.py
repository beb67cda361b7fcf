"""Issue 13, after the user test: who last corrected a follow-up report, and when

Revision ID: c4a7e2b91d05
Revises: 9f6f08e19ae4
Create Date: 2026-12-05 18:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4a7e2b91d05'
down_revision = '9f6f08e19ae4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('result_report', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changed_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_result_report_changed_by_id_user'), 'user', ['changed_by_id'], ['id']
        )


def downgrade():
    with op.batch_alter_table('result_report', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_result_report_changed_by_id_user'), type_='foreignkey')
        batch_op.drop_column('changed_at')
        batch_op.drop_column('changed_by_id')
