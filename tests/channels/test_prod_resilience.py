"""The production profile's fault handling inside Rasa (Rasa environment): the guarded REST
channel on a real Sanic app, the retrying tracker store, the Redis lock store's fallback."""
from __future__ import annotations

import asyncio
import json
import urllib.request

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from bot.prod.errors import ConversationStoreUnavailable
from bot.prod.stores import ResilientRedisLockStore, ResilientSQLTrackerStore, UrlSQLEventBroker, with_retries
from channels.guard import UNAVAILABLE_TEXT
from channels.rest import GuardedRestInput
from tests.channels.wechat_support import served_channel
from tests.strict import unavailable


class Agent:
    """Stands in for Rasa's agent: each test says what handling a message does."""

    def __init__(self, behaviour):
        self.behaviour = behaviour

    async def handle_message(self, message) -> None:
        await self.behaviour(message)


@pytest.fixture(scope="module")
def server():
    yield from served_channel(GuardedRestInput.from_credentials({}), "guard_test_")


def post(server, behaviour) -> tuple[int, list[dict]]:
    app, url = server
    app.ctx.agent = Agent(behaviour)
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook", data=json.dumps(
        {"sender": "u1", "message": "开公司要什么材料"}).encode(), headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read())


def test_an_answered_turn_passes_unchanged(server):
    async def answer(message):
        await message.output_channel.send_text_message(message.sender_id, "【有限责任公司设立登记】所需材料")

    assert post(server, answer) == (200, [{"recipient_id": "rest:u1", "text": "【有限责任公司设立登记】所需材料"}])


def test_a_turn_without_any_answer_gets_the_busy_message(server):
    async def silent(_message):  # what Rasa does when the action server is down
        return None

    status, messages = post(server, silent)
    assert status == 200 and [m["text"] for m in messages] == [UNAVAILABLE_TEXT]
    assert messages[0]["custom"] == {"type": "unavailable", "retry": True}


@pytest.mark.parametrize("failure", [ConversationStoreUnavailable("save"), RuntimeError("lock store")])
def test_a_failed_turn_replaces_its_partial_answer_with_the_busy_message(server, failure):
    async def fail_after_answering(message):
        await message.output_channel.send_text_message(message.sender_id, "半个答案")
        raise failure

    status, messages = post(server, fail_after_answering)
    assert status == 200 and [m["text"] for m in messages] == [UNAVAILABLE_TEXT]


@pytest.fixture
def tracker_store(tmp_path):
    from rasa.core.brokers.sql import SQLEventBroker
    from rasa.shared.core.domain import Domain

    broker = SQLEventBroker(db=str(tmp_path / "events.db"))
    store = ResilientSQLTrackerStore(domain=Domain.load("bot/domain"), url=f"sqlite:///{tmp_path / 'conv.db'}",
                                     event_broker=broker, seal_key=Fernet.generate_key().decode(), retry_seconds=1.0)
    return store, broker


def broker_rows(broker) -> list[dict]:
    with broker.engine.connect() as connection:
        return [json.loads(row[0]) for row in connection.execute(sa.text("SELECT data FROM events ORDER BY id"))]


def test_a_save_retried_after_a_broker_failure_publishes_each_event_once(tracker_store):
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store, broker = tracker_store
    publish = broker.publish
    calls = {"n": 0}

    def flaky(event):
        calls["n"] += 1
        if calls["n"] == 3:  # the third event meets a database restart
            raise sa.exc.OperationalError("INSERT", {}, Exception("server closed the connection"))
        publish(event)

    broker.publish = flaky
    tracker = DialogueStateTracker.from_events("u1", [ActionExecuted("action_listen"), UserUttered("你好"),
                                                      BotUttered("您好"), ActionExecuted("action_listen")])
    asyncio.run(store.save(tracker))
    published = [(e["event"], e["timestamp"]) for e in broker_rows(broker)]
    assert len(published) == len(tracker.events) == len(set(published))
    assert [e.type_name for e in asyncio.run(store.retrieve("u1")).events] == [e.type_name for e in tracker.events]


def test_a_turn_reaches_the_url_broker_in_one_transaction_and_once_after_a_retry(tmp_path):
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    broker = UrlSQLEventBroker(f"sqlite:///{tmp_path / 'events.db'}")
    store = ResilientSQLTrackerStore(domain=Domain.load("bot/domain"), url=f"sqlite:///{tmp_path / 'conv.db'}",
                                     event_broker=broker, seal_key=Fernet.generate_key().decode(), retry_seconds=1.0)
    batches: list[int] = []
    publish_many = broker.publish_many

    def first_commit_fails(events):
        batches.append(len(events))
        if len(batches) == 1:
            raise sa.exc.OperationalError("COMMIT", {}, Exception("server closed the connection"))
        publish_many(events)

    broker.publish_many = first_commit_fails
    tracker = DialogueStateTracker.from_events("u2", [ActionExecuted("action_listen"), UserUttered("你好"),
                                                      BotUttered("您好"), ActionExecuted("action_listen")])
    asyncio.run(store.save(tracker))
    assert batches == [4, 4]  # the whole turn at once, again after the failed commit
    assert [(e["event"], e["timestamp"]) for e in broker_rows(broker)] == \
        [(e.type_name, e.timestamp) for e in tracker.events]


