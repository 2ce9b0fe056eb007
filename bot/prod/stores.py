"""Rasa's SQL tracker store, SQL event broker and Redis lock store for the production profile.

They are Rasa's own classes (deploy/endpoints.prod.yml names them), configured by one URL
each; the tracker store is the private one of bot/ops/tracker_store.py (personal data
masked, progress slots sealed). All are made to survive what a city-wide deployment meets:

- PostgreSQL restarts: connections are checked before use (pool_pre_ping) and a failed
  read or write is retried for `YUBAN_STORE_RETRY_SECONDS` (default 3 s) with backoff,
  without blocking the event loop. Writes are idempotent (Rasa appends only the events
  the database does not hold yet, in one transaction); the events of a turn reach the
  broker in one transaction too, and a retry does not publish them again. When the budget is spent the
  store raises `ConversationStoreUnavailable` instead of letting Rasa continue with an
  empty tracker (see bot/prod/errors.py).
- Redis outages: the lock store keeps serving conversations with a process-local lock
  while Redis does not answer and goes back to Redis as soon as it does.

Imported by Rasa (the Rasa environment, SQLAlchemy 1.4, redis 4).
"""
from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import os
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Awaitable, Callable, TypeVar

import sqlalchemy
from rasa.core.lock import TicketLock
from rasa.core.lock_store import DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX, LOCK_LIFETIME, InMemoryLockStore, LockError, \
    RedisLockStore
from rasa.core.tracker_store import create_engine_kwargs
from rasa.utils.endpoints import EndpointConfig
from sqlalchemy.engine import make_url

from bot.ops.event_broker import BatchingSQLEventBroker
from bot.ops.tracker_store import PrivateSQLTrackerStore
from bot.prod.errors import ConversationStoreUnavailable

logger = logging.getLogger(__name__)

T = TypeVar("T")
TRANSIENT_DB_ERRORS = (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError)
FIRST_DELAY, MAX_DELAY = 0.1, 1.0

# How many events of the tracker being saved were already published in an earlier attempt.
_published: contextvars.ContextVar[list[int] | None] = contextvars.ContextVar("yuban_published", default=None)


def retry_budget() -> float:
    raw = os.environ.get("YUBAN_STORE_RETRY_SECONDS", "3")
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"YUBAN_STORE_RETRY_SECONDS 应为秒数，实际为 {raw!r}") from None
    return max(0.0, value)


def _is_transient(error: BaseException) -> bool:
    if isinstance(error, TRANSIENT_DB_ERRORS):
        return True
    return isinstance(error, sqlalchemy.exc.DBAPIError) and bool(error.connection_invalidated)


async def with_retries(operation: str, attempt: Callable[[], Awaitable[T]], budget: float) -> T:
    """Run `attempt` until it succeeds or `budget` seconds are spent on transient database errors."""
    deadline = time.monotonic() + budget
    delay = FIRST_DELAY
    while True:
        try:
            return await attempt()
        except sqlalchemy.exc.DBAPIError as error:
            if not _is_transient(error):
                raise
            if time.monotonic() + delay > deadline:
                logger.error("conversation store: %s failed for %.1f s, giving up: %s", operation, budget,
                             type(error.orig).__name__ if error.orig is not None else type(error).__name__)
                raise ConversationStoreUnavailable(operation) from error
            logger.warning("conversation store: %s failed (%s), retrying in %.1f s", operation,
                           type(error.orig).__name__ if error.orig is not None else type(error).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_DELAY)


def create_tables(metadata, engine, attempts: int = 10) -> None:
    """create_all that tolerates another Rasa process creating the same tables at the same moment."""
    for attempt in range(attempts):
        try:
            metadata.create_all(engine)
            return
        except (sqlalchemy.exc.IntegrityError, sqlalchemy.exc.ProgrammingError, sqlalchemy.exc.OperationalError):
            if attempt == attempts - 1:
                raise
            time.sleep(0.5)


