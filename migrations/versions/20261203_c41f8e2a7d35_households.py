"""Household register (households) with its own workflow state; tasks.household_id

Revision ID: c41f8e2a7d35
Revises: b7e2c4d91a06
Create Date: 2026-12-03 06:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c41f8e2a7d35'
down_revision = 'b7e2c4d91a06'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'households',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=40), nullable=False),
        sa.Column('building', sa.String(length=40), nullable=True),
        sa.Column('head_name', sa.String(length=100), nullable=False),
        sa.Column('id_number', sa.String(length=18), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=False),
        sa.Column('legal_area', sa.Float(), nullable=False),
        sa.Column('property_type', sa.String(length=20), nullable=False),
        sa.Column('choice', sa.String(length=20), nullable=False),
        sa.Column('family_size', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('signed_on', sa.Date(), nullable=True),
        sa.Column('handed_over_on', sa.Date(), nullable=True),
        sa.Column('allocated_on', sa.Date(), nullable=True),
        sa.Column('resettled_on', sa.Date(), nullable=True),
        sa.Column('certified_on', sa.Date(), nullable=True),
        sa.Column('paid_on', sa.Date(), nullable=True),
        sa.Column('promised_on', sa.Date(), nullable=True),
        sa.Column('transition_allowance', sa.Integer(), nullable=True),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('unsettled_reason', sa.Text(), nullable=True),
        sa.Column('definition_id', sa.Integer(), nullable=True),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('state', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['definition_id'], ['process_definitions.id'], ),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ),
        sa.ForeignKeyConstraint(['unit_id'], ['housing_units.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('households', schema=None) as batch_op:
        batch_op.create_index('ix_households_id_number', ['id_number'], unique=False)
        batch_op.create_index('ix_households_project_building', ['project_id', 'building'],
                              unique=False)
        batch_op.create_index('ix_households_project_id', ['project_id'], unique=False)
        batch_op.create_index('ix_households_project_number', ['project_id', 'number'],
                              unique=True)
        batch_op.create_index('ix_households_project_status', ['project_id', 'status'],
                              unique=False)
        batch_op.create_index('ix_households_promised_on', ['promised_on'], unique=False)
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.add_column(sa.Column('household_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_tasks_household_id', 'households', ['household_id'],
                                    ['id'])
        batch_op.create_index('ix_tasks_household', ['household_id', 'status'], unique=False)


def downgrade():
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index('ix_tasks_household')
        batch_op.drop_constraint('fk_tasks_household_id', type_='foreignkey')
        batch_op.drop_column('household_id')
    op.drop_table('households')
