"""Rasa's SQL tracker store with personal data kept out of the database and the event broker.

    tracker_store:
      type: bot.ops.tracker_store.PrivateSQLTrackerStore
      dialect: sqlite | postgresql      # every setting of Rasa's SQL tracker store
      db: ...
      seal_key: ${YUBAN_SEAL_KEY}       # optional; else YUBAN_SEAL_KEY, else seal_key_file
      seal_key_file: var/seal.key       # embedded profile: created on first use
      cache_size: 256                   # trackers kept per process (bot/ops/tracker_cache.py); 0: none

Events are written and streamed as bot.ops.privacy.EventProtector.protect makes them
(masked, the progress form's slots sealed) and read back revealed. The table and the
broker's messages keep Rasa's format, so the console and any Rasa tool read them as usual.

What each turn costs is kept flat (docs/performance.md): a save finds the new events by
counting the stored events of the session (Rasa's own save does the same; Rasa's broker
streaming instead reads the whole conversation back and replays it), protects each new
event once for both the table and the broker, writes the table rows in one statement and
hands the broker the whole turn at once (`publish_many`, one transaction) when it can.
Loading does not replay a conversation this process saved last: the saved tracker is kept
(bot/ops/tracker_cache.py) and handed out again when one query (count and highest id of
the sender's rows) finds the store unchanged since, and only when reading its new rows
back would give the very same events (no personal data masked in them, no new session);
bot messages whose text or card was masked are replaced by what a load gives.
Otherwise the load reads only the `id` and `data` columns of the session's rows.
SQLite files get pooled connections in WAL mode (bot/ops/sqlite_tuning.py). Creating the
store also installs bot/ops/rasa_speedups.py (action responses validated with a validator
built once, events deserialised through a table, past states extended by new events, the
policies' debug-log arguments built only when written). Rasa environment only (imports rasa).
"""
from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any, Iterable, Iterator, Optional, Text

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered, Event, SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.ops import action_payload, event_prefix, incremental_states, rasa_speedups, sqlite_tuning, tracker_copy
from core.personal_data import mask_text
from bot.ops.privacy import SEALED_SLOTS, EventProtector
from bot.ops.sealing import Sealer, load_key
from bot.ops.tracker_cache import DEFAULT_SIZE, StoredState, TrackerCache


# Attributes of a tracker loaded by this store: how many of its events the database holds,
# and what the store held for its sender then (bot.ops.tracker_cache.StoredState).
STORED_COUNT = "_yuban_stored_events"
STORED_STATE = "_yuban_stored_state"
# Of a tracker this store just saved: how many of its events the database holds (all), and
# the asyncio task that saved it (see `_new_events`).
SAVED_COUNT = "_yuban_saved_events"


class _StoredEvent:
    """What SQLTrackerStore.save needs of an event (type_name, as_dict), already protected."""

    def __init__(self, type_name: str, data: dict[str, Any]):
        self.type_name = type_name
        self._data = data

    def as_dict(self) -> dict[str, Any]:
        return self._data


