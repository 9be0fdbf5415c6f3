"""Indexes that match each list's filter and order (keyset paging): queues by due date for a
district's office and city-wide, an official's claimed and done tasks, the whole inbox, the
outbox by status

Revision ID: a7c5e2f9d304
Revises: f3b8d2e6a914
Create Date: 2026-12-03 06:20:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7c5e2f9d304'
down_revision = 'f3b8d2e6a914'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_queue')
        batch_op.drop_index('ix_tasks_claimed')
        batch_op.drop_index('ix_tasks_completed_by')
        batch_op.create_index('ix_tasks_queue_due', ['status', 'role', 'district', 'due_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_tasks_role_due', ['status', 'role', 'due_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_tasks_claimed', ['claimed_by_id', 'status', 'due_at', 'id'],
                              unique=False)
        batch_op.create_index('ix_tasks_completed_by', ['completed_by_id', 'completed_at', 'id'],
                              unique=False)
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index('ix_notifications_user', ['user_id', 'id'], unique=False)
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_list', ['status', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('outbox_emails', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_list')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_user')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_completed_by')
        batch_op.drop_index('ix_tasks_claimed')
        batch_op.drop_index('ix_tasks_role_due')
        batch_op.drop_index('ix_tasks_queue_due')
        batch_op.create_index('ix_tasks_completed_by', ['completed_by_id', 'completed_at'],
                              unique=False)
        batch_op.create_index('ix_tasks_claimed', ['claimed_by_id', 'status'], unique=False)
        batch_op.create_index('ix_tasks_queue', ['status', 'role', 'district', 'department'],
                              unique=False)
