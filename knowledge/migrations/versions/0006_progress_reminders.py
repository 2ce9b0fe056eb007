"""progress reminders (reminders/store.py, issue #14)

Subscriptions with the application number and the channel address sealed (core/sealing.py)
and the user as a salted hash; the offer made after a verified answer; WeChat consents
(one consent, one subscribe message); one delivery row per change and subscription (the
unique pair is what makes a change be sent once, however many notifiers run); and the
change feed's cursor.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 04:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reminder_offers',
    sa.Column('user_hash', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('address_sealed', sa.Text(), nullable=False),
    sa.Column('number_hash', sa.String(length=64), nullable=False),
    sa.Column('number_sealed', sa.Text(), nullable=False),
    sa.Column('number_masked', sa.String(length=20), nullable=False),
    sa.Column('item_name', sa.String(length=200), nullable=False),
    sa.Column('offered_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('user_hash')
    )
    op.create_table('reminder_subscriptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_hash', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('address_sealed', sa.Text(), nullable=False),
    sa.Column('number_hash', sa.String(length=64), nullable=False),
    sa.Column('number_sealed', sa.Text(), nullable=False),
    sa.Column('number_masked', sa.String(length=20), nullable=False),
    sa.Column('item_name', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_hash', 'number_hash', name='uq_reminder_subscription')
    )
    with op.batch_alter_table('reminder_subscriptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_subscriptions_number_hash'), ['number_hash'], unique=False)
    op.create_table('reminder_consents',
    sa.Column('user_hash', sa.String(length=64), nullable=False),
    sa.Column('remaining', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('user_hash')
    )
    op.create_table('reminder_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subscription_id', sa.Integer(), nullable=False),
    sa.Column('change_key', sa.String(length=64), nullable=False),
    sa.Column('user_hash', sa.String(length=64), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_until', sa.DateTime(), nullable=True),
    sa.Column('completed', sa.Boolean(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('stage_name', sa.String(length=20), nullable=False),
    sa.Column('item_name', sa.String(length=200), nullable=False),
    sa.Column('number_masked', sa.String(length=20), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('via', sa.String(length=12), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('subscription_id', 'change_key', name='uq_reminder_delivery')
    )
    with op.batch_alter_table('reminder_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_deliveries_status'), ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_deliveries_user_hash'), ['user_hash'], unique=False)
    op.create_table('reminder_feed',
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('cursor', sa.String(length=64), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    op.drop_table('reminder_feed')
    with op.batch_alter_table('reminder_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_deliveries_user_hash'))
        batch_op.drop_index(batch_op.f('ix_reminder_deliveries_status'))
    op.drop_table('reminder_deliveries')
    op.drop_table('reminder_consents')
    with op.batch_alter_table('reminder_subscriptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_subscriptions_number_hash'))
    op.drop_table('reminder_subscriptions')
    op.drop_table('reminder_offers')
