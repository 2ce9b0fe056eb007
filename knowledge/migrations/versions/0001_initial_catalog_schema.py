"""initial catalog schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 09:02:44.276008
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('catalog_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('sender_hash', sa.String(length=64), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=True),
    sa.Column('aspect', sa.String(length=20), nullable=True),
    sa.Column('useful', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_feedback_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_feedback_item_code'), ['item_code'], unique=False)

    op.create_table('items',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('power_type', sa.String(length=16), nullable=True),
    sa.Column('department', sa.String(length=100), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('audience', sa.JSON(), nullable=False),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('conditions', sa.JSON(), nullable=False),
    sa.Column('legal_basis', sa.JSON(), nullable=False),
    sa.Column('statutory_limit', sa.String(length=100), nullable=True),
    sa.Column('result', sa.Text(), nullable=True),
    sa.Column('demonstration', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_items_department'), ['department'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_name'), ['name'], unique=False)

    op.create_table('regions',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=12), nullable=True),
    sa.PrimaryKeyConstraint('code'),
    sa.UniqueConstraint('name')
    )
    op.create_table('faqs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['item_code'], ['items.code'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('faqs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_faqs_item_code'), ['item_code'], unique=False)

    op.create_table('flow_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('time_limit', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['item_code'], ['items.code'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('flow_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flow_steps_item_code'), ['item_code'], unique=False)

    op.create_table('implementations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('code', sa.String(length=120), nullable=True),
    sa.Column('body', sa.String(length=200), nullable=True),
    sa.Column('promised_limit', sa.String(length=100), nullable=True),
    sa.Column('fee', sa.String(length=8), nullable=True),
    sa.Column('fee_detail', sa.Text(), nullable=True),
    sa.Column('fee_basis', sa.Text(), nullable=True),
    sa.Column('consult_phone', sa.String(length=100), nullable=True),
    sa.Column('supervision_phone', sa.String(length=100), nullable=True),
    sa.Column('online_depth', sa.String(length=8), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('trips', sa.Integer(), nullable=True),
    sa.Column('express', sa.Boolean(), nullable=True),
    sa.Column('appointment', sa.Boolean(), nullable=True),
    sa.Column('scope', sa.JSON(), nullable=False),
    sa.Column('verified', sa.Date(), nullable=True),
    sa.Column('local_name', sa.String(length=200), nullable=True),
    sa.Column('local_power_type', sa.String(length=16), nullable=True),
    sa.Column('local_materials', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['item_code'], ['items.code'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_code', 'region_code')
    )
    with op.batch_alter_table('implementations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_implementations_item_code'), ['item_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_implementations_region_code'), ['region_code'], unique=False)

    op.create_table('item_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('alias', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['item_code'], ['items.code'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('item_code', 'alias')
    )
    with op.batch_alter_table('item_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_item_aliases_item_code'), ['item_code'], unique=False)

    op.create_table('materials',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('condition', sa.Text(), nullable=True),
    sa.Column('form', sa.String(length=16), nullable=True),
    sa.Column('copies', sa.Integer(), nullable=True),
    sa.Column('medium', sa.String(length=16), nullable=True),
    sa.Column('source', sa.String(length=100), nullable=True),
    sa.Column('waived', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['item_code'], ['items.code'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_materials_item_code'), ['item_code'], unique=False)

    op.create_table('windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('implementation_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=True),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('hours', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=100), nullable=True),
    sa.Column('directions', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['implementation_id'], ['implementations.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('windows', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_windows_implementation_id'), ['implementation_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('windows', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_windows_implementation_id'))

    op.drop_table('windows')
    with op.batch_alter_table('materials', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_materials_item_code'))

    op.drop_table('materials')
    with op.batch_alter_table('item_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_item_aliases_item_code'))

    op.drop_table('item_aliases')
    with op.batch_alter_table('implementations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_implementations_region_code'))
        batch_op.drop_index(batch_op.f('ix_implementations_item_code'))

    op.drop_table('implementations')
    with op.batch_alter_table('flow_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flow_steps_item_code'))

    op.drop_table('flow_steps')
    with op.batch_alter_table('faqs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_faqs_item_code'))

    op.drop_table('faqs')
    op.drop_table('regions')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_name'))
        batch_op.drop_index(batch_op.f('ix_items_department'))

    op.drop_table('items')
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_feedback_item_code'))
        batch_op.drop_index(batch_op.f('ix_feedback_created_at'))

    op.drop_table('feedback')
    op.drop_table('catalog_state')
