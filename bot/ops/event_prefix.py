"""Whether a tracker's events still start with the events a memo kept, without comparing each one.

The memos of bot/ops/incremental_states.py and bot/ops/action_payload.py extend what they built
for a tracker's events when the events are the kept ones (the very same objects, in order)
followed by new ones. Comparing every kept event on each call cost O(events) per call, several
calls per message: at turn 500 (about 5,000 events) a tenth of a millisecond or more each
(docs/performance.md, "perf5").

Rasa 3.6 changes a tracker's `events` deque in place only by appending (`update`,
`recreate_from_dialogue`; a new tracker, a copy or `_max_event_history` gives a new or bounded
deque), and the one place of ours that replaces an event in place (the tracker store's bot
messages read back, bot/ops/tracker_store.py) calls `mark_edited`. So once the kept events were
found, one by one, to be a prefix of a deque, and the memo since kept only events it read from
that same deque at their positions, they are still its prefix while the deque is the same
object, unbounded, no shorter, and not marked edited: `Prefix.of` then checks only that the
last kept event is still in its place. Anything else compares every event, as before.
Rasa environment only (reads trackers).
"""
from __future__ import annotations

import operator
from typing import Any, Sequence

EDITS = "_yuban_events_edits"


def edits(tracker: Any) -> int:
    """How many times our code changed an event of this tracker in place (see `mark_edited`)."""
    return getattr(tracker, "__dict__", {}).get(EDITS, 0)


def mark_edited(tracker: Any) -> None:
    """To call after replacing an event of `tracker.events` in place (not after appending)."""
    tracker.__dict__[EDITS] = edits(tracker) + 1


class Prefix:
    """The sequence a memo's kept events were last found to be a prefix of, and its edit count."""

    __slots__ = ("source", "edits")

    def __init__(self) -> None:
        self.source: Any = None
        self.edits = 0

    def of(self, kept: Sequence[Any], events: Sequence[Any], edit_count: int = 0) -> bool:
        """True when `events` starts with the very objects of `kept` (all(map(operator.is_, ...)) with
        the lengths checked), remembering `events` for the next call. The caller keeps appending
        to `kept` only events of `events` at the same positions."""
        count = len(kept)
        if len(events) < count:
            return False
        if (events is self.source and edit_count == self.edits and getattr(events, "maxlen", None) is None
                and (count == 0 or events[count - 1] is kept[-1])):
            return True
        if not all(map(operator.is_, kept, events)):
            return False
        self.source, self.edits = events, edit_count
        return True
