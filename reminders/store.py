"""The reminder tables (Alembic migration 0006) and every read and write of them.

Personal data: the application number and the channel address (WeChat openid, app
sender id) are sealed (core/sealing.py) — the notifier unseals the address only to send;
subscriptions are found by salted hashes (core/identity.py) of the user and the number.
The notices kept in deliveries name the item and the *masked* number only, as the
conversation itself does.

Exactly once, however many notifiers run:
- a change becomes one delivery row per subscription, and the pair (subscription,
  change) is unique, so following the feed twice (two notifiers, a restart before the
  cursor moved) inserts nothing new;
- a delivery is sent only by the notifier whose conditional UPDATE moved it from
  `pending` to `sending` (one row changed: the claim is won), on SQLite and PostgreSQL;
- it is marked `sent` after the channel accepted it, or put back to `pending` with a
  later `next_attempt_at` (backoff) when the send failed without reaching the user;
- a claim whose lease ran out (the notifier died mid-send) is not resent blindly: an app
  callback carries the delivery id as Idempotency-Key, so it is retried; a WeChat
  message cannot be deduplicated by WeChat, so it becomes `unknown` and is not resent.
Statuses: pending, sending, sent, held (kept for the user's next reply), failed,
cancelled (unsubscribed meanwhile), unknown.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import (Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, UniqueConstraint, and_,
                        delete, func, insert, select, update)
from sqlalchemy.engine import Connection, Engine

from core.identity import salted_hash, sender_hash
from core.sealing import Sealer
from progress_api.changes import StageChange
from progress_api.masking import mask_application_number

OFFER_TTL = timedelta(hours=1)  # "提醒我" refers to an application verified within the last hour
FEED = "progress"

metadata = MetaData()
offers = Table(
    "reminder_offers", metadata,
    Column("user_hash", String(64), primary_key=True),
    Column("channel", String(16), nullable=False),
    Column("address_sealed", Text, nullable=False),
    Column("number_hash", String(64), nullable=False),
    Column("number_sealed", Text, nullable=False),
    Column("number_masked", String(20), nullable=False),
    Column("item_name", String(200), nullable=False),
    Column("offered_at", DateTime, nullable=False),
)
subscriptions = Table(
    "reminder_subscriptions", metadata,
    Column("id", Integer, primary_key=True),
    Column("user_hash", String(64), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("address_sealed", Text, nullable=False),
    Column("number_hash", String(64), nullable=False, index=True),
    Column("number_sealed", Text, nullable=False),
    Column("number_masked", String(20), nullable=False),
    Column("item_name", String(200), nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("user_hash", "number_hash", name="uq_reminder_subscription"),
)
consents = Table(
    "reminder_consents", metadata,
    Column("user_hash", String(64), primary_key=True),
    Column("remaining", Integer, nullable=False),
    Column("updated_at", DateTime, nullable=False),
)
deliveries = Table(
    "reminder_deliveries", metadata,
    Column("id", Integer, primary_key=True),
    Column("subscription_id", Integer, nullable=False),
    Column("change_key", String(64), nullable=False),
    Column("user_hash", String(64), nullable=False),
    Column("channel", String(16), nullable=False),
    Column("status", String(12), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt_at", DateTime, nullable=False),
    Column("claimed_by", String(64)),
    Column("claimed_until", DateTime),
    Column("completed", Boolean, nullable=False),
    Column("stage", String(20), nullable=False),
    Column("stage_name", String(20), nullable=False),
    Column("item_name", String(200), nullable=False),
    Column("number_masked", String(20), nullable=False),
    Column("changed_at", DateTime, nullable=False),  # naive UTC
    Column("text", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("sent_at", DateTime),
    Column("via", String(12)),
    UniqueConstraint("subscription_id", "change_key", name="uq_reminder_delivery"),
)
feed_cursor = Table(
    "reminder_feed", metadata,
    Column("name", String(32), primary_key=True),
    Column("cursor", String(64), nullable=False),
    Column("updated_at", DateTime, nullable=False),
)


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def number_hash(number: str) -> str:
    return salted_hash("reminder-application", number)


def user_hash(sender_id: str) -> str:
    """The same hash as the other stores (and the WeChat channel's consent records)."""
    return sender_hash(sender_id)


@dataclass(frozen=True)
class Subscribed:
    item_name: str
    number_masked: str
    channel: str
    already: bool


@dataclass(frozen=True)
class Claimed:
    """A delivery this notifier won, with what sending needs (the address unsealed)."""

    id: int
    user_hash: str
    channel: str
    address: str
    attempts: int
    completed: bool
    stage: str
    stage_name: str
    item_name: str
    number_masked: str
    changed_at: datetime
    text: str

    def __repr__(self) -> str:  # the address is personal data: never in a log line
        return f"Claimed(id={self.id}, channel={self.channel}, attempts={self.attempts})"


class ReminderStore:
    """Synchronous; the action server and the notifier call it from worker threads."""

    def __init__(self, engine: Engine, sealer: Sealer, now: Callable[[], datetime] = utc_now):
        self.engine, self.sealer, self.now = engine, sealer, now

    # --- the conversation side (actions/reminders.py) -------------------------------------

    def offer(self, sender_id: str, channel: str, number: str, item_name: str) -> None:
        """Remember the application just verified, so "提醒我" knows what to subscribe."""
        values = dict(channel=channel, address_sealed=self.sealer.seal(sender_id),
                      number_hash=number_hash(number), number_sealed=self.sealer.seal(number),
                      number_masked=mask_application_number(number), item_name=item_name[:200],
                      offered_at=self.now())
        key = user_hash(sender_id)
        with self.engine.begin() as connection:
            if not connection.execute(update(offers).where(offers.c.user_hash == key).values(**values)).rowcount:
                _upsert(connection, offers, dict(user_hash=key, **values), ["user_hash"], values)

    def subscribe(self, sender_id: str) -> Subscribed | None:
        """Subscribe to the application offered within OFFER_TTL; None when there is none."""
        key = user_hash(sender_id)
        with self.engine.begin() as connection:
            offer = connection.execute(select(offers).where(
                offers.c.user_hash == key, offers.c.offered_at >= self.now() - OFFER_TTL)).mappings().first()
            if offer is None:
                return None
            exists = connection.scalar(select(func.count()).select_from(subscriptions).where(
                subscriptions.c.user_hash == key, subscriptions.c.number_hash == offer["number_hash"]))
            if not exists:
                _upsert(connection, subscriptions, dict(
                    user_hash=key, channel=offer["channel"], address_sealed=offer["address_sealed"],
                    number_hash=offer["number_hash"], number_sealed=offer["number_sealed"],
                    number_masked=offer["number_masked"], item_name=offer["item_name"], created_at=self.now(),
                ), ["user_hash", "number_hash"], None)
        return Subscribed(offer["item_name"], offer["number_masked"], offer["channel"], bool(exists))

    def cancel(self, sender_id: str) -> int:
        """Remove every subscription of the user; pending deliveries become `cancelled` when due."""
        return self.cancel_user(user_hash(sender_id))

    def cancel_user(self, hashed_user: str) -> int:
        with self.engine.begin() as connection:
            return connection.execute(delete(subscriptions).where(subscriptions.c.user_hash == hashed_user)).rowcount

    def listing(self, sender_id: str) -> list[tuple[str, str]]:
        """(item name, masked number) of the user's subscriptions, oldest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(subscriptions.c.item_name, subscriptions.c.number_masked)
                                      .where(subscriptions.c.user_hash == user_hash(sender_id))
                                      .order_by(subscriptions.c.id)).all()
        return [(row[0], row[1]) for row in rows]

    def add_consents(self, hashed_user: str, count: int) -> None:
        """WeChat consents (one per accepted subscribe popup); the channel writes the same row."""
        now = self.now()
        with self.engine.begin() as connection:
            if not connection.execute(update(consents).where(consents.c.user_hash == hashed_user).values(
                    remaining=consents.c.remaining + count, updated_at=now)).rowcount:
                _upsert(connection, consents, dict(user_hash=hashed_user, remaining=count, updated_at=now),
                        ["user_hash"], dict(remaining=consents.c.remaining + count, updated_at=now))

    def remaining_consents(self, hashed_user: str) -> int:
        with self.engine.connect() as connection:
            return int(connection.scalar(select(consents.c.remaining).where(consents.c.user_hash == hashed_user)) or 0)

    def take_held(self, hashed_user: str) -> list[str]:
        """The held notices of a user, each claimed once (the WeChat channel does the same in SQL)."""
        taken = []
        with self.engine.begin() as connection:
            rows = connection.execute(select(deliveries.c.id, deliveries.c.text).where(
                deliveries.c.user_hash == hashed_user, deliveries.c.status == "held").order_by(deliveries.c.id)).all()
            for delivery_id, text in rows:
                if connection.execute(update(deliveries).where(deliveries.c.id == delivery_id,
                                                               deliveries.c.status == "held")
                                      .values(status="sent", via="reply", sent_at=self.now())).rowcount:
                    taken.append(text)
        return taken

    # --- the notifier side (reminders/notifier.py) ----------------------------------------

    def cursor(self) -> str | None:
        with self.engine.connect() as connection:
            return connection.scalar(select(feed_cursor.c.cursor).where(feed_cursor.c.name == FEED))

    def move_cursor(self, old: str | None, new: str) -> bool:
        """Compare-and-set: False when another notifier moved it first (harmless)."""
        with self.engine.begin() as connection:
            if old is None:
                return bool(_upsert(connection, feed_cursor, dict(name=FEED, cursor=new, updated_at=self.now()),
                                    ["name"], None))
            return bool(connection.execute(update(feed_cursor).where(
                feed_cursor.c.name == FEED, feed_cursor.c.cursor == old).values(cursor=new, updated_at=self.now()))
                        .rowcount)

    def enqueue(self, change: StageChange, text: str) -> int:
        """One pending delivery per subscription that existed when the change happened."""
        changed = change.at_utc
        key = salted_hash("reminder-change", f"{change.number}|{change.stage}|{change.at.isoformat()}")
        now = self.now()
        added = 0
        with self.engine.begin() as connection:
            subscribed = connection.execute(select(subscriptions.c.id, subscriptions.c.user_hash,
                                                   subscriptions.c.channel, subscriptions.c.created_at).where(
                subscriptions.c.number_hash == number_hash(change.number))).all()
            for subscription_id, hashed_user, channel, created in subscribed:
                if changed < created.replace(microsecond=0):
                    continue  # the change happened before the user asked
                added += _upsert(connection, deliveries, dict(
                    subscription_id=subscription_id, change_key=key, user_hash=hashed_user, channel=channel,
                    status="pending", attempts=0, next_attempt_at=now, completed=change.completed,
                    stage=change.stage, stage_name=change.stage_name, item_name=change.item_name[:200],
                    number_masked=mask_application_number(change.number), changed_at=changed, text=text,
                    created_at=now), ["subscription_id", "change_key"], None)
        return added

    def due(self, channels: tuple[str, ...] = ("wechat", "app"), limit: int = 50) -> list[int]:
        """Pending deliveries whose time has come, for the channels the caller can send to."""
        with self.engine.connect() as connection:
            return list(connection.scalars(select(deliveries.c.id).where(
                deliveries.c.status == "pending", deliveries.c.next_attempt_at <= self.now(),
                deliveries.c.channel.in_(channels))
                .order_by(deliveries.c.next_attempt_at, deliveries.c.id).limit(limit)))

    def claim(self, delivery_id: int, worker: str, lease: timedelta) -> Claimed | None:
        """Win the delivery (pending → sending) or None; cancelled when the user unsubscribed."""
        now = self.now()
        with self.engine.begin() as connection:
            won = connection.execute(update(deliveries).where(
                deliveries.c.id == delivery_id, deliveries.c.status == "pending", deliveries.c.next_attempt_at <= now)
                .values(status="sending", claimed_by=worker, claimed_until=now + lease)).rowcount
            if not won:
                return None
            row = connection.execute(select(deliveries, subscriptions.c.address_sealed).join(
                subscriptions, subscriptions.c.id == deliveries.c.subscription_id, isouter=True)
                .where(deliveries.c.id == delivery_id)).mappings().one()
            if row["address_sealed"] is None:
                connection.execute(update(deliveries).where(deliveries.c.id == delivery_id)
                                   .values(status="cancelled", claimed_until=None))
                return None
        return Claimed(id=row["id"], user_hash=row["user_hash"], channel=row["channel"],
                       address=self.sealer.unseal(row["address_sealed"]), attempts=row["attempts"],
                       completed=row["completed"], stage=row["stage"], stage_name=row["stage_name"],
                       item_name=row["item_name"], number_masked=row["number_masked"],
                       changed_at=row["changed_at"], text=row["text"])

    def finish(self, claimed: Claimed, status: str, via: str | None = None) -> None:
        """sent, held, failed: the end of a delivery this notifier claimed."""
        with self.engine.begin() as connection:
            connection.execute(update(deliveries).where(deliveries.c.id == claimed.id, deliveries.c.status == "sending")
                               .values(status=status, via=via, claimed_until=None,
                                       sent_at=self.now() if status == "sent" else None))

    def retry(self, claimed: Claimed, delay: timedelta) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(deliveries).where(deliveries.c.id == claimed.id, deliveries.c.status == "sending")
                               .values(status="pending", attempts=deliveries.c.attempts + 1,
                                       next_attempt_at=self.now() + delay, claimed_until=None))

    def take_consent(self, hashed_user: str) -> bool:
        """Use one WeChat consent; False when none is left."""
        with self.engine.begin() as connection:
            return bool(connection.execute(update(consents).where(
                consents.c.user_hash == hashed_user, consents.c.remaining > 0)
                .values(remaining=consents.c.remaining - 1, updated_at=self.now())).rowcount)

    def give_back_consent(self, hashed_user: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(consents).where(consents.c.user_hash == hashed_user)
                               .values(remaining=consents.c.remaining + 1, updated_at=self.now()))

    def forget_consents(self, hashed_user: str) -> None:
        """WeChat says the user has not consented (43101): what we counted is wrong."""
        with self.engine.begin() as connection:
            connection.execute(update(consents).where(consents.c.user_hash == hashed_user)
                               .values(remaining=0, updated_at=self.now()))

    def end_subscription_after(self, claimed: Claimed) -> None:
        """A completed application will not move again: its subscription ends."""
        with self.engine.begin() as connection:
            sub = select(deliveries.c.subscription_id).where(deliveries.c.id == claimed.id).scalar_subquery()
            connection.execute(delete(subscriptions).where(subscriptions.c.id == sub))

    def recover_expired(self) -> dict[str, int]:
        """Claims whose lease ran out: app callbacks back to pending, WeChat ones to unknown."""
        now = self.now()
        expired = and_(deliveries.c.status == "sending", deliveries.c.claimed_until < now)
        with self.engine.begin() as connection:
            retried = connection.execute(update(deliveries).where(expired, deliveries.c.channel == "app")
                                         .values(status="pending", claimed_until=None)).rowcount
            unknown = connection.execute(update(deliveries).where(expired, deliveries.c.channel != "app")
                                         .values(status="unknown", claimed_until=None)).rowcount
        return {"retried": retried, "unknown": unknown}

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(deliveries.c.status, func.count()).group_by(deliveries.c.status)).all()
        return {status: int(count) for status, count in rows}


def _upsert(connection: Connection, table: Table, values: dict, keys: list[str], on_conflict: dict | None) -> int:
    """INSERT … ON CONFLICT (keys) DO NOTHING / DO UPDATE; the number of rows written."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL only
        return connection.execute(insert(table).values(**values)).rowcount
    statement = dialect_insert(table).values(**values)
    statement = statement.on_conflict_do_nothing(index_elements=keys) if on_conflict is None else \
        statement.on_conflict_do_update(index_elements=keys, set_=on_conflict)
    return connection.execute(statement).rowcount
