"""Process drafts kept on the server (issue 5: policy staff's drafts)

Revision ID: 5c1e2d7a9b40
Revises: 0b99399dcfb7
Create Date: 2026-11-21 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5c1e2d7a9b40'
down_revision = '0b99399dcfb7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('process_drafts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('based_on_id', sa.Integer(), nullable=True),
    sa.Column('bpmn_xml', sa.Text(), nullable=False),
    sa.Column('forms', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('saved_by_id', sa.Integer(), nullable=True),
    sa.Column('saved_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deployed_definition_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['based_on_id'], ['process_definitions.id'], ),
    sa.ForeignKeyConstraint(['deployed_definition_id'], ['process_definitions.id'], ),
    sa.ForeignKeyConstraint(['saved_by_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('process_drafts', schema=None) as batch_op:
        batch_op.create_index('ix_process_drafts_key', ['key', 'updated_at'], unique=False)


def downgrade():
    with op.batch_alter_table('process_drafts', schema=None) as batch_op:
        batch_op.drop_index('ix_process_drafts_key')

    op.drop_table('process_drafts')
