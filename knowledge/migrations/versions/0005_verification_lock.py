"""verification lock of the progress queries (actions/verification_lock.py)

Until now the action server created `verification_failures` itself (create_all at
start); the table and its new companion `verification_keys` (one row per hashed
sender or number: the row that serialises simultaneous attempts, and the lock's end)
are now part of the schema like every other table. `if not exists` semantics: a
database where the action server already created the failures table keeps its rows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07 01:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if 'verification_failures' not in existing:
        op.create_table('verification_failures',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('failed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id')
        )
        with op.batch_alter_table('verification_failures', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_verification_failures_key_hash'), ['key_hash'], unique=False)
            batch_op.create_index(batch_op.f('ix_verification_failures_failed_at'), ['failed_at'], unique=False)
    op.create_table('verification_keys',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('touched_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('key_hash')
    )


def downgrade() -> None:
    op.drop_table('verification_keys')
    with op.batch_alter_table('verification_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_verification_failures_failed_at'))
        batch_op.drop_index(batch_op.f('ix_verification_failures_key_hash'))
    op.drop_table('verification_failures')
