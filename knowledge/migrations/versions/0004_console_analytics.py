"""console analytics: turns from the event broker, ingestion cursor, queue state

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 11:50:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('analytics_turns',
    sa.Column('event_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('conversation', sa.String(length=80), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('hour', sa.SmallInteger(), nullable=False),
    sa.Column('channel', sa.String(length=32), nullable=False),
    sa.Column('district', sa.String(length=64), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=True),
    sa.Column('question_key', sa.String(length=200), nullable=True),
    sa.Column('intent', sa.String(length=64), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('nlu_fallback', sa.Boolean(), nullable=False),
    sa.Column('answered', sa.Boolean(), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=True),
    sa.Column('item_name', sa.String(length=200), nullable=True),
    sa.Column('choices', sa.Boolean(), nullable=False),
    sa.Column('not_found', sa.Boolean(), nullable=False),
    sa.Column('handoff_reason', sa.String(length=32), nullable=True),
    sa.Column('progress_answers', sa.Integer(), nullable=False),
    sa.Column('progress_overdue', sa.Integer(), nullable=False),
    sa.Column('feedback', sa.String(length=8), nullable=True),
    sa.Column('response_ms', sa.Integer(), nullable=True),
    sa.PrimaryKeyConstraint('event_id')
    )
    with op.batch_alter_table('analytics_turns', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_analytics_turns_conversation'), ['conversation'], unique=False)
        batch_op.create_index(batch_op.f('ix_analytics_turns_day'), ['day'], unique=False)
        batch_op.create_index(batch_op.f('ix_analytics_turns_item_code'), ['item_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_analytics_turns_question_key'), ['question_key'], unique=False)
    op.create_table('analytics_senders',
    sa.Column('sender_hash', sa.String(length=64), nullable=False),
    sa.Column('session_no', sa.Integer(), nullable=False),
    sa.Column('district', sa.String(length=64), nullable=True),
    sa.Column('active_loop', sa.String(length=64), nullable=True),
    sa.Column('last_turn', sa.BigInteger(), nullable=True),
    sa.Column('last_question_turn', sa.BigInteger(), nullable=True),
    sa.Column('last_event_id', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('sender_hash')
    )
    op.create_table('analytics_cursor',
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('last_event_id', sa.BigInteger(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('source')
    )
    op.create_table('analytics_queue_state',
    sa.Column('question_key', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('item_code', sa.String(length=40), nullable=True),
    sa.Column('alias', sa.String(length=200), nullable=True),
    sa.Column('resolved_by', sa.String(length=64), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('question_key')
    )


def downgrade() -> None:
    op.drop_table('analytics_queue_state')
    op.drop_table('analytics_cursor')
    op.drop_table('analytics_senders')
    with op.batch_alter_table('analytics_turns', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_analytics_turns_question_key'))
        batch_op.drop_index(batch_op.f('ix_analytics_turns_item_code'))
        batch_op.drop_index(batch_op.f('ix_analytics_turns_day'))
        batch_op.drop_index(batch_op.f('ix_analytics_turns_conversation'))
    op.drop_table('analytics_turns')
