"""Audit hash chain (audit_events.seq/prev_hash/hash, audit_chain_head, PostgreSQL append-only
trigger); sign-in security (account_security, signin_throttle)

Revision ID: e5c3a9d1f7b2
Revises: d19a0c5e7b21
Create Date: 2026-12-03 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e5c3a9d1f7b2'
down_revision = 'd19a0c5e7b21'
branch_labels = None
depends_on = None


def _chain_existing_rows(bind):
    """Chain the rows written before this migration, in id order (same hash as new rows)."""
    from service.services.records.chain import row_hash
    events = sa.table('audit_events', sa.column('id'), sa.column('seq'), sa.column('action'),
                      sa.column('actor_id'), sa.column('project_id'), sa.column('task_id'),
                      sa.column('at', sa.DateTime()), sa.column('detail', sa.JSON()),
                      sa.column('prev_hash'), sa.column('hash'))
    rows = bind.execute(sa.select(events).order_by(events.c.id)).mappings().all()
    prev = ""
    for seq, row in enumerate(rows, start=1):
        row = {**row, "seq": seq}
        value = row_hash(row, prev)
        bind.execute(events.update().where(events.c.id == row["id"])
                     .values(seq=seq, prev_hash=prev, hash=value))
        prev = value
    return len(rows), prev


def upgrade():
    bind = op.get_bind()
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
    count, last = _chain_existing_rows(bind)
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.alter_column('seq', existing_type=sa.BigInteger(), nullable=False)
        batch_op.alter_column('prev_hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column('hash', existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_audit_events_seq'), ['seq'])
    head = op.create_table(
        'audit_chain_head',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.BigInteger(), nullable=False),
        sa.Column('hash', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    op.bulk_insert(head, [{"id": 1, "seq": count, "hash": last}])
    if bind.dialect.name == "postgresql":
        from service.models.audit import PG_REFUSE_FUNCTION, PG_REFUSE_TRIGGERS
        for statement in (PG_REFUSE_FUNCTION, *PG_REFUSE_TRIGGERS):
            op.execute(statement)
    op.create_table(
        'account_security',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('failed_count', sa.Integer(), nullable=False),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
        sa.Column('password_changed_at', sa.DateTime(), nullable=True),
        sa.Column('must_change_password', sa.Boolean(), nullable=False),
        sa.Column('last_login_at', sa.DateTime(), nullable=True),
        sa.Column('last_login_from', sa.String(length=64), nullable=True),
        sa.Column('totp_secret', sa.String(length=64), nullable=True),
        sa.Column('totp_enabled', sa.Boolean(), nullable=False),
        sa.Column('totp_last_step', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('user_id'))
    op.create_table(
        'signin_throttle',
        sa.Column('address', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failure_at', sa.DateTime(), nullable=False),
        sa.Column('blocked_until', sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint('address'))


def downgrade():
    op.drop_table('signin_throttle')
    op.drop_table('account_security')
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_append_only ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_refuse_change()")
    op.drop_table('audit_chain_head')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_audit_events_seq'), type_='unique')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
