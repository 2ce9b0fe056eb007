"""Alembic environment: runs on the connection handed over by knowledge.db."""
from __future__ import annotations

from alembic import context

from knowledge.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    from knowledge.db import make_engine

    connection = make_engine().connect()

context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
