"""The project's open rows index also holds household_id, so a completion reading a project's
open statutory rows (household_id IS NULL) does not walk its households' open rows

Revision ID: b3d9f1a2c6e8
Revises: a7c5e2f9d304
Create Date: 2026-12-03 07:30:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b3d9f1a2c6e8'
down_revision = 'a7c5e2f9d304'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_project')
        batch_op.create_index('ix_tasks_project', ['project_id', 'status', 'household_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_project')
        batch_op.create_index('ix_tasks_project', ['project_id', 'status'], unique=False)
