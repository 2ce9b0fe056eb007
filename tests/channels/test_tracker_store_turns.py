"""The embedded profile's conversation store and event broker per turn (Rasa environment):
the stored and published events are Rasa's, protected, each once; a turn costs one broker
transaction and no query of the session's events; the SQLite files run in WAL mode; a
tracker this process saved is handed out again only while the store is unchanged."""
from __future__ import annotations

import asyncio
import json

import pytest
import sqlalchemy as sa
from cryptography.fernet import Fernet

from bench.turn_fixtures import turn_events
from bot.ops.event_broker import BatchingSQLEventBroker
from bot.ops.tracker_store import PrivateSQLTrackerStore

SEAL_KEY = Fernet.generate_key().decode()

@pytest.fixture
def store(tmp_path):
    from rasa.shared.core.domain import Domain

    broker = BatchingSQLEventBroker(db=str(tmp_path / "events.db"))
    tracker_store = PrivateSQLTrackerStore(Domain.load("bot/domain"), dialect="sqlite", db=str(tmp_path / "conv.db"),
                                           event_broker=broker, seal_key=SEAL_KEY)
    yield tracker_store
    tracker_store.engine.dispose()
    broker.engine.dispose()


def rows(engine) -> list[dict]:
    with engine.connect() as connection:
        return [json.loads(row[0]) for row in connection.execute(sa.text("SELECT data FROM events ORDER BY id"))]


class Statements:
    """Counts the SQL statements and commits of an engine."""

    def __init__(self, engine):
        self.sql: list[str] = []
        self.commits = 0
        sa.event.listen(engine, "before_cursor_execute", lambda *args: self.sql.append(args[2]))
        sa.event.listen(engine, "commit", self._commit)

    def _commit(self, _connection) -> None:
        self.commits += 1


def first_turn(sender: str):
    from rasa.shared.core.events import ActionExecuted, SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker

    return DialogueStateTracker.from_events(sender, [ActionExecuted("action_session_start"), SessionStarted(),
                                                     ActionExecuted("action_listen")] + turn_events(0))


def test_turns_are_stored_and_published_once_each_and_protected(store):
    from rasa.shared.core.events import SlotSet, UserUttered

    tracker = first_turn("u1")
    asyncio.run(store.save(tracker))
    for turn in (1, 2):
        tracker = asyncio.run(store.retrieve("u1"))
        for event in turn_events(turn):
            tracker.update(event)
        tracker.update(UserUttered("我的手机13812345678", {"name": "inform"}))
        tracker.update(SlotSet("application_number", "CQ202605140001233"))
        asyncio.run(store.save(tracker))
    stored, published = rows(store.engine), rows(store.event_broker.engine)
    assert len(stored) == len(published) == len(asyncio.run(store.retrieve_full_tracker("u1")).events)
    assert [(e["event"], e["timestamp"]) for e in published] == [(e["event"], e["timestamp"]) for e in stored]
    assert all(e["sender_id"] == "u1" for e in published)
    assert "13812345678" not in json.dumps(stored + published, ensure_ascii=False)
    assert "CQ202605140001233" not in json.dumps(stored + published)
    again = asyncio.run(store.retrieve("u1"))
    assert [(e.type_name, e.timestamp) for e in again.events] == [(e.type_name, e.timestamp) for e in tracker.events]
    assert again.get_slot("application_number") == "CQ202605140001233"  # sealed when stored, revealed when loaded


def test_a_loaded_turn_is_saved_without_counting_and_published_in_one_transaction(store):
    asyncio.run(store.save(first_turn("u2")))
    tracker = asyncio.run(store.retrieve("u2"))
    for event in turn_events(1):
        tracker.update(event)
    statements, broker = Statements(store.engine), Statements(store.event_broker.engine)
    asyncio.run(store.save(tracker))
    # Rasa's save counts the session's events (a query with the session-start subquery)
    assert not [sql for sql in statements.sql if "session_start" in sql.lower()]
    assert broker.commits == 1 and len([sql for sql in broker.sql if sql.lstrip().upper().startswith("INSERT")]) == 1


