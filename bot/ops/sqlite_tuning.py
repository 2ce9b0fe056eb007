"""SQLite engines for the embedded profile's conversation store and event broker.

Rasa creates its SQLite engines with SQLAlchemy 1.4's defaults: a new connection for every
session (NullPool) in rollback-journal mode with `synchronous=FULL`, so each turn pays for
opening the file, and each commit for two fsyncs and a journal file created and deleted.
Here the connections are pooled and the database runs in write-ahead-log mode with
`synchronous=NORMAL`: a commit appends to the log without an fsync (the log is synced at
checkpoints), readers (the console) never block the writer, and a crash of a process loses
nothing committed; only a power failure can lose the last moments of conversations, which
is acceptable for the embedded profile (production uses PostgreSQL). Works in both
environments (SQLAlchemy 1.4 and 2).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy
import sqlalchemy.orm
from sqlalchemy import event
from sqlalchemy.pool import QueuePool

PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", "PRAGMA busy_timeout=30000")


def tuned_sqlite_engine(url: Any) -> sqlalchemy.engine.Engine:
    """An engine on the SQLite file of `url`: pooled connections, WAL, synchronous=NORMAL."""
    engine = sqlalchemy.create_engine(url, poolclass=QueuePool, pool_size=4, max_overflow=4,
                                      connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection, _record) -> None:  # every new pooled connection
        cursor = dbapi_connection.cursor()
        for pragma in PRAGMAS:
            cursor.execute(pragma)
        cursor.close()

    return engine


def retune(owner: Any) -> None:
    """Replace `owner.engine` (and its sessionmaker) by a tuned one when it is SQLite."""
    if owner.engine.dialect.name != "sqlite" or owner.engine.url.database in (None, "", ":memory:"):
        return
    url = owner.engine.url
    owner.engine.dispose()
    owner.engine = tuned_sqlite_engine(url)
    owner.sessionmaker = sqlalchemy.orm.sessionmaker(bind=owner.engine)
