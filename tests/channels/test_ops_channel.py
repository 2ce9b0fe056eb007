"""The ops channel on a real Sanic app: health, readiness with each dependency, request
metrics for every route of the server, JSON logs; and the private tracker store as Rasa
loads it from endpoints.yml (a class Rasa cannot import silently becomes in-memory)."""
from __future__ import annotations

import json
import logging
import sqlite3
import urllib.error
import urllib.request

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet
from sanic import Sanic, response

from channels.ops import OpsInput
from tests.channels.wechat_support import BackgroundLoop, ServedApp, unique
from tests.strict import unavailable


class Agent:
    def __init__(self, tracker_store, lock_store, ready: bool = True):
        self.tracker_store, self.lock_store, self._ready = tracker_store, lock_store, ready

    def is_ready(self) -> bool:
        return self._ready


class Unreachable:
    """A store whose database refuses connections (the engine connects lazily)."""

    def __init__(self):
        self.engine = sa.create_engine("postgresql://nobody:pw@127.0.0.1:1/none")
        self.event_broker = None


@pytest.fixture
def private_store(tmp_path, monkeypatch):
    from rasa.core.brokers.sql import SQLEventBroker
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.utils.endpoints import EndpointConfig

    monkeypatch.setenv("YUBAN_SEAL_KEY", Fernet.generate_key().decode())
    broker = SQLEventBroker(db=str(tmp_path / "events.db"))
    config = EndpointConfig(type="bot.ops.tracker_store.PrivateSQLTrackerStore", dialect="sqlite",
                            db=str(tmp_path / "conversations.db"))
    store = TrackerStore.create(config, Domain.load("bot/domain"), broker)
    return store, tmp_path


@pytest.fixture(scope="module")
def server():
    """One served app for the module (Sanic 21.12 cannot start many apps in one process);
    each test puts its own agent into it."""
    from rasa.core.channels.channel import register

    loop = BackgroundLoop()
    root = logging.getLogger()
    saved = list(root.handlers), root.level
    app = Sanic(unique("ops_test_"), configure_logging=False)

    @app.get("/items/<code>")
    async def item(_request, code):
        return response.json({"code": code})

    register([OpsInput.from_credentials({})], app, route="/webhooks/")
    served_app = ServedApp.around(app)
    loop.run(served_app.start())
    yield app, served_app.url
    loop.run(served_app.stop())
    loop.close()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])


@pytest.fixture
def served(server):
    app, url = server

    def serve(agent) -> str:
        app.ctx.agent = agent
        return url

    return serve


