"""Indexes matching the lists' filters and orders (issue 20): filled in by the list work

Revision ID: c4e2a7d91b30
Revises: b3d9f1a2c6e8
Create Date: 2026-12-03 08:40:00.000000

"""
from alembic import op  # noqa: F401


# revision identifiers, used by Alembic.
revision = 'c4e2a7d91b30'
down_revision = 'b3d9f1a2c6e8'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
