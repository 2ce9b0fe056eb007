"""Per-process cache of the conversation trackers this process saved (Rasa environment only
through the trackers it holds; the module itself imports nothing of Rasa).

Loading a conversation rebuilds its tracker from every event of the session (Rasa's
`DialogueStateTracker.from_dict`), so without a cache turn 100 costs several times turn 1.
Several Rasa processes share one conversation store, so a cached tracker is never trusted
as it is: each entry remembers what the store held for its sender when it was cached
(`StoredState`: number of rows and highest row id), and `take` hands it out only when one
cheap query finds the same. Rows are only ever appended (Rasa never updates or deletes
events), so any write by another process changes the count.

An entry is handed out once (`take` removes it): the caller mutates the tracker, and the
store caches it again after saving it. A tracker that was taken and not saved (an error,
a read-only request) is simply gone, and the next message loads from the database. An
entry also remembers how many events its tracker had when cached: a tracker changed after
its save without a new save is not handed out.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, Optional

DEFAULT_SIZE = 256


@dataclass(frozen=True)
class StoredState:
    """What the store holds for one sender: number of event rows and the highest row id."""

    rows: int
    last_id: Optional[int]


@dataclass
class _Entry:
    tracker: Any
    state: StoredState
    events: int


class TrackerCache:
    """At most `size` trackers, least recently saved dropped first; size 0 disables it."""

    def __init__(self, size: int = DEFAULT_SIZE):
        if size < 0:
            raise ValueError(f"tracker cache size must be 0 or more, not {size}")
        self.size = size
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def take(self, sender_id: str, state: StoredState) -> Optional[Any]:
        """The cached tracker of `sender_id` if the store still holds `state` for it (removed)."""
        entry = self._entries.pop(sender_id, None)
        if entry is None or entry.state != state or len(entry.tracker.events) != entry.events:
            self.misses += 1
            return None
        self.hits += 1
        return entry.tracker

    def put(self, sender_id: str, tracker: Any, state: StoredState) -> None:
        if self.size == 0:
            return
        self._entries.pop(sender_id, None)
        self._entries[sender_id] = _Entry(tracker, state, len(tracker.events))
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)

    def discard(self, sender_id: str) -> None:
        self._entries.pop(sender_id, None)
