"""Towns and streets under districts (streets), users.street, scheduler heartbeats

Revision ID: d19a0c5e7b21
Revises: c41f8e2a7d35
Create Date: 2026-12-03 07:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd19a0c5e7b21'
down_revision = 'c41f8e2a7d35'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'streets',
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('district', sa.String(length=40), nullable=False),
        sa.Column('name_zh', sa.String(length=100), nullable=False),
        sa.Column('name_en', sa.String(length=100), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(['district'], ['districts.code'], ),
        sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('streets', schema=None) as batch_op:
        batch_op.create_index('ix_streets_district', ['district'], unique=False)
    op.create_table(
        'scheduler_heartbeats',
        sa.Column('process', sa.String(length=120), nullable=False),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('process')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('street', sa.String(length=40), nullable=True))
        batch_op.create_foreign_key('fk_users_street', 'streets', ['street'], ['code'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint('fk_users_street', type_='foreignkey')
        batch_op.drop_column('street')
    op.drop_table('scheduler_heartbeats')
    with op.batch_alter_table('streets', schema=None) as batch_op:
        batch_op.drop_index('ix_streets_district')
    op.drop_table('streets')
