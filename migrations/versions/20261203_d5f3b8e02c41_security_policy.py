"""Security policy settings the security administrator edits (issue 18): filled in by the
policy work

Revision ID: d5f3b8e02c41
Revises: c4e2a7d91b30
Create Date: 2026-12-03 08:41:00.000000

"""
from alembic import op  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'd5f3b8e02c41'
down_revision = 'c4e2a7d91b30'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