def publish_all(event_broker: Any, bodies: list[dict[str, Any]]) -> None:
    """The bodies of one turn to the broker: in one call when it can take them at once."""
    if not bodies:
        return
    if hasattr(event_broker, "publish_many"):
        event_broker.publish_many(bodies)
        return
    for body in bodies:
        event_broker.publish(body)


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that masks and seals on the way in and reveals on the way out."""

    def __init__(self, domain=None, *, seal_key: Optional[Text] = None, seal_key_file: Optional[Text] = None,
                 sealed_slots: Optional[Iterable[Text]] = None, cache_size: int = DEFAULT_SIZE,
                 **kwargs: Any) -> None:
        self.protector = EventProtector(Sealer(load_key(seal_key, seal_key_file)),
                                        sealed_slots if sealed_slots is not None else SEALED_SLOTS)
        self.tracker_cache = TrackerCache(int(cache_size))
        # (sender, task) of the last `_retrieve` that found no rows for its sender: until the
        # next save of that sender, the store holds nothing of it (Rasa then creates a tracker
        # and saves it in the same task; `_new_events`)
        self._without_rows: Optional[tuple[Text, Optional[asyncio.Task]]] = None
        super().__init__(domain, **kwargs)
        table = self.SQLEvent.__table__
        # built once (building and keying them was about a tenth of a save's CPU)
        self._stored_state_query = sa.select(sa.func.count(table.c.id), sa.func.max(table.c.id)) \
            .where(table.c.sender_id == sa.bindparam("sender_id"))
        self._insert = table.insert()
        sqlite_tuning.retune(self)
        rasa_speedups.install()

    def _additional_events(self, session, tracker: DialogueStateTracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield _StoredEvent(event.type_name, self.protector.protect(event.as_dict()))

    def _new_events(self, session, tracker: DialogueStateTracker) -> tuple[int, list]:
        """How many events of the tracker's session the database holds, and the tracker's
        events it does not hold yet (as Rasa's save finds them).

        Rasa counts the stored events of the current session with a query on every save. A
        tracker this store just loaded carries that count already (`_retrieve`; nobody else
        writes the conversation meanwhile: the lock store serialises its messages). So does
        one this store just saved, and nothing is stored for a sender whose `_retrieve` found
        no rows and who was not saved since (Rasa then creates a tracker and saves it), both
        only within the same asyncio task: Rasa handles a message in one task, holding the
        conversation's lock throughout, and takes a new tracker for the next message. The
        query runs for any other tracker. A count is used once (a save carries its own).
        """
        task = _current_task()
        stored = tracker.__dict__.pop(STORED_COUNT, None)
        saved = tracker.__dict__.pop(SAVED_COUNT, None)
        if stored is None and saved is not None and task is not None and saved[1] is task:
            stored = saved[0]
        if self._without_rows is not None and self._without_rows[0] == tracker.sender_id:
            without_rows, self._without_rows = self._without_rows, None
            if stored is None and task is not None and without_rows[1] is task:
                stored = 0
        if stored is None:
            stored = self._event_query(session, tracker.sender_id, fetch_events_from_all_sessions=False).count()
        return stored, list(itertools.islice(tracker.events, stored, None))

    async def save(self, tracker: DialogueStateTracker) -> None:
        """As SQLTrackerStore.save (broker first, then the table), each new event protected once.

        A tracker this store loaded is kept for the next message of its sender when the
        database then holds exactly what it held at loading plus this save's rows, and when
        reading those rows back gives the same events, or differs only in bot messages
        (see `_read_back_changes`), which are then replaced by what a load gives.
        """
        sender_id = tracker.sender_id
        loaded_state = tracker.__dict__.pop(STORED_STATE, None)
        self.tracker_cache.discard(sender_id)
        kept_state, changes = None, None
        with self.session_scope() as session:
            stored, new_events = self._new_events(session, tracker)
            originals = [event.as_dict() for event in new_events]
            protected = [(event.type_name, self.protector.protect(data)) for event, data in zip(new_events, originals)]
            if self.event_broker is not None:
                masked_sender = mask_text(sender_id)
                await self._publish(self.event_broker, [{"sender_id": masked_sender, **data} for _, data in protected])
            rows = [self._row(sender_id, type_name, data) for type_name, data in protected]
            if rows:
                session.connection().execute(self._insert, rows)
            if loaded_state is not None and self.tracker_cache.size:
                changes = self._read_back_changes(originals, rows)
            if changes is not None:
                state = self._stored_state(session, sender_id)
                if state.rows == loaded_state.rows + len(rows):
                    kept_state = state
            session.commit()
        # the database now holds every event of this tracker (an index into its events, also
        # after a new session, where Rasa's count of the stored session would be another figure)
        tracker.__dict__[SAVED_COUNT] = (stored + len(new_events), _current_task())
        if kept_state is not None and self._replace_bot_messages(tracker, len(tracker.events) - len(new_events), changes):
            self.tracker_cache.put(sender_id, tracker, kept_state)

    def _read_back_changes(self, originals: list[dict[str, Any]], rows: list[dict[str, Any]]) \
            -> Optional[dict[int, dict[str, Any]]]:
        """What loading these rows would give differently: {index: the event as loaded}, only
        bot messages (their texts and cards masked); None when another event would differ
        (personal data masked in a user message or a slot) or a new session starts.

        Compared as JSON, which is all that leaves this process (actions, broker, database):
        Rasa's parse data holds tuples (`text_tokens`) that a load gives back as lists.
        """
        changes = {}
        for index, (original, row) in enumerate(zip(originals, rows)):
            if original.get("event") == SessionStarted.type_name:
                return None
            loaded = self.protector.reveal(json.loads(row["data"]))
            if loaded != json.loads(json.dumps(original)):
                if original.get("event") != BotUttered.type_name:
                    return None
                changes[index] = loaded
        return changes

    @staticmethod
    def _replace_bot_messages(tracker: DialogueStateTracker, first: int, changes: dict[int, dict[str, Any]]) -> bool:
        """The changed bot messages (from position `first` on) as a load gives them; False
        (nothing replaced) when one cannot be read back.

        A bot message sets nothing but the tracker's latest bot utterance, so the tracker is
        then what loading the conversation gives.
        """
        loaded = {index: Event.from_parameters(data) for index, data in changes.items()}
        if any(event is None for event in loaded.values()):
            return False
        for index, new in loaded.items():
            old = tracker.events[first + index]
            tracker.events[first + index] = new
            event_prefix.mark_edited(tracker)
            incremental_states.replace_bot_message(tracker, old, new)
            action_payload.replace_bot_message(tracker.sender_id, old, new)
            tracker_copy.replace_bot_message(tracker, old, new)
            if tracker.latest_bot_utterance is old:
                tracker.latest_bot_utterance = new
        return True

    def _stored_state(self, session, sender_id: Text) -> StoredState:
        """Number of rows and highest row id of `sender_id` (one query on the sender index)."""
        count, last_id = session.connection().execute(self._stored_state_query, {"sender_id": sender_id}).one()
        return StoredState(count, last_id)

    @staticmethod
    def _row(sender_id: Text, type_name: Text, data: dict[str, Any]) -> dict[str, Any]:
        return {"sender_id": sender_id, "type_name": type_name, "timestamp": data.get("timestamp"),
                "intent_name": (data.get("parse_data") or {}).get("intent", {}).get(INTENT_NAME_KEY),
                "action_name": data.get("name"), "data": json.dumps(data)}

    async def _publish(self, event_broker: Any, bodies: list[dict[str, Any]]) -> None:
        """Hands a turn's protected broker bodies over (the production store retries around it)."""
        publish_all(event_broker, bodies)

    async def stream_events(self, tracker: DialogueStateTracker) -> None:
        """The events the database does not hold yet go to the broker (counted, not replayed)."""
        if self.event_broker is None:
            return
        with self.session_scope() as session:
            _, new_events = self._new_events(session, tracker)
        await self._stream_new_events(self.event_broker, new_events, tracker.sender_id)

    async def _stream_new_events(self, event_broker, new_events, sender_id: Text) -> None:
        await self._publish(event_broker, [self.protector.protect({"sender_id": sender_id, **event.as_dict()})
                                           for event in new_events])

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        # As SQLTrackerStore._retrieve, with sealed slots opened before the tracker is rebuilt,
        # and the tracker this process saved last handed out when the store is unchanged since.
        with self.session_scope() as session:
            state = None
            if not fetch_events_from_all_sessions:
                state = self._stored_state(session, sender_id)
                kept = self.tracker_cache.take(sender_id, state)
                if kept is not None:
                    kept.__dict__[STORED_COUNT] = len(kept.events)
                    kept.__dict__[STORED_STATE] = state
                    return kept
                if state.rows == 0:  # nothing to read; Rasa creates the tracker
                    self._without_rows = (sender_id, _current_task())
                    return None
            # only the two columns used: a third of the time of Rasa's ORM rows (docs/performance.md)
            rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions) \
                .with_entities(self.SQLEvent.id, self.SQLEvent.data).all()
            events = [self.protector.reveal(json.loads(row.data)) for row in rows]
        if self.domain and events:
            tracker = DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
            if state is not None:
                tracker.__dict__[STORED_COUNT] = len(events)
                if rows[-1].id == state.last_id:  # nobody wrote between the two queries
                    tracker.__dict__[STORED_STATE] = state
            return tracker
        return None


def _current_task() -> Optional[asyncio.Task]:
    try:
        return asyncio.current_task()
    except RuntimeError:  # no running event loop
        return None
