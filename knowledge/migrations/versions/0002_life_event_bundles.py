"""life-event bundles (一件事一次办)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 11:30:00.000000
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('bundles',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('topics', sa.JSON(), nullable=False),
    sa.Column('lead_department', sa.String(length=100), nullable=True),
    sa.Column('window', sa.String(length=300), nullable=True),
    sa.Column('city_window', sa.String(length=300), nullable=True),
    sa.Column('form', sa.String(length=300), nullable=True),
    sa.Column('online_url', sa.String(length=500), nullable=True),
    sa.Column('promised_limit', sa.String(length=100), nullable=True),
    sa.Column('verified', sa.Date(), nullable=True),
    sa.Column('demonstration', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    with op.batch_alter_table('bundles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bundles_name'), ['name'], unique=False)

    op.create_table('bundle_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bundle_code', sa.String(length=40), nullable=False),
    sa.Column('alias', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bundle_code'], ['bundles.code'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('bundle_code', 'alias')
    )
    with op.batch_alter_table('bundle_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bundle_aliases_bundle_code'), ['bundle_code'], unique=False)

    op.create_table('bundle_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('bundle_code', sa.String(length=40), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=False),
    sa.Column('optional', sa.Boolean(), nullable=False),
    sa.Column('condition', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['bundle_code'], ['bundles.code'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('bundle_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bundle_steps_bundle_code'), ['bundle_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_bundle_steps_item_code'), ['item_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('bundle_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bundle_steps_item_code'))
        batch_op.drop_index(batch_op.f('ix_bundle_steps_bundle_code'))

    op.drop_table('bundle_steps')
    with op.batch_alter_table('bundle_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bundle_aliases_bundle_code'))

    op.drop_table('bundle_aliases')
    with op.batch_alter_table('bundles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bundles_name'))

    op.drop_table('bundles')
