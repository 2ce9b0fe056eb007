"""Failed verification attempts, shared by every action-server process.

Five failures within an hour lock further attempts for an hour, counted both per sender
and per application number, so neither changing the number nor changing the sender helps
an attacker. Keys are stored only as salted hashes: no application number or sender id is
written in clear. The table lives in the catalog database (SQLite by default,
PostgreSQL in production), which all action servers share.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from functools import lru_cache

from sqlalchemy import DateTime, Integer, MetaData, String, delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from core.identity import salted_hash

MAX_FAILURES = 5
WINDOW = timedelta(hours=1)


class _Base(DeclarativeBase):
    metadata = MetaData()


class FailedAttempt(_Base):
    __tablename__ = "verification_failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), index=True)
    failed_at: Mapped[datetime] = mapped_column(DateTime, index=True)  # naive UTC


def _hash(kind: str, value: str) -> str:
    return salted_hash(kind, value)  # the project's one salted hash (core/identity.py)


class VerificationLock:
    def __init__(self, engine: Engine, now=lambda: datetime.now(timezone.utc).replace(tzinfo=None)):
        self.engine = engine
        self.now = now
        _Base.metadata.create_all(engine)

    def keys(self, sender_id: str, application_number: str | None) -> list[str]:
        keys = [_hash("sender", sender_id)]
        if application_number:
            keys.append(_hash("application", application_number))
        return keys

    def is_locked(self, sender_id: str, application_number: str | None = None) -> bool:
        since = self.now() - WINDOW
        with self.engine.connect() as connection:
            for key in self.keys(sender_id, application_number):
                count = connection.scalar(select(func.count()).where(
                    FailedAttempt.key_hash == key, FailedAttempt.failed_at > since))
                if count >= MAX_FAILURES:
                    return True
        return False

    def record_failure(self, sender_id: str, application_number: str | None) -> None:
        now = self.now()
        with self.engine.begin() as connection:
            connection.execute(delete(FailedAttempt).where(FailedAttempt.failed_at < now - 2 * WINDOW))
            for key in self.keys(sender_id, application_number):
                connection.execute(FailedAttempt.__table__.insert().values(key_hash=key, failed_at=now))


@lru_cache(maxsize=1)
def default_lock() -> VerificationLock:
    from knowledge.db import get_engine

    return VerificationLock(get_engine())
