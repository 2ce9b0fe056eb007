"""The action call Rasa sends once bot/ops/rasa_speedups.py is installed (Rasa environment):
Rasa's own request with the events trimmed by bot/ops/action_payload.py."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings

from bench.turn_fixtures import turn_events
from bot.ops import action_payload, rasa_speedups
from tests.channels.test_incremental_states import DOMAIN_YAML, generated_conversations, play


def _tracker(turns: int):
    from rasa.shared.core.events import ActionExecuted, Restarted, SessionStarted, SlotSet
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("payload-shape", slots=None)
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    for turn in range(turns):
        for event in turn_events(turn):
            tracker.update(event)
        if turn == 1:
            tracker.update(Restarted())
            tracker.update(SlotSet("application_number", "20261207001"))
    return tracker


@pytest.fixture
def rasas_own():
    """Rasa's own request builder, and the speedups installed again afterwards."""
    rasa_speedups.uninstall()
    from rasa.core.actions.action import RemoteAction

    yield RemoteAction._action_call_format
    rasa_speedups.install()


def test_the_installed_request_is_rasas_with_trimmed_events(rasas_own):
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain

    tracker, domain = _tracker(12), Domain.empty()
    action = RemoteAction("action_guide", None)
    full = rasas_own(action, tracker, domain)
    rasa_speedups.install()
    sent = RemoteAction._action_call_format(action, tracker, domain)
    assert {k: v for k, v in sent.items() if k != "tracker"} == {k: v for k, v in full.items() if k != "tracker"}
    assert {k: v for k, v in sent["tracker"].items() if k != "events"} == \
        {k: v for k, v in full["tracker"].items() if k != "events"}
    events, original = sent["tracker"]["events"], full["tracker"]["events"]
    assert events == action_payload.trim_events(original)
    assert [e["event"] for e in events] == [e["event"] for e in action_payload.window_events(original)]
    assert [e["event"] for e in events].count("user") == action_payload.WINDOW_TURNS < 12
    assert all(set(e) == {"event", "timestamp", "text"} for e in events if e["event"] == "bot")
    users = [e for e in events if e["event"] == "user"]
    assert all("parse_data" not in e and "metadata" not in e for e in users[:-1])
    assert users[-1] == [e for e in original if e["event"] == "user"][-1]
    assert sent["tracker"]["latest_message"]["intent_ranking"]  # the latest parse data is Rasa's


def test_a_long_conversation_sends_a_small_request(rasas_own):
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain

    tracker, domain = _tracker(100), Domain.empty()
    action = RemoteAction("action_guide", None)
    full = len(json.dumps(rasas_own(action, tracker, domain)))
    rasa_speedups.install()
    sent = len(json.dumps(RemoteAction._action_call_format(action, tracker, domain)))
    assert sent < full / 5, (sent, full)


def test_the_request_does_not_grow_with_the_conversation(rasas_own):
    """The window (bot/ops/action_payload.py): the request at turn 500 is about as long as at turn 5."""
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain

    rasa_speedups.install()
    action, domain = RemoteAction("action_guide", None), Domain.empty()
    sizes = {turns: len(action_payload.encode_body(RemoteAction._action_call_format(action, _tracker(turns), domain)))
             for turns in (5, 100, 500)}
    assert sizes[500] < 1.1 * sizes[5] and sizes[100] < 1.1 * sizes[5], sizes


def test_uninstall_restores_rasas_request(rasas_own):
    from rasa.core.actions.action import RemoteAction

    assert RemoteAction._action_call_format is rasas_own
    rasa_speedups.install()
    assert RemoteAction._action_call_format is not rasas_own


def test_events_built_directly_are_rasas_dicts_trimmed():
    from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

    class LoudBot(BotUttered):  # another class of Rasa's "bot" type: Rasa's dict, then trimmed
        pass

    tracker = _tracker(30)
    events = list(tracker.events) + [
        UserUttered("no channel", {"name": "greet"}, metadata={"a": 1}), LoudBot("loud", {"x": 1}, {"m": 2}),
        BotUttered(None), SlotSet("a", None), UserUttered("latest", {"name": "ask"}, message_id="m1")]
    for prefix in (events, events[:-1], events[:3], []):
        assert action_payload.event_dicts(prefix) == action_payload.trim_all([e.as_dict() for e in prefix])


def _sent_and_expected(rasas_own, tracker, domain):
    """What the installed request encodes to, and json.dumps of Rasa's request trimmed."""
    from rasa.core.actions.action import RemoteAction

    action = RemoteAction("action_guide", None)
    expected = json.dumps(action_payload.trim_action_call(rasas_own(action, tracker, domain)))
    return action_payload.encode_body(action_payload.action_call_format(action, tracker, domain)), expected


@settings(max_examples=100, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=generated_conversations())
def test_the_encoded_request_is_json_of_rasas_trimmed_request(rasas_own, steps):
    """At every step of generated conversations (rewinds, restarts, sessions ...), for the tracker
    and for a copy of it (the processor's, before each action): the very same text."""
    from rasa.shared.core.domain import Domain

    domain = Domain.from_yaml(DOMAIN_YAML)

    def check(tracker):
        for which in (tracker, tracker.copy()):
            sent, expected = _sent_and_expected(rasas_own, which, domain)
            assert sent == expected

    action_payload._memos.clear()
    play(domain, steps, check)


def test_a_long_conversation_reuses_the_kept_texts(rasas_own, monkeypatch):
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain

    tracker, domain = _tracker(40), Domain.empty()
    _sent_and_expected(rasas_own, tracker, domain)
    encoded, dumps = [], json.dumps
    monkeypatch.setattr(json, "dumps", lambda value, **kw: encoded.append(value) or dumps(value, **kw))
    for event in turn_events(41):
        tracker.update(event)
    sent = action_payload.encode_body(action_payload.action_call_format(RemoteAction("action_guide", None),
                                                                         tracker, domain))
    monkeypatch.undo()
    assert sent == _sent_and_expected(rasas_own, tracker, domain)[1]
    assert len([value for value in encoded if isinstance(value, dict) and "event" in value]) <= len(turn_events(41)) + 1


def test_a_changed_event_list_is_encoded_as_it_is(rasas_own):
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain

    body = action_payload.action_call_format(RemoteAction("action_guide", None), _tracker(3), Domain.empty())
    body["tracker"]["events"].pop()
    assert action_payload.encode_body(body) == json.dumps(body)
    assert action_payload.encode_body({1: "x"}) == json.dumps({1: "x"})


def test_another_tracker_of_the_same_sender_is_encoded_from_its_own_events(rasas_own):
    """As after a reload from the store, or the tracker store's kept tracker with a bot message
    replaced by its masked text: other event objects at the same places."""
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import BotUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    domain = Domain.empty()
    first = _tracker(6)
    assert _sent_and_expected(rasas_own, first, domain)[0] == _sent_and_expected(rasas_own, first, domain)[1]
    events = [BotUttered("电话 ***", event.data, event.metadata, event.timestamp) if isinstance(event, BotUttered)
              else event for event in first.events]
    for other in (DialogueStateTracker.from_events(first.sender_id, events), _tracker(3)):
        sent, expected = _sent_and_expected(rasas_own, other, domain)
        assert sent == expected
