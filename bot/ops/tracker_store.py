"""Rasa's SQL tracker store with personal data kept out of the database and the event broker.

    tracker_store:
      type: bot.ops.tracker_store.PrivateSQLTrackerStore
      dialect: sqlite | postgresql      # every setting of Rasa's SQL tracker store
      db: ...
      seal_key: ${YUBAN_SEAL_KEY}       # optional; else YUBAN_SEAL_KEY, else seal_key_file
      seal_key_file: var/seal.key       # embedded profile: created on first use

Events are written and streamed as bot.ops.privacy.EventProtector.protect makes them
(masked, the progress form's slots sealed) and read back revealed. The table and the
broker's messages keep Rasa's format, so the console and any Rasa tool read them as usual.
Rasa environment only (imports rasa).
"""
from __future__ import annotations

import json
from typing import Any, Iterable, Iterator, Optional, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops.privacy import SEALED_SLOTS, EventProtector
from bot.ops.sealing import Sealer, load_key


class _StoredEvent:
    """What SQLTrackerStore.save needs of an event (type_name, as_dict), already protected."""

    def __init__(self, type_name: str, data: dict[str, Any]):
        self.type_name = type_name
        self._data = data

    def as_dict(self) -> dict[str, Any]:
        return self._data


class PrivateSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that masks and seals on the way in and reveals on the way out."""

    def __init__(self, domain=None, *, seal_key: Optional[Text] = None, seal_key_file: Optional[Text] = None,
                 sealed_slots: Optional[Iterable[Text]] = None, **kwargs: Any) -> None:
        self.protector = EventProtector(Sealer(load_key(seal_key, seal_key_file)),
                                        sealed_slots if sealed_slots is not None else SEALED_SLOTS)
        super().__init__(domain, **kwargs)

    def _additional_events(self, session, tracker: DialogueStateTracker) -> Iterator:
        for event in super()._additional_events(session, tracker):
            yield _StoredEvent(event.type_name, self.protector.protect(event.as_dict()))

    async def _stream_new_events(self, event_broker, new_events, sender_id: Text) -> None:
        for event in new_events:
            event_broker.publish(self.protector.protect({"sender_id": sender_id, **event.as_dict()}))

    async def _retrieve(self, sender_id: Text, fetch_events_from_all_sessions: bool) -> Optional[DialogueStateTracker]:
        # As SQLTrackerStore._retrieve, with sealed slots opened before the tracker is rebuilt.
        with self.session_scope() as session:
            rows = self._event_query(session, sender_id,
                                     fetch_events_from_all_sessions=fetch_events_from_all_sessions).all()
            events = [self.protector.reveal(json.loads(row.data)) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None
