"""Workflow state kept on the project row (one UPDATE per step instead of two)

Revision ID: 7f3a9c2e4b18
Revises: 5c1e2d7a9b40
Create Date: 2026-11-21 15:00:00.000000

The serialised workflow moves from `project_states` into a new last column `projects.state`
(deferred in the model, so lists never read it); existing states are copied over.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7f3a9c2e4b18'
down_revision = '5c1e2d7a9b40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.add_column(sa.Column('state', sa.Text(), nullable=True))
    op.execute("UPDATE projects SET state = (SELECT project_states.state FROM project_states "
               "WHERE project_states.project_id = projects.id)")
    op.drop_table('project_states')


def downgrade():
    # Copied aside first: on SQLite the batch drop rebuilds `projects`, which a table with a
    # foreign key to it would refuse.
    op.create_table('project_states_copy',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Text(), nullable=True)
    )
    op.execute("INSERT INTO project_states_copy (project_id, state) "
               "SELECT id, state FROM projects WHERE state IS NOT NULL")
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_column('state')
    op.create_table('project_states',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
    sa.PrimaryKeyConstraint('project_id')
    )
    op.execute("INSERT INTO project_states (project_id, state) "
               "SELECT project_id, state FROM project_states_copy")
    op.drop_table('project_states_copy')
