"""The lockout rule with an injected clock, and simultaneous guesses (issue #16, finding 5).

Rule: 5 failures within one hour lock for one hour from the fifth failure, per sender and
per number across all senders. Run on SQLite and (when it is reachable) PostgreSQL, with
the schema made by the Alembic migrations, as in production.
"""
from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import create_engine, inspect, text

from actions.verification_lock import LOCK_FOR, MAX_FAILURES, VerificationLock
from knowledge.db import make_engine, upgrade_schema

NUMBER, OTHER = "CQ202605140001233", "CQ202605140001241"
START = datetime(2026, 12, 1, 8, 0)


class Clock:
    def __init__(self):
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


def _postgres_url() -> str | None:
    probe = create_engine("postgresql://postgres@127.0.0.1:5432/postgres")
    try:
        with probe.connect():
            return f"postgresql://postgres@127.0.0.1:5432/yuban_progress_lock_{uuid.uuid4().hex[:8]}"
    except Exception:  # noqa: BLE001 - no server: the PostgreSQL variant is skipped
        return None
    finally:
        probe.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'lock.db'}"
    else:
        url = _postgres_url()
        if url is None:
            pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    engine = make_engine(url)
    upgrade_schema(engine)
    yield engine
    engine.dispose()
    if request.param == "postgresql":
        admin = create_engine("postgresql://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{engine.url.database}" WITH (FORCE)'))
        admin.dispose()


def fail(lock: VerificationLock, sender: str, number: str) -> bool:
    """One wrong attempt; False when it was refused as locked."""
    return lock.reserve(sender, number) is not None


def test_the_tables_come_from_the_migrations(engine):
    names = set(inspect(engine).get_table_names())
    assert {"verification_failures", "verification_keys"} <= names


def test_five_failures_lock_for_one_hour_from_the_fifth(engine):
    clock = Clock()
    lock = VerificationLock(engine, now=clock)
    for _ in range(MAX_FAILURES - 1):
        assert fail(lock, "s1", NUMBER)
        clock.advance(minutes=10)
    assert not lock.is_locked("s1", NUMBER)
    assert fail(lock, "s1", NUMBER)  # the fifth, at 08:40
    fifth = clock.now
    assert lock.is_locked("s1") and lock.is_locked("s2", NUMBER)  # per sender and per number
    assert lock.reserve("s1", OTHER) is None and lock.reserve("s3", NUMBER) is None
    clock.now = fifth + LOCK_FOR - timedelta(seconds=1)
    assert lock.is_locked("s1", NUMBER)
    clock.now = fifth + LOCK_FOR
    assert not lock.is_locked("s1", NUMBER) and fail(lock, "s1", NUMBER)  # unlocked, counting afresh


def test_failures_spread_over_more_than_an_hour_do_not_lock(engine):
    clock = Clock()
    lock = VerificationLock(engine, now=clock)
    for _ in range(MAX_FAILURES * 2):
        assert fail(lock, "s1", NUMBER)
        clock.advance(minutes=16)  # never five within one hour
    assert not lock.is_locked("s1", NUMBER)


def test_failures_per_number_count_across_senders(engine):
    lock = VerificationLock(engine, now=Clock())
    for index in range(MAX_FAILURES):
        assert fail(lock, f"sender-{index}", NUMBER)
    assert lock.is_locked("a-newcomer", NUMBER) and not lock.is_locked("a-newcomer", OTHER)


def test_a_success_withdraws_its_reservation_and_its_lock(engine):
    lock = VerificationLock(engine, now=Clock())
    for _ in range(MAX_FAILURES - 1):
        assert fail(lock, "s1", NUMBER)
    reservation = lock.reserve("s1", NUMBER)  # the fifth attempt: locks in advance …
    assert reservation is not None and lock.is_locked("s1", NUMBER)
    lock.succeeded(reservation)  # … and the right digits lift it
    assert not lock.is_locked("s1", NUMBER)


def test_nothing_identifying_is_stored(engine):
    lock = VerificationLock(engine, now=Clock())
    fail(lock, "wechat-openid-abc", NUMBER)
    with engine.connect() as connection:
        stored = str(connection.execute(text("select * from verification_failures")).all()) + \
            str(connection.execute(text("select * from verification_keys")).all())
    assert NUMBER not in stored and "openid" not in stored


@pytest.mark.parametrize("earlier", [0, MAX_FAILURES - 1])
def test_a_burst_of_simultaneous_guesses_cannot_pass_the_check_together(engine, earlier):
    clock = Clock()
    lock = VerificationLock(engine, now=clock)
    for _ in range(earlier):
        assert fail(lock, "s0", NUMBER)

    async def burst() -> list[bool]:
        guesses = [asyncio.to_thread(fail, lock, f"guesser-{i}", NUMBER) for i in range(12)]
        return await asyncio.gather(*guesses)

    passed = asyncio.run(burst())
    assert sum(passed) == MAX_FAILURES - earlier
    assert lock.is_locked("anyone", NUMBER)
