"""`Prefix.of` (bot/ops/event_prefix.py) answers exactly as comparing every kept event, over
generated histories of appends, in-place replacements (marked), new and bounded deques and a
memo that keeps what it read, as the memos of incremental_states and action_payload do."""
from __future__ import annotations

import operator
from collections import deque

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.ops import event_prefix
from bot.ops.event_prefix import Prefix


class _Tracker:
    def __init__(self, events):
        self.events = events


def _full(kept, events) -> bool:
    return len(events) >= len(kept) and all(map(operator.is_, kept, events))


STEPS = st.lists(st.sampled_from(["append", "append", "append", "check", "check", "replace", "copy", "bounded",
                                  "truncate", "forget"]), max_size=60)


@settings(max_examples=300, deadline=None)
@given(STEPS, st.integers(min_value=0, max_value=10_000))
def test_of_is_the_full_comparison(steps, seed):
    tracker = _Tracker(deque())
    kept: list = []
    prefix = Prefix()
    counter = seed
    for step in steps:
        events = tracker.events
        if step == "append":
            counter += 1
            events.append(object())
        elif step == "replace" and events:
            events[counter % len(events)] = object()
            event_prefix.mark_edited(tracker)
        elif step == "copy":
            tracker.events = deque(events)
        elif step == "bounded":
            tracker.events = deque(events, maxlen=len(events) + 1)
        elif step == "truncate" and events:
            tracker.events = deque(list(events)[:-1])
        elif step == "forget":
            kept, prefix = [], Prefix()
        answer = prefix.of(kept, tracker.events, event_prefix.edits(tracker))
        assert answer == _full(kept, tracker.events)
        if answer:  # as the memos: keep what the events add
            kept.extend(list(tracker.events)[len(kept):])
        else:
            kept, prefix = [], Prefix()
            assert prefix.of(kept, tracker.events, event_prefix.edits(tracker))
            kept.extend(tracker.events)


def test_an_unmarked_edit_is_not_seen_but_a_marked_one_is():
    """The contract: an edit in place must be marked (Rasa makes none)."""
    first, second, third = object(), object(), object()
    tracker = _Tracker(deque([first, second, third]))
    kept = [first, second, third]
    prefix = Prefix()
    assert prefix.of(kept, tracker.events, event_prefix.edits(tracker))
    tracker.events[1] = object()
    assert prefix.of(kept, tracker.events, event_prefix.edits(tracker))  # trusted: not marked
    event_prefix.mark_edited(tracker)
    assert not prefix.of(kept, tracker.events, event_prefix.edits(tracker))


def test_a_list_is_compared_by_identity_of_the_list():
    events = [object(), object()]
    prefix = Prefix()
    assert prefix.of(events[:1], events)
    assert not Prefix().of([object()], events)
    assert not prefix.of(events + [object()], events)  # longer than the events
