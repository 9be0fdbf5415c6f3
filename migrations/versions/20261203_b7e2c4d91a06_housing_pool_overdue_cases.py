"""Resettlement-housing pool (housing_units) and overdue-resettlement cases (overdue_cases)

Revision ID: b7e2c4d91a06
Revises: a4d8e61f0c53
Create Date: 2026-12-03 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e2c4d91a06'
down_revision = 'a4d8e61f0c53'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'housing_units',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('estate', sa.String(length=100), nullable=False),
        sa.Column('district', sa.String(length=40), nullable=False),
        sa.Column('building', sa.String(length=40), nullable=False),
        sa.Column('unit_number', sa.String(length=40), nullable=False),
        sa.Column('area', sa.Float(), nullable=False),
        sa.Column('layout', sa.String(length=40), nullable=False),
        sa.Column('owner_unit', sa.String(length=100), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('existing_stock', sa.Boolean(), nullable=False),
        sa.Column('reserved_project_id', sa.Integer(), nullable=True),
        sa.Column('household_id', sa.Integer(), nullable=True),
        sa.Column('times_offered', sa.Integer(), nullable=False),
        sa.Column('reserved_at', sa.DateTime(), nullable=True),
        sa.Column('allocated_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['district'], ['districts.code']),
        sa.ForeignKeyConstraint(['reserved_project_id'], ['projects.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('estate', 'building', 'unit_number', name='uq_housing_unit'),
    )
    with op.batch_alter_table('housing_units', schema=None) as batch_op:
        batch_op.create_index('ix_housing_units_pool', ['district', 'status', 'existing_stock'],
                              unique=False)
        batch_op.create_index('ix_housing_units_project', ['reserved_project_id', 'status'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_housing_units_household_id'), ['household_id'],
                              unique=False)
    op.create_table(
        'overdue_cases',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('household_id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('district', sa.String(length=40), nullable=False),
        sa.Column('opened_on', sa.Date(), nullable=False),
        sa.Column('promised_on', sa.Date(), nullable=True),
        sa.Column('type', sa.String(length=30), nullable=False),
        sa.Column('cause', sa.Text(), nullable=False),
        sa.Column('plan', sa.Text(), nullable=False),
        sa.Column('closed_on', sa.Date(), nullable=True),
        sa.Column('close_note', sa.Text(), nullable=True),
        sa.Column('closed_by_id', sa.Integer(), nullable=True),
        sa.Column('notified', sa.Boolean(), nullable=False),
        sa.Column('escalated_on', sa.Date(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['closed_by_id'], ['users.id']),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('overdue_cases', schema=None) as batch_op:
        batch_op.create_index('ix_overdue_cases_open', ['closed_on', 'district'], unique=False)
        batch_op.create_index('ix_overdue_cases_project', ['project_id', 'closed_on'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_overdue_cases_household_id'), ['household_id'],
                              unique=False)
        batch_op.create_index('uq_overdue_cases_open_household', ['household_id'], unique=True,
                              sqlite_where=sa.text('closed_on IS NULL'),
                              postgresql_where=sa.text('closed_on IS NULL'))


def downgrade():
    op.drop_table('overdue_cases')
    op.drop_table('housing_units')
