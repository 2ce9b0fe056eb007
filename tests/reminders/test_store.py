"""The reminder tables directly: claims are won once, an expired lease is not resent
blindly, nothing personal is stored in clear, a change is queued once."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from core.sealing import Sealer
from knowledge.db import make_engine, upgrade_schema
from progress_api.changes import StageChange
from reminders.store import ReminderStore

NUMBER = "CQ202605140001233"


@pytest.fixture
def store(tmp_path) -> ReminderStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    upgrade_schema(engine)
    return ReminderStore(engine, Sealer(Fernet.generate_key()))


def change(stage: str = "review", minutes: int = 1) -> StageChange:
    at = datetime.now(timezone.utc) + timedelta(minutes=minutes)
    return StageChange(number=NUMBER, item_code="X1", item_name="护照签发", stage=stage, stage_name="审查",
                       completed=False, at=at)


def subscribed(store: ReminderStore, sender: str, channel: str) -> None:
    store.offer(sender, channel, NUMBER, "护照签发")
    assert store.subscribe(sender) is not None


def test_nothing_personal_in_clear(store):
    subscribed(store, "oSecretOpenid", "wechat")
    with store.engine.connect() as connection:
        dump = str([connection.execute(text(f"select * from {table}")).all()
                    for table in ("reminder_offers", "reminder_subscriptions")])
    assert NUMBER not in dump and "oSecretOpenid" not in dump and "CQ2026****1233" in dump


def test_a_change_is_queued_once_and_claimed_once(store):
    subscribed(store, "app:u1", "app")
    moved = change()
    assert store.enqueue(moved, "notice") == 1
    assert store.enqueue(moved, "notice") == 0  # the feed read again (another notifier, a restart)
    [delivery] = store.due()
    first = store.claim(delivery, "a", timedelta(seconds=30))
    assert first is not None and first.address == "app:u1" and "app:u1" not in repr(first)
    assert store.claim(delivery, "b", timedelta(seconds=30)) is None


def test_an_expired_lease_retries_app_callbacks_and_never_resends_wechat(store):
    subscribed(store, "app:u2", "app")
    subscribed(store, "oWeChat", "wechat")
    store.enqueue(change(), "notice")
    for delivery in store.due():
        assert store.claim(delivery, "dead-notifier", timedelta(seconds=-1)) is not None
    assert store.recover_expired() == {"retried": 1, "unknown": 1}
    assert store.counts() == {"pending": 1, "unknown": 1}


def test_consents_are_used_one_by_one(store):
    store.add_consents("h", 2)
    assert [store.take_consent("h") for _ in range(3)] == [True, True, False]
    store.give_back_consent("h")
    assert store.remaining_consents("h") == 1
    store.forget_consents("h")
    assert store.remaining_consents("h") == 0
