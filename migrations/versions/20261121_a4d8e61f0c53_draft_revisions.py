"""Process drafts carry a revision (optimistic lock: a stale save is refused)

Revision ID: a4d8e61f0c53
Revises: 7f3a9c2e4b18
Create Date: 2026-11-21 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a4d8e61f0c53'
down_revision = '7f3a9c2e4b18'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('process_drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revision', sa.Integer(), server_default='1',
                                      nullable=False))


def downgrade():
    with op.batch_alter_table('process_drafts', schema=None) as batch_op:
        batch_op.drop_column('revision')
