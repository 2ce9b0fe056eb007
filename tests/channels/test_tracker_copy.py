"""`DialogueStateTracker.copy()` from the state (bot/ops/tracker_copy.py) gives exactly Rasa's
replayed copy, after every step of scripted and generated conversations (Rasa environment).

The comparison is attribute by attribute: the same event objects, slots of the same class
with the same value, flag and settings, the same latest message (the very object when Rasa's
copy shares it), action, bot utterance, active loop, follow-up action and pause flag; and a
change to the copy leaves the original as Rasa's copy would.
"""
from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings

from bot.ops import tracker_copy
from tests.channels.test_incremental_states import (action, generated_conversations, play, scripted_steps,
                                                    session_start, slot, user)

# the domain of the past-states tests; the same events
from tests.channels.test_incremental_states import DOMAIN_YAML  # noqa: E402


@pytest.fixture(scope="module")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.from_yaml(DOMAIN_YAML)


@pytest.fixture(autouse=True)
def installed():
    tracker_copy.install()
    yield
    tracker_copy.uninstall()


def _slot_view(slot) -> tuple:
    return type(slot), {key: value for key, value in vars(slot).items()}


def assert_same_as_rasa(tracker) -> None:
    before = tracker.current_state()
    theirs = tracker_copy.rasa_copy(tracker)
    ours = tracker.copy()
    assert ours is not tracker and type(ours) is type(theirs)
    # memos of bot/ops (a rewind's replay asks for applied events) are not the tracker's state
    assert {key for key in vars(ours) if not key.startswith("_yuban_")} == \
        {key for key in vars(theirs) if not key.startswith("_yuban_")}
    assert len(ours.events) == len(theirs.events) and ours.events.maxlen == theirs.events.maxlen
    assert all(a is b for a, b in zip(ours.events, theirs.events))
    assert ours.events is not tracker.events
    assert type(ours.slots) is type(theirs.slots) and list(ours.slots) == list(theirs.slots)
    for name in theirs.slots:
        assert _slot_view(ours.slots[name]) == _slot_view(theirs.slots[name]), name
        assert ours.slots[name] is not tracker.slots.get(name)
    for name in ("sender_id", "sender_source", "is_rule_tracker", "_paused", "followup_action", "latest_action",
                 "model_id", "assistant_id", "_max_event_history", "active_loop"):
        assert getattr(ours, name) == getattr(theirs, name), name
    for name in ("latest_message", "latest_bot_utterance"):
        mine, rasas = getattr(ours, name), getattr(theirs, name)
        assert mine == rasas and type(mine) is type(rasas), name
        shared = rasas is getattr(tracker, name)
        assert (mine is getattr(tracker, name)) == shared, name
        if not shared:  # the empty message of a reset, made during the copy (its own timestamp)
            assert abs(mine.timestamp - rasas.timestamp) < 5
            mine, rasas = dict(vars(mine), timestamp=0), dict(vars(rasas), timestamp=0)
        assert vars(mine) == vars(rasas) if not isinstance(mine, dict) else mine == rasas, name
    assert (ours.latest_action is tracker.latest_action) == (theirs.latest_action is tracker.latest_action)
    assert (ours.active_loop is not None) == (theirs.active_loop is not None)
    if ours.active_loop is not None:
        assert ours.active_loop is not tracker.active_loop
    assert ours.current_state(tracker_copy_verbosity()) == theirs.current_state(tracker_copy_verbosity())
    # the copy is a tracker of its own: changing it leaves the original as it was
    ours.update(user("deny"))
    ours.update(slot("place", "elsewhere"))
    assert tracker.current_state() == before


def tracker_copy_verbosity():
    from rasa.shared.core.trackers import EventVerbosity

    return EventVerbosity.ALL


def copy_steps():
    """The past-states conversations, and pauses (a state those do not touch)."""
    from rasa.shared.core.events import ConversationPaused, ConversationResumed, EntitiesAdded

    steps = scripted_steps()
    guide = steps["guide turns"][1]
    steps["paused"] = [session_start(), guide, [ConversationPaused()], [user("ask")], [ConversationResumed()],
                       guide, [ConversationPaused()]]
    steps["entities added"] = [session_start(), [user("inform"), action("action_listen"),
                                                 EntitiesAdded([{"entity": "place", "value": "y"}])], guide]
    return steps


@pytest.mark.parametrize("name", sorted(copy_steps()))
def test_scripted_conversations_copy_as_rasa(domain, name):
    play(domain, [[step] for step in copy_steps()[name]], assert_same_as_rasa)


def test_trackers_rasas_own_copy_handles(domain):
    """Trimmed histories, unknown events, odd timestamps and slotless trackers."""
    from rasa.shared.core.events import Event, StoryExported
    from rasa.shared.core.trackers import DialogueStateTracker

    class Custom(Event):
        type_name = "yuban_test_custom"

        def apply_to(self, tracker) -> None:
            tracker.followup_action = "action_pick"

        def __eq__(self, other) -> bool:
            return isinstance(other, Custom)

        def __hash__(self) -> int:
            return 1

        def as_story_string(self) -> str:
            return self.type_name

    events = session_start() + [user("ask"), action("action_answer"), slot("place", "x"), action("action_listen")]
    trimmed = DialogueStateTracker("user", domain.slots, max_event_history=4)
    slotless = DialogueStateTracker("user", None)
    custom = DialogueStateTracker("user", domain.slots)
    exported = DialogueStateTracker("user", domain.slots)
    for event in events:
        for tracker in (trimmed, slotless, custom, exported):
            tracker.update(copy.deepcopy(event))
    custom.update(Custom())
    exported.update(StoryExported(None))
    for tracker in (trimmed, slotless, custom, exported):
        assert_same_as_rasa(tracker)
    assert not tracker_copy._replays_plainly(trimmed) and not tracker_copy._replays_plainly(custom)
    assert tracker_copy._replays_plainly(slotless)
    late = DialogueStateTracker("user", domain.slots)
    for event in events:
        late.update(copy.deepcopy(event))
    assert tracker_copy._replays_plainly(late)  # kept: the next call checks only new events
    assert len(late.__dict__[tracker_copy.CHECKED][0]) == len(late.events)
    late.update(user("deny"))
    assert tracker_copy._replays_plainly(late) and len(late.__dict__[tracker_copy.CHECKED][0]) == len(late.events)
    late.update_with_events([late.events[3]], domain)  # Rasa refreshes the timestamp of an event it adds again
    assert tracker_copy._replays_plainly(late)
    assert_same_as_rasa(late)
    odd = user("deny")
    odd.timestamp = float("nan")  # a new event: Rasa's loop stops at it, so its own copy runs
    late.update(odd)
    assert not tracker_copy._replays_plainly(late)
    assert_same_as_rasa(late)
    assert len(late.copy().events) == len(late.events) - 1


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=generated_conversations())
def test_generated_conversations_copy_as_rasa(domain, steps):
    play(domain, steps, assert_same_as_rasa)
