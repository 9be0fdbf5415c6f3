"""Security policy settings the security administrator edits (issue 18): filled in by the
policy work

Revision ID: d5f3b8e02c41
Revises: c4e2a7d91b30
Create Date: 2026-12-03 08:41:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd5f3b8e02c41'
down_revision = 'c4e2a7d91b30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'security_settings',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('changed_at', sa.DateTime(), nullable=False),
        sa.Column('changed_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['changed_by_id'], ['users.id']),
        sa.PrimaryKeyConstraint('name'))


def downgrade():
    op.drop_table('security_settings')
