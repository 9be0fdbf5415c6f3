"""Indexes matching the lists' filters and orders (issue 20): the escalation list by level,
then oldest first (open items apart, partial), the audit list by action, official and project
in chain order, the household register across projects, and the work queues newest first

Revision ID: c4e2a7d91b30
Revises: b3d9f1a2c6e8
Create Date: 2026-12-03 08:40:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c4e2a7d91b30'
down_revision = 'b3d9f1a2c6e8'
branch_labels = None
depends_on = None

# As in models/escalations.py: each dialect's rendering of the list's "open" filter.
OPEN_SQLITE = "cleared_at IS NULL AND closed_at IS NULL AND is_current IS 1"
OPEN_POSTGRESQL = "cleared_at IS NULL AND closed_at IS NULL AND is_current IS true"


def upgrade():
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('ix_escalations_list')
        batch_op.create_index('ix_escalations_open', ['district', 'level', 'fired_at', 'id'],
                              unique=False, sqlite_where=sa.text(OPEN_SQLITE),
                              postgresql_where=sa.text(OPEN_POSTGRESQL))
        batch_op.create_index('ix_escalations_open_city', ['level', 'fired_at', 'id'],
                              unique=False, sqlite_where=sa.text(OPEN_SQLITE),
                              postgresql_where=sa.text(OPEN_POSTGRESQL))
        batch_op.create_index('ix_escalations_list', ['district', 'level', 'fired_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_escalations_level', ['level', 'fired_at', 'id'], unique=False)
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_events_action')
        batch_op.drop_index('ix_audit_events_project_id')
        batch_op.create_index('ix_audit_action_seq', ['action', 'seq'], unique=False)
        batch_op.create_index('ix_audit_actor_seq', ['actor_id', 'seq'], unique=False)
        batch_op.create_index('ix_audit_project_seq', ['project_id', 'seq'], unique=False)
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index('ix_households_number', ['number', 'id'], unique=False)
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index('ix_tasks_queue_created',
                              ['status', 'role', 'district', 'created_at', 'id'], unique=False)
        batch_op.create_index('ix_tasks_role_created', ['status', 'role', 'created_at', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_role_created')
        batch_op.drop_index('ix_tasks_queue_created')
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.drop_index('ix_households_number')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_project_seq')
        batch_op.drop_index('ix_audit_actor_seq')
        batch_op.drop_index('ix_audit_action_seq')
        batch_op.create_index('ix_audit_events_project_id', ['project_id'], unique=False)
        batch_op.create_index('ix_audit_events_action', ['action'], unique=False)
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index('ix_escalations_level')
        batch_op.drop_index('ix_escalations_list')
        batch_op.drop_index('ix_escalations_open_city')
        batch_op.drop_index('ix_escalations_open')
        batch_op.create_index('ix_escalations_list',
                              ['cleared_at', 'closed_at', 'district', 'level'], unique=False)