def test_a_tracker_saved_twice_or_made_elsewhere_stores_each_event_once(store):
    from rasa.shared.core.events import ActionExecuted, SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker

    # as Rasa's processor makes a new conversation: created and saved, then the session starts
    tracker = DialogueStateTracker.from_events("u3", [ActionExecuted("action_listen")], store.domain.slots)
    asyncio.run(store.save(tracker))
    for event in [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")] \
            + turn_events(1):
        tracker.update(event)
    asyncio.run(store.save(tracker))  # not loaded by the store: the stored events are counted
    loaded = asyncio.run(store.retrieve("u3"))
    for event in turn_events(2):
        loaded.update(event)
    asyncio.run(store.save(loaded))
    asyncio.run(store.save(loaded))  # the same object again: nothing new to store
    stored = rows(store.engine)
    assert len(stored) == len(rows(store.event_broker.engine)) == len(tracker.events) + len(turn_events(2))
    assert len({(e["event"], e["timestamp"], e.get("name")) for e in stored}) == len(stored)


def test_sqlite_files_run_in_wal_mode(store):
    for engine in (store.engine, store.event_broker.engine):
        with engine.connect() as connection:
            assert connection.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def turn(store, sender: str, number: int, extra=()):
    tracker = asyncio.run(store.retrieve(sender))
    for event in [*turn_events(number), *extra]:
        tracker.update(event)
    asyncio.run(store.save(tracker))
    return tracker


def same_conversation(one, other) -> bool:
    """The same events, slots and latest message, as JSON (what leaves the process)."""
    def state(tracker) -> str:
        return json.dumps([[e.as_dict() for e in tracker.events], tracker.current_slot_values(),
                           tracker.latest_message.as_dict()], sort_keys=True)
    return state(one) == state(other)


def fresh_store(store, **kwargs) -> PrivateSQLTrackerStore:
    """Another process's store on the same database (its own cache)."""
    return PrivateSQLTrackerStore(store.domain, dialect="sqlite", db=store.engine.url.database,
                                  seal_key=SEAL_KEY, **kwargs)


def test_a_saved_tracker_is_handed_out_again_without_reading_the_conversation(store):
    from rasa.shared.core.events import UserUttered

    asyncio.run(store.save(first_turn("k1")))
    # as Rasa parses a message: the token offsets are tuples, a load gives lists back
    parsed = UserUttered("开公司要什么材料", {"name": "ask_materials", "confidence": 0.9}, [],
                         {"intent": {"name": "ask_materials", "confidence": 0.9}, "entities": [],
                          "text": "开公司要什么材料", "text_tokens": [(0, 3), (3, 4), (4, 6), (6, 8)]})
    saved = turn(store, "k1", 1, [parsed])  # loaded from the database, then kept
    statements = Statements(store.engine)
    again = asyncio.run(store.retrieve("k1"))
    assert again is saved and store.tracker_cache.hits == 1
    assert not [sql for sql in statements.sql if "events.data" in sql.lower()]  # no event rows read
    other = fresh_store(store, cache_size=0)
    assert same_conversation(again, asyncio.run(other.retrieve("k1")))
    other.engine.dispose()


def test_a_write_by_another_process_is_seen_at_the_next_load(store):
    asyncio.run(store.save(first_turn("k2")))
    turn(store, "k2", 1)
    other = fresh_store(store)
    turn(other, "k2", 2)  # another Rasa process answers the next message
    loaded = asyncio.run(store.retrieve("k2"))
    assert store.tracker_cache.hits == 0
    assert same_conversation(loaded, asyncio.run(other.retrieve("k2")))
    assert [e.text for e in loaded.events if e.type_name == "user"] == [f"第{n}个问题要什么材料" for n in (0, 1, 2)]
    other.engine.dispose()


def test_a_tracker_changed_without_saving_or_with_masked_data_is_read_from_the_database(store):
    from rasa.shared.core.events import UserUttered

    asyncio.run(store.save(first_turn("k3")))
    turn(store, "k3", 1)
    taken = asyncio.run(store.retrieve("k3"))  # the kept tracker (hit 1)
    taken.update(UserUttered("没保存的一句", {"name": "greet"}))  # taken, changed, never saved
    loaded = asyncio.run(store.retrieve("k3"))
    assert loaded is not taken and "没保存的一句" not in [e.text for e in loaded.events if isinstance(e, UserUttered)]
    turn(store, "k3", 2, [UserUttered("我的手机13812345678", {"name": "inform"})])
    loaded = asyncio.run(store.retrieve("k3"))  # the stored text is masked: not kept
    assert "13812345678" not in json.dumps([e.as_dict() for e in loaded.events], ensure_ascii=False)
    assert store.tracker_cache.hits == 1


def test_a_turn_whose_bot_message_is_masked_is_kept_as_a_load_gives_it(store):
    from rasa.shared.core.events import ActionExecuted, BotUttered

    asyncio.run(store.save(first_turn("k6")))
    masked = BotUttered("请致电13812345678咨询", {"custom": {"department": {"phone": "13812345678"}}})
    saved = turn(store, "k6", 1, [masked, ActionExecuted("action_listen")])  # loaded, then kept
    again = asyncio.run(store.retrieve("k6"))
    assert again is saved and store.tracker_cache.hits == 1
    kept_events = json.dumps([e.as_dict() for e in again.events], ensure_ascii=False)
    assert "13812345678" not in kept_events
    assert again.latest_bot_utterance is again.events[-2] and "13812345678" not in again.latest_bot_utterance.text
    other = fresh_store(store, cache_size=0)
    loaded = asyncio.run(other.retrieve("k6"))
    assert same_conversation(again, loaded)
    assert again.latest_bot_utterance.as_dict() == loaded.latest_bot_utterance.as_dict()
    turn(store, "k6", 2)  # the next turn saves the replaced events no second time
    assert same_conversation(asyncio.run(store.retrieve("k6")), asyncio.run(other.retrieve("k6")))
    assert store.tracker_cache.hits == 2
    other.engine.dispose()


def test_the_cache_size_bounds_the_trackers_kept(store):
    small = fresh_store(store, cache_size=1)
    for sender in ("k4", "k5"):
        asyncio.run(small.save(first_turn(sender)))
        turn(small, sender, 1)
    assert len(small.tracker_cache) == 1
    turn(small, "k4", 2)
    turn(small, "k5", 2)
    assert small.tracker_cache.hits == 0 and small.tracker_cache.misses == 4
    small.engine.dispose()


def session_counts(statements: Statements) -> int:
    """Rasa's count of the session's stored events (a query with the session-start subquery)."""
    return len([sql for sql in statements.sql if "session_start" in sql.lower() and "count(*)" in sql.lower()])


def new_conversation(store, sender: str, wrap=lambda store: store):
    """As Rasa's processor handles a first message, in one task: get or create the tracker
    (created and saved: nothing was stored), start the session, answer, save."""
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    async def handle():
        outer = wrap(store)
        tracker = await outer.get_or_create_tracker(sender)
        for event in [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
                      *turn_events(0)]:
            tracker.update(event)
        await outer.save(tracker)
        return tracker

    return asyncio.run(handle())


@pytest.mark.parametrize("wrapped", [False, True])
def test_a_new_conversation_is_saved_twice_without_counting(store, wrapped):
    from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore

    statements = Statements(store.engine)
    wrap = (lambda inner: FailSafeTrackerStore(AwaitableTrackerStore(inner))) if wrapped else (lambda inner: inner)
    tracker = new_conversation(store, "c1", wrap)
    assert session_counts(statements) == 0
    stored = rows(store.engine)
    assert [(e["event"], e["timestamp"]) for e in stored] == [(e.type_name, e.timestamp) for e in tracker.events]
    assert len(rows(store.event_broker.engine)) == len(stored)
    loaded = asyncio.run(store.retrieve_full_tracker("c1"))
    assert [(e.type_name, e.timestamp) for e in loaded.events] == [(e.type_name, e.timestamp) for e in tracker.events]


def test_a_count_is_carried_only_within_the_task_that_saved(store):
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    tracker = new_conversation(store, "c2")
    turn(fresh_store(store), "c2", 1)  # another process answers the next message
    for event in turn_events(2):
        tracker.update(event)  # the old object, saved in another task: counted, nothing stored twice
    statements = Statements(store.engine)
    asyncio.run(store.save(tracker))
    assert session_counts(statements) == 1
    assert len({(e["event"], e["timestamp"], e.get("name")) for e in rows(store.engine)}) == len(rows(store.engine))

    async def new_session_then_more():
        loaded = await store.retrieve("c2")
        for event in [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]:
            loaded.update(event)
        await store.save(loaded)
        for event in turn_events(3):
            loaded.update(event)
        # saved again in the task: Rasa's count (of the new session only) would store the old
        # session's events a second time; the carried count is the tracker's own
        await store.save(loaded)
        return loaded

    statements = Statements(store.engine)
    loaded = asyncio.run(new_session_then_more())
    assert session_counts(statements) == 0
    stored = rows(store.engine)
    assert len({(e["event"], e["timestamp"], e.get("name")) for e in stored}) == len(stored)
    assert [e["timestamp"] for e in stored][-len(turn_events(3)):] == [e.timestamp for e in loaded.events][-len(turn_events(3)):]


def test_a_failed_save_carries_no_count(store):
    class FailingOnce:
        def __init__(self, broker):
            self.broker, self.failed = broker, False

        def publish_many(self, events):
            if not self.failed:
                self.failed = True
                raise RuntimeError("broker down")
            self.broker.publish_many(events)

    broker = store.event_broker
    store.event_broker = FailingOnce(broker)

    async def handle():
        tracker = await store.get_or_create_tracker("c3")  # its save fails: nothing stored
        return tracker

    with pytest.raises(RuntimeError):
        asyncio.run(handle())
    tracker = new_conversation(store, "c3")
    store.event_broker = broker
    stored = rows(store.engine)
    assert [(e["event"], e["timestamp"]) for e in stored] == [(e.type_name, e.timestamp) for e in tracker.events]
    assert len(rows(broker.engine)) == len(stored)