def test_retries_give_up_with_conversation_store_unavailable():
    attempts = {"n": 0}

    async def always_down():
        attempts["n"] += 1
        raise sa.exc.OperationalError("SELECT", {}, Exception("connection refused"))

    with pytest.raises(ConversationStoreUnavailable):
        asyncio.run(with_retries("retrieve", always_down, budget=0.5))
    assert attempts["n"] >= 3


def test_errors_that_a_retry_cannot_fix_are_raised_at_once():
    attempts = {"n": 0}

    async def broken():
        attempts["n"] += 1
        raise sa.exc.IntegrityError("INSERT", {}, Exception("duplicate key"))

    with pytest.raises(sa.exc.IntegrityError):
        asyncio.run(with_retries("save", broken, budget=2))
    assert attempts["n"] == 1


def test_lock_store_without_redis_serialises_locally():
    store = ResilientRedisLockStore(url="redis://127.0.0.1:1/0", socket_timeout=0.5)
    order: list[str] = []

    async def turn(name: str) -> None:
        async with store.lock("u1", wait_time_in_seconds=0.01):
            order.append(f"{name}-start")
            await asyncio.sleep(0.05)
            order.append(f"{name}-end")

    async def both() -> None:
        await asyncio.gather(turn("a"), turn("b"))

    asyncio.run(both())
    assert order in (["a-start", "a-end", "b-start", "b-end"], ["b-start", "b-end", "a-start", "a-end"])
    assert store.redis_down and store.fallbacks == 2


def test_lock_store_uses_redis_when_it_answers():
    import redis

    url = "redis://127.0.0.1:6379/12"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        unavailable("no Redis on 127.0.0.1:6379")
    store = ResilientRedisLockStore(url=url, key_prefix="yubantest")
    seen: list[bool] = []

    async def turn() -> None:
        async with store.lock("u-redis"):
            seen.append(store.red.exists(store.key_prefix + "u-redis") == 1)

    asyncio.run(turn())
    assert seen == [True] and not store.redis_down and store.fallbacks == 0
    assert store.red.exists(store.key_prefix + "u-redis") == 0  # released


def _redis_url_or_skip(database: int) -> str:
    import redis

    url = f"redis://127.0.0.1:6379/{database}"
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        unavailable("no Redis on 127.0.0.1:6379")
    return url


def _race_for_tickets(stores, conversation: str, per_store: int) -> list[int]:
    """Every store (one per Rasa process) takes tickets for one conversation at the same moment."""
    import threading

    barrier = threading.Barrier(len(stores))
    tickets: list[int] = []

    def take(store) -> None:
        barrier.wait()
        for _ in range(per_store):
            tickets.append(store.issue_ticket(conversation, 60))

    threads = [threading.Thread(target=take, args=(store,)) for store in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tickets


def test_processes_taking_tickets_at_once_never_share_one():
    """Rasa's RedisLockStore gives two processes the same ticket (read, change, write in three
    steps), so both handle one conversation at once and a turn is lost; ours cannot."""
    from rasa.core.lock_store import RedisLockStore

    url = _redis_url_or_skip(12)
    ours = [ResilientRedisLockStore(url=url, key_prefix="yubanrace") for _ in range(4)]
    ours[0].red.delete(ours[0].key_prefix + "u-race")
    tickets = _race_for_tickets(ours, "u-race", 50)
    assert sorted(tickets) == list(range(200))
    stored = ours[0].get_lock("u-race")
    assert len(stored.tickets) == 200
    for ticket in tickets:
        ours[ticket % 4].cleanup("u-race", ticket)
    assert ours[0].red.exists(ours[0].key_prefix + "u-race") == 0  # the last release removed the lock

    # The same race against Rasa's own store shows what the transaction prevents.
    rasa_stores = [RedisLockStore(host="127.0.0.1", port=6379, db=12, key_prefix="yubanrace2") for _ in range(4)]
    rasa_stores[0].red.delete(rasa_stores[0].key_prefix + "u-race")
    lost = 200 - len(set(_race_for_tickets(rasa_stores, "u-race", 50)))
    rasa_stores[0].red.delete(rasa_stores[0].key_prefix + "u-race")
    print(f"[Rasa's RedisLockStore: {lost} of 200 tickets issued twice in the same race]")


def test_a_release_racing_a_new_ticket_keeps_the_newcomer_waiting_in_line():
    url = _redis_url_or_skip(12)
    first, second = (ResilientRedisLockStore(url=url, key_prefix="yubanrelease") for _ in range(2))
    first.red.delete(first.key_prefix + "u-rel")
    for round_ in range(100):
        held = first.issue_ticket("u-rel", 60)
        tickets = _race_for_tickets([_Releaser(first, held), second], "u-rel", 1)
        newcomer = [t for t in tickets if t is not None]
        lock = second.get_lock("u-rel")
        assert lock is not None and [t.number for t in lock.tickets] == newcomer, round_
        assert not lock.is_locked(newcomer[0])  # it is served next
        second.cleanup("u-rel", newcomer[0])
    assert first.red.exists(first.key_prefix + "u-rel") == 0


class _Releaser:
    """Stands in a ticket race for a process that finishes its turn (releases its ticket)."""

    def __init__(self, store, ticket: int):
        self.store, self.ticket = store, ticket

    def issue_ticket(self, conversation: str, _lifetime: float):
        self.store.cleanup(conversation, self.ticket)
        return None