def _sql_arguments(url: str) -> dict[str, Any]:
    """SQLTrackerStore's keyword arguments from one SQLAlchemy URL."""
    if not url:
        raise ValueError("tracker_store: 缺少 url（YUBAN_TRACKER_DATABASE_URL）")
    parsed = make_url(url)
    return {"dialect": parsed.drivername, "host": parsed.host, "port": parsed.port, "db": parsed.database,
            "username": parsed.username, "password": parsed.password, "query": dict(parsed.query) or None}


class ResilientStoreMixin:
    """Retries the reads and writes of a SQL tracker store (put it first in the bases)."""

    retry_seconds: float

    async def retrieve(self, sender_id: str):
        fetch = super().retrieve
        return await with_retries("retrieve", lambda: fetch(sender_id), self.retry_seconds)

    async def retrieve_full_tracker(self, conversation_id: str):
        fetch = super().retrieve_full_tracker
        return await with_retries("retrieve", lambda: fetch(conversation_id), self.retry_seconds)

    async def keys(self):
        fetch = super().keys
        return await with_retries("keys", fetch, self.retry_seconds)

    async def save(self, tracker) -> None:
        write = super().save
        token = _published.set([0])
        try:
            await with_retries("save", lambda: write(tracker), self.retry_seconds)
        finally:
            _published.reset(token)

    async def _publish(self, event_broker, bodies: list[dict[str, Any]]) -> None:
        # A retried save computes the same new events (the database did not change); skip
        # the ones an earlier attempt already published, so the broker holds each event once.
        # The private store hands over the whole turn (one transaction with publish_many).
        published = _published.get()
        remaining = bodies[published[0]:] if published else bodies
        if hasattr(event_broker, "publish_many"):
            if remaining:
                event_broker.publish_many(remaining)
            if published:
                published[0] += len(remaining)
            return
        for body in remaining:
            event_broker.publish(body)
            if published:
                published[0] += 1


class ResilientSQLTrackerStore(ResilientStoreMixin, PrivateSQLTrackerStore):
    """The private SQL tracker store (bot/ops/tracker_store.py: personal data masked, the
    progress slots sealed) on the database of one URL (`url:` in endpoints), with retries."""

    def __init__(self, domain=None, host: str | None = None, event_broker=None, url: str | None = None,
                 retry_seconds: float | None = None, **kwargs: Any) -> None:
        database_url = url or host or ""
        super().__init__(domain=domain, event_broker=event_broker, **_sql_arguments(database_url), **kwargs)
        self.retry_seconds = retry_budget() if retry_seconds is None else retry_seconds
        # Rasa's engine does not check pooled connections; after a database restart every
        # pooled connection is dead. Replace it with one that checks before use.
        engine_url = self.engine.url
        self.engine.dispose()
        self.engine = sqlalchemy.create_engine(engine_url, pool_pre_ping=True, **create_engine_kwargs(engine_url))
        self.sessionmaker = sqlalchemy.orm.session.sessionmaker(bind=self.engine)


class UrlSQLEventBroker(BatchingSQLEventBroker):
    """Rasa's SQL event broker on the database of one URL; connections checked before use;
    a turn's events in one transaction (publish_many)."""

    def __init__(self, url: str) -> None:  # replaces SQLEventBroker.__init__ (not extended)
        if not url:
            raise ValueError("event_broker: 缺少 url（YUBAN_EVENTS_DATABASE_URL）")
        import sqlalchemy.orm
        from rasa.core.tracker_store import SQLTrackerStore

        arguments = _sql_arguments(url)
        arguments.pop("query")
        self.engine = sqlalchemy.create_engine(SQLTrackerStore.get_db_url(**arguments), pool_pre_ping=True)
        create_tables(self.Base.metadata, self.engine)
        self.sessionmaker = sqlalchemy.orm.sessionmaker(bind=self.engine)

    @classmethod
    async def from_endpoint_config(cls, broker_config: EndpointConfig, event_loop=None) -> UrlSQLEventBroker:
        return cls(broker_config.url)


class ResilientRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store that keeps conversations going while Redis is unreachable.

    Without Redis each Rasa process still serialises the messages of a conversation it
    handles (a process-local lock); only two messages of the same user arriving at the
    same moment on two different processes could overlap, which users waiting for an
    answer do not do. The outage and the recovery are logged once each.
    """

    def __init__(self, endpoint_config: EndpointConfig | None = None, url: str | None = None,
                 socket_timeout: float = 1.0, key_prefix: str | None = None) -> None:
        import redis

        url = url or (endpoint_config.url if endpoint_config else None)
        if not url:
            raise ValueError("lock_store: 缺少 url（YUBAN_REDIS_URL）")
        key_prefix = key_prefix or (endpoint_config.kwargs.get("key_prefix") if endpoint_config else None)
        self.red = redis.Redis.from_url(url, socket_timeout=socket_timeout, socket_connect_timeout=socket_timeout)
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        if key_prefix:
            self._set_key_prefix(key_prefix)
        self.local = InMemoryLockStore()
        self.redis_down = False
        self.fallbacks = 0  # conversations turns served with the local lock (for tests and metrics)

    @asynccontextmanager
    async def lock(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = 1) -> AsyncGenerator[Any, None]:
        import redis

        try:
            ticket = self.issue_ticket(conversation_id, lock_lifetime)
            held = await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        except (LockError, redis.RedisError) as error:
            cause = error if isinstance(error, redis.RedisError) else error.__context__
            if not isinstance(cause, redis.RedisError):
                raise
            self._went_down(cause)
            async with self.local.lock(conversation_id, lock_lifetime, wait_time_in_seconds) as local_lock:
                yield local_lock
            return
        self._came_back()
        try:
            yield held
        finally:
            try:
                self.cleanup(conversation_id, ticket)
            except redis.RedisError as error:  # the lock expires by itself (its lifetime)
                self._went_down(error)

    # Rasa's RedisLockStore reads a conversation's ticket lock, changes it and writes it back
    # in separate commands. Two Rasa processes taking a ticket at the same moment then both
    # get the same number, handle one conversation at once, and the second save loses the
    # first turn's events; a release racing a new ticket can delete the newcomer's ticket.
    # Each change below is one Redis transaction (WATCH/MULTI/EXEC, retried on conflict).

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        def take(lock: TicketLock | None) -> tuple[TicketLock, int]:
            lock = lock or self.create_lock(conversation_id)
            return lock, lock.issue_ticket(lock_lifetime)

        try:
            return self._transact(conversation_id, take)
        except Exception as error:  # as Rasa's: callers expect a LockError (its cause tells Redis errors)
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        def drop_expired(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_expired_tickets()
            return lock, None

        self._transact(conversation_id, drop_expired, create=False)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self.cleanup(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Give the ticket back; the lock goes when nobody else holds a ticket (in one step)."""
        def release(lock: TicketLock | None) -> tuple[TicketLock | None, None]:
            if lock:
                lock.remove_ticket_for(ticket_number)
            return lock, None

        self._transact(conversation_id, release, create=False)

    def _transact(self, conversation_id: str, change: Callable[[TicketLock | None], tuple[TicketLock | None, T]],
                  create: bool = True) -> T:
        import redis

        key = self.key_prefix + conversation_id
        with self.red.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(key)
                    stored = pipe.get(key)
                    lock = TicketLock.from_dict(json.loads(stored)) if stored else None
                    if lock is None and not create:
                        pipe.unwatch()
                        return change(None)[1]
                    lock, result = change(lock)
                    pipe.multi()
                    if lock is None or not lock.is_someone_waiting():
                        pipe.delete(key)
                    else:
                        pipe.set(key, lock.dumps())
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue  # another process changed this lock meanwhile: read it again

    def _went_down(self, error: BaseException) -> None:
        self.fallbacks += 1
        if not self.redis_down:
            logger.error("lock store: Redis unreachable (%s); using a process-local lock until it answers",
                         type(error).__name__)
        self.redis_down = True

    def _came_back(self) -> None:
        if self.redis_down:
            logger.warning("lock store: Redis answers again; conversations are locked in Redis again")
        self.redis_down = False
