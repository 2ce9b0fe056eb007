"""Action tests: trackers built with Tracker.from_dict and a fake catalog (no database)."""
from __future__ import annotations

from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.verification_lock import VerificationLock
from knowledge.db import make_engine, upgrade_schema
from knowledge.errors import BundleNotFoundError, ItemNotFoundError
from knowledge.records import Bundle, Item
from knowledge.search import SearchEngine, SearchResult
from knowledge.source_yaml import read_yaml_file
from knowledge.store import SearchEntry

FIXTURE = Path(__file__).resolve().parent.parent / "knowledge" / "fixtures" / "mini.yml"


class FakeCatalog:
    """The catalog interface the actions use, over items held in memory."""

    def __init__(self, items: list[Item], bundles: list[Bundle] = ()):
        self.items = {item.code: item for item in items}
        self.bundles = {bundle.code: bundle for bundle in bundles}
        self.engine = SearchEngine([SearchEntry(i.code, i.name, i.aliases, i.topics, i.department, i.summary, i.power_type)
                                    for i in items], bundles=list(bundles))

    def search(self, text: str, top: int = 5) -> SearchResult:
        return self.engine.search(text, top=top)

    def item(self, code: str) -> Item:
        if code not in self.items:
            raise ItemNotFoundError(code)
        return self.items[code]

    def item_name(self, code: str) -> str:
        if code not in self.engine.entries:
            raise ItemNotFoundError(code)
        return self.engine.entries[code].name

    def bundle(self, code: str) -> Bundle:
        if code not in self.bundles:
            raise BundleNotFoundError(code)
        return self.bundles[code]


class FakeFeedback:
    def __init__(self):
        self.records = []

    def record(self, sender_id, item_code, aspect, useful):
        self.records.append((sender_id, item_code, aspect, useful))


@pytest.fixture(scope="session")
def catalog() -> FakeCatalog:
    entries, problems = read_yaml_file(FIXTURE)
    assert not problems
    return FakeCatalog([item for item, _ in entries])


def tracker(text: str, intent: str, slots: dict | None = None, entities: list | None = None) -> Tracker:
    return Tracker.from_dict({
        "sender_id": "test-user",
        "slots": slots or {},
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": entities or []},
        "events": [],
        "paused": False,
        "followup_action": None,
        "active_loop": {},
        "latest_action_name": "action_listen",
    })


def run(action, track: Tracker) -> tuple[list[dict], list[dict]]:
    import asyncio

    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, track, {}))
    return dispatcher.messages, events


def slots_of(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.fixture
def lock(tmp_path) -> VerificationLock:
    """A verification lock on its own SQLite file (progress and card tests), its tables made by the migrations."""
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    upgrade_schema(engine)
    return VerificationLock(engine)


@pytest.fixture(autouse=True)
def reminders(tmp_path, monkeypatch):
    """The reminder store of the actions, on its own SQLite file, made when first used (never var/)."""
    from cryptography.fernet import Fernet

    from core.sealing import Sealer
    from reminders.store import ReminderStore

    made: list[ReminderStore] = []

    def store() -> ReminderStore:
        if not made:
            engine = make_engine(f"sqlite:///{tmp_path / 'reminders.db'}")
            upgrade_schema(engine)
            made.append(ReminderStore(engine, Sealer(Fernet.generate_key())))
        return made[0]

    monkeypatch.setattr("actions.reminders.default_reminders", store)
    return store