def get(url: str) -> tuple[int, dict | str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            body = answer.read().decode()
            status = answer.status
    except urllib.error.HTTPError as error:
        body, status = error.read().decode(), error.code
    try:
        return status, json.loads(body)
    except ValueError:
        return status, body


def test_the_private_store_is_what_rasa_builds_from_the_endpoint_config(private_store):
    from bot.ops.tracker_store import PrivateSQLTrackerStore

    store, _ = private_store
    inner = store
    while hasattr(inner, "_tracker_store"):
        inner = inner._tracker_store
    assert isinstance(inner, PrivateSQLTrackerStore)


async def test_stored_and_streamed_events_are_masked_and_sealed_slots_come_back(private_store):
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

    store, folder = private_store
    tracker = await store.get_or_create_tracker("ops-user")
    tracker.update(UserUttered("我叫张三，电话13812345678，办件CQ202605140001233",
                               parse_data={"intent": {"name": "inform", "confidence": 1.0}, "entities": [],
                                           "text": "我叫张三，电话13812345678"}))
    tracker.update(SlotSet("application_number", "CQ202605140001233"))
    tracker.update(BotUttered("好的，CQ202605140001233", data={"custom": {"phone": "13812345678"}}))
    await store.save(tracker)
    assert (await store.retrieve("ops-user")).get_slot("application_number") == "CQ202605140001233"
    for name in ("conversations.db", "events.db"):
        with sqlite3.connect(folder / name) as connection:
            stored = "\n".join(json.dumps(json.loads(data), ensure_ascii=False)
                               for (data,) in connection.execute("SELECT data FROM events"))
        assert "13812345678" not in stored and "CQ202605140001233" not in stored and "张三" not in stored
        assert "[手机号]" in stored and "sealed:v1:" in stored


def test_health_and_readiness_with_every_dependency_up(served, private_store):
    from rasa.core.lock_store import InMemoryLockStore

    url = served(Agent(private_store[0], InMemoryLockStore()))
    assert get(url + "/webhooks/ops/health") == (200, {"status": "ok", "service": "rasa"})
    status, answer = get(url + "/webhooks/ops/ready")
    assert status == 200, answer
    assert answer["checks"] == {"model": "ok", "tracker_store": "ok", "lock_store": "ok", "event_broker": "ok"}


def test_not_ready_names_the_unreachable_store_and_a_missing_model(served):
    from rasa.core.lock_store import InMemoryLockStore

    url = served(Agent(Unreachable(), InMemoryLockStore()))
    status, answer = get(url + "/webhooks/ops/ready")
    assert status == 503 and answer["status"] == "not_ready"
    assert answer["checks"]["tracker_store"].startswith("OperationalError") and "pw@" not in json.dumps(answer)
    assert answer["checks"]["lock_store"] == "ok"
    url = served(Agent(Unreachable(), InMemoryLockStore(), ready=False))
    status, answer = get(url + "/webhooks/ops/ready")
    assert status == 503 and answer["checks"]["model"] == "RuntimeError: model not loaded yet"


def test_every_route_of_the_server_is_counted_by_pattern_and_logs_are_json(served, private_store):
    from rasa.core.lock_store import InMemoryLockStore

    url = served(Agent(private_store[0], InMemoryLockStore()))
    get(url + "/items/CQ202605140001233")
    get(url + "/nothing/here")
    status, metrics = get(url + "/webhooks/ops/metrics")
    assert status == 200
    assert 'route="/items/<code' in metrics and 'route="unmatched"' in metrics  # <code> or <code:str>
    assert "CQ2026" not in metrics
    handlers = logging.getLogger().handlers  # pytest adds its capture handlers during a test
    assert "yuban-json" in [handler.get_name() for handler in handlers]
    assert not [h for h in handlers if type(h) is logging.StreamHandler and h.get_name() != "yuban-json"]


def test_unknown_settings_are_refused():
    with pytest.raises(ValueError, match="log_levle"):
        OpsInput.from_credentials({"log_levle": "DEBUG"})


async def test_the_private_store_works_on_postgresql(monkeypatch):
    """The production profile's store: PostgreSQL, the key from configuration."""
    import os

    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet, UserUttered
    from rasa.utils.endpoints import EndpointConfig

    admin = sa.create_engine(os.environ.get("YUBAN_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"),
                             isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text("DROP DATABASE IF EXISTS yuban_obs_test"))
    except sa.exc.OperationalError as error:
        unavailable(f"PostgreSQL not reachable: {error}")
    key = Fernet.generate_key().decode()
    config = EndpointConfig(type="bot.ops.tracker_store.PrivateSQLTrackerStore", dialect="postgresql",
                            url="127.0.0.1", port=5432, username="postgres", db="yuban_obs_test",
                            login_db="postgres", seal_key=key)
    try:
        store = TrackerStore.create(config, Domain.load("bot/domain"))
        tracker = await store.get_or_create_tracker("pg-user")
        tracker.update(UserUttered("办件CQ202605140001233，电话13812345678"))
        tracker.update(SlotSet("application_number", "CQ202605140001233"))
        await store.save(tracker)
        assert (await store.retrieve("pg-user")).get_slot("application_number") == "CQ202605140001233"
        engine = sa.create_engine("postgresql://postgres@127.0.0.1:5432/yuban_obs_test")
        with engine.connect() as connection:
            stored = "\n".join(connection.execute(sa.text("SELECT data FROM events")).scalars())
        engine.dispose()
        assert "13812345678" not in stored and "CQ202605140001233" not in stored and "sealed:v1:" in stored
    finally:
        store_engine = getattr(locals().get("store"), "engine", None)
        if store_engine is not None:
            store_engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text("DROP DATABASE IF EXISTS yuban_obs_test WITH (FORCE)"))
        admin.dispose()


def test_the_redis_lock_store_is_pinged(served, private_store):
    from rasa.core.lock_store import RedisLockStore

    try:
        RedisLockStore(host="127.0.0.1", port=6379).red.ping()
    except Exception as error:  # noqa: BLE001
        unavailable(f"Redis not reachable: {error}")
    url = served(Agent(private_store[0], RedisLockStore(host="127.0.0.1", port=6379)))
    assert get(url + "/webhooks/ops/ready")[0] == 200
    url = served(Agent(private_store[0], RedisLockStore(host="127.0.0.1", port=1, socket_timeout=1)))
    status, answer = get(url + "/webhooks/ops/ready")
    assert status == 503 and answer["checks"]["lock_store"].startswith("ConnectionError")
    assert answer["checks"]["tracker_store"] == "ok"

