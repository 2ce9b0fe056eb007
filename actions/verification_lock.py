"""Failed verification attempts, shared by every action-server process (issue #16, finding 5).

The rule, the same in README (办件进度): **5 failures within one hour lock for one hour
from the fifth failure**, counted per sender AND per application number (across all
senders), so neither changing the number nor changing the conversation helps a guesser.

An attempt is *reserved* before the platform is asked: the reservation is written as a
failure in the same transaction that checks the count, serialised per key (an UPDATE of
the key's row: a row lock in PostgreSQL, the write lock in SQLite). A burst of
simultaneous guesses therefore cannot all pass the check before any of them is counted.
A successful lookup then withdraws its reservation; a failed one leaves it counted.

Keys are stored only as salted hashes: no number or sender id is written in clear. The
tables live in the catalog database (created by the Alembic migration 0005), which all
action servers share. The clock is injectable so tests lock and unlock without waiting.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Callable

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from core.identity import salted_hash

MAX_FAILURES = 5
WINDOW = timedelta(hours=1)  # failures count for an hour …
LOCK_FOR = timedelta(hours=1)  # … and the fifth locks for an hour from its own time

metadata = MetaData()
failures = Table(
    "verification_failures", metadata,
    Column("id", Integer, primary_key=True),
    Column("key_hash", String(64), nullable=False, index=True),
    Column("failed_at", DateTime, nullable=False, index=True),  # naive UTC
)
keys_table = Table(
    "verification_keys", metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("locked_until", DateTime, nullable=True),  # naive UTC; set by the fifth failure
    Column("touched_at", DateTime, nullable=False),
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _hash(kind: str, value: str) -> str:
    return salted_hash(kind, value)  # the project's one salted hash (core/identity.py)


@dataclass(frozen=True)
class Reservation:
    """One attempt counted in advance: its failure rows and the locks it set."""

    failure_ids: tuple[int, ...]
    locked: tuple[tuple[str, datetime], ...]  # (key, locked_until) set because this was the fifth


class VerificationLock:
    def __init__(self, engine: Engine, now: Callable[[], datetime] = utc_now):
        self.engine = engine
        self.now = now

    @staticmethod
    def keys(sender_id: str, application_number: str | None) -> list[str]:
        keys = [_hash("sender", sender_id)]
        if application_number:
            keys.append(_hash("application", application_number))
        return sorted(keys)  # one order everywhere: two transactions never wait on each other crosswise

    def is_locked(self, sender_id: str, application_number: str | None = None) -> bool:
        now = self.now()
        with self.engine.connect() as connection:
            return any(self._locked(connection, key, now) for key in self.keys(sender_id, application_number))

    def reserve(self, sender_id: str, application_number: str) -> Reservation | None:
        """Count this attempt as a failure now; None (nothing counted) when locked."""
        now = self.now()
        keys = self.keys(sender_id, application_number)
        with self.engine.begin() as connection:
            for key in keys:
                self._serialise(connection, key, now)
            if any(self._locked(connection, key, now) for key in keys):
                return None
            ids = tuple(connection.execute(insert(failures).values(key_hash=key, failed_at=now)
                                           .returning(failures.c.id)).scalar_one() for key in keys)
            counts = {key: connection.scalar(select(func.count()).select_from(failures).where(
                failures.c.key_hash == key, failures.c.failed_at > now - WINDOW)) for key in keys}
            if any(count > MAX_FAILURES for count in counts.values()):
                # Simultaneous attempts beyond the fifth: refused before the platform is asked.
                connection.execute(delete(failures).where(failures.c.id.in_(ids)))
                return None
            locked = tuple((key, now + LOCK_FOR) for key, count in counts.items() if count == MAX_FAILURES)
            for key, until in locked:
                connection.execute(update(keys_table).where(keys_table.c.key_hash == key).values(locked_until=until))
            connection.execute(delete(failures).where(failures.c.failed_at < now - 2 * WINDOW))
        return Reservation(ids, locked)

    def succeeded(self, reservation: Reservation) -> None:
        """The attempt verified: it is no failure, and a lock it set in advance is lifted."""
        with self.engine.begin() as connection:
            connection.execute(delete(failures).where(failures.c.id.in_(reservation.failure_ids)))
            for key, until in reservation.locked:
                connection.execute(update(keys_table).where(
                    and_(keys_table.c.key_hash == key, keys_table.c.locked_until == until)).values(locked_until=None))

    @staticmethod
    def _serialise(connection: Connection, key: str, now: datetime) -> None:
        """Take the key's row lock (creating the row first) for the rest of the transaction."""
        changed = connection.execute(update(keys_table).where(keys_table.c.key_hash == key)
                                     .values(touched_at=now)).rowcount
        if not changed:
            dialect = connection.dialect.name
            if dialect == "postgresql":
                from sqlalchemy.dialects.postgresql import insert as upsert
            elif dialect == "sqlite":
                from sqlalchemy.dialects.sqlite import insert as upsert
            else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
                raise RuntimeError(f"verification lock: unsupported database {dialect}")
            connection.execute(upsert(keys_table).values(key_hash=key, touched_at=now)
                               .on_conflict_do_nothing(index_elements=["key_hash"]))
            connection.execute(update(keys_table).where(keys_table.c.key_hash == key).values(touched_at=now))

    @staticmethod
    def _locked(connection: Connection, key: str, now: datetime) -> bool:
        until = connection.scalar(select(keys_table.c.locked_until).where(keys_table.c.key_hash == key))
        return until is not None and until > now


@lru_cache(maxsize=1)
def default_lock() -> VerificationLock:
    from knowledge.db import get_engine

    return VerificationLock(get_engine())
