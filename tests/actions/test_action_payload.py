"""The trimmed action call (bot/ops/action_payload.py) gives the actions what the full one does.

Each scripted dialogue of dialogues.yml is played with the events Rasa keeps (every user
message with its parse data and metadata, the action, its slot events, every answer with its
card and metadata, action_listen), and every turn is answered twice: from Rasa's full event
list and from the trimmed one. The replies, the returned events and everything our actions
and rasa-sdk read from `tracker.events` must be the same.
"""
from __future__ import annotations

import copy
import itertools
import json
import statistics

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.progress import _set_later
from actions.turn import handle
from bot.ops.action_payload import WINDOW_TURNS, trim_action_call, trim_all, trim_events, window_events, window_start
from knowledge.importer import read_sources
from knowledge.service import DEMO_CATALOG
from tests.actions.conftest import FakeCatalog, FakeFeedback
from tests.actions.test_dialogues import DIALOGUES
from tooling.cli.dialogue_eval import fill

SLOTS_READ_IN_ORDER = ("application_number", "item_code", "item_name", "bundle_code", "aspect", "district", "choices")


@pytest.fixture(scope="module")
def demo_catalog() -> FakeCatalog:
    sources = read_sources(sorted(DEMO_CATALOG.glob("*.yml")))
    return FakeCatalog(sources.items, sources.bundles)


class RasaLikeConversation:
    """The events a Rasa tracker holds after each turn, as `current_state(EventVerbosity.ALL)` gives them."""

    def __init__(self, catalog: FakeCatalog):
        self.catalog = catalog
        self.slots: dict = {}
        self.events: list[dict] = [{"event": "action", "timestamp": 1.0, "name": "action_session_start"},
                                   {"event": "session_started", "timestamp": 1.1},
                                   {"event": "action", "timestamp": 1.2, "name": "action_listen"}]
        self.clock = 2.0

    def _tick(self) -> float:
        self.clock += 1.0
        return self.clock

    def user(self, text: str, turn: int) -> dict:
        parse_data = {"text": text, "intent": {"name": "nlu_fallback", "confidence": 0.9}, "entities": [],
                      "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.9}, {"name": "ask_materials", "confidence": 0.05}],
                      "message_id": f"m{turn}", "metadata": {"yuban_location": {"lat": 29.5, "lng": 106.5}}}
        self.events.append({"event": "user", "timestamp": self._tick(), "text": text, "parse_data": parse_data,
                            "input_channel": "rest" if turn % 2 else "wechat", "message_id": f"m{turn}",
                            "metadata": parse_data["metadata"]})
        self.events.append({"event": "user_featurization", "timestamp": self._tick(), "use_text_for_featurization": False})
        self.events.append({"event": "action", "timestamp": self._tick(), "name": "action_turn", "policy": "RulePolicy",
                            "confidence": 1.0, "action_text": None, "hide_rule_turn": False})
        return parse_data

    def tracker(self, events: list[dict], latest_message: dict) -> Tracker:
        return Tracker.from_dict({
            "sender_id": "payload-test", "slots": dict(self.slots), "latest_message": copy.deepcopy(latest_message),
            "events": copy.deepcopy(events), "paused": False, "followup_action": None, "active_loop": {},
            "latest_action_name": "action_turn"})

    def answered(self, returned: list[dict], messages: list[dict]) -> None:
        for event in returned:
            self.events.append({**event, "timestamp": self._tick()})
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
        for message in messages:
            data = {key: message.get(key) for key in ("elements", "quick_replies", "buttons", "attachment", "image", "custom")}
            self.events.append({"event": "bot", "timestamp": self._tick(), "text": message.get("text"), "data": data,
                                "metadata": {"utter_action": message.get("response")}})
        self.events.append({"event": "action", "timestamp": self._tick(), "name": "action_listen"})


def _readings(tracker: Tracker, since: float) -> dict:
    """What our actions and rasa-sdk's Tracker derive from the events; applied events and events
    after the latest restart from `since` on (the window's first event: the contract)."""
    applied = tracker.applied_events()
    return {
        "set_later": {(a, b): _set_later(tracker, a, b) for a, b in itertools.permutations(SLOTS_READ_IN_ORDER, 2)},
        "input_channel": tracker.get_latest_input_channel(),
        "after_restart": [(e.get("event"), e.get("name")) for e in tracker.events_after_latest_restart()
                          if e["timestamp"] >= since],
        "applied": [(e.get("event"), e.get("name")) for e in applied if e["timestamp"] >= since],
        "last_action": tracker.get_last_event_for("action", exclude=["action_listen"]),
        "last_slot": tracker.get_last_event_for("slot"),
        "slots_to_validate": tracker.slots_to_validate(),
        "last_executed": tracker.last_executed_action_has("action_turn"),
    }


def _answer(catalog: FakeCatalog, tracker: Tracker) -> tuple[list[dict], list[dict]]:
    dispatcher = CollectingDispatcher()
    events = handle(dispatcher, catalog, tracker, feedback_store=FakeFeedback())
    return events, dispatcher.messages


def _play_and_compare(catalog: FakeCatalog, conversation: RasaLikeConversation, turns: list[dict],
                      first_turn: int = 1) -> None:
    """Each turn answered from the full and the sent (windowed, trimmed) events: the same."""
    last_options: list[dict] = []
    for turn_number, turn in enumerate(turns, start=first_turn):
        latest = conversation.user(fill(turn["user"], None, last_options, turn["expect"]), turn_number)
        full = conversation.events
        trimmed = trim_events(full)
        since = full[window_start(full)]["timestamp"]
        full_tracker, trimmed_tracker = conversation.tracker(full, latest), conversation.tracker(trimmed, latest)
        assert _readings(trimmed_tracker, since) == _readings(full_tracker, since)
        full_answer, trimmed_answer = _answer(catalog, full_tracker), _answer(catalog, trimmed_tracker)
        assert trimmed_answer == full_answer, turn["user"]
        returned, messages = full_answer
        payloads = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
        last_options = next((p["options"] for p in payloads if p.get("type") == "choices"), last_options)
        conversation.answered(returned, messages)


@pytest.mark.parametrize("dialogue", DIALOGUES, ids=[d["id"] for d in DIALOGUES])
def test_trimmed_and_full_events_give_the_same_answers(demo_catalog, dialogue):
    conversation = RasaLikeConversation(demo_catalog)
    _play_and_compare(demo_catalog, conversation, dialogue["turns"])
    assert any(e["event"] == "bot" and e["data"]["custom"] for e in conversation.events)  # cards were there to drop


def test_one_long_conversation_answers_the_same_from_its_window(demo_catalog):
    """Every scripted dialogue, one after the other in one conversation (hundreds of turns, so
    most turns are answered from a window far shorter than the session): the same answers and
    readings, and the request stays about as long as a few turns."""
    conversation = RasaLikeConversation(demo_catalog)
    played, sizes = 0, []
    for number, dialogue in enumerate(DIALOGUES):
        if number == len(DIALOGUES) // 2:  # "重新开始": Rasa restarts the conversation; slots are reset
            conversation.events += [{"event": "action", "timestamp": conversation._tick(), "name": "action_restart"},
                                    {"event": "restart", "timestamp": conversation._tick()},
                                    {"event": "action", "timestamp": conversation._tick(), "name": "action_listen"}]
            conversation.slots = {}
        _play_and_compare(demo_catalog, conversation, dialogue["turns"], played + 1)
        played += len(dialogue["turns"])
        sizes.append(len(json.dumps(trim_events(conversation.events))))
    assert played > 250
    assert max(sizes[20:]) < 3 * statistics.median(sizes[:20]) < len(json.dumps(trim_all(conversation.events))) / 20


def test_the_trimmed_events_carry_no_cards_and_no_earlier_parse_data(demo_catalog):
    conversation = RasaLikeConversation(demo_catalog)
    for turn_number, dialogue in enumerate(DIALOGUES[:20], start=1):
        latest = conversation.user(dialogue["turns"][0]["user"].replace("{PICK}", "1"), turn_number)
        conversation.answered(*_answer(demo_catalog, conversation.tracker(conversation.events, latest)))
    latest = conversation.user("谢谢", 99)
    full = conversation.events
    before = copy.deepcopy(full)
    body = {"next_action": "action_turn", "sender_id": "s", "tracker": {"events": full, "slots": {}}, "version": "3.6.21"}
    trimmed = trim_action_call(body)["tracker"]["events"]
    assert full == before  # Rasa's own event dicts are not changed
    windowed = window_events(full)
    assert [e["event"] for e in trimmed] == [e["event"] for e in windowed]
    users = [i for i, e in enumerate(windowed) if e["event"] == "user"]
    for index, (short, event) in enumerate(zip(trimmed, windowed)):
        if event["event"] == "bot":
            assert short == {"event": "bot", "timestamp": event["timestamp"], "text": event["text"]}
        elif event["event"] == "user" and index != users[-1]:
            assert short == {key: event[key] for key in ("event", "timestamp", "text", "input_channel", "message_id")}
        else:
            assert short is event
    assert trimmed[users[-1]]["parse_data"] == latest
    assert len(json.dumps(trimmed, ensure_ascii=False)) < len(json.dumps(full, ensure_ascii=False)) / 3


def _slot(name: str, value, timestamp: float) -> dict:
    return {"event": "slot", "timestamp": timestamp, "name": name, "value": value}


def test_the_window_keeps_the_latest_turns_and_the_latest_slot_events_before_them():
    turn = [{"event": "action", "name": "action_listen"}, {"event": "user", "text": "x"},
            {"event": "action", "name": "action_turn"}, {"event": "bot", "text": "y"}]
    events = [{"event": "action", "name": "action_session_start"}, {"event": "session_started"},
              _slot("district", "渝北区", 1), *turn, _slot("item_code", "A", 2), _slot("district", None, 3),
              {"event": "restart"}, *turn, _slot("item_code", "B", 4), _slot("aspect", "fee", 5), *turn,
              _slot("aspect", None, 6), *turn, *turn, _slot("choices", ["C"], 7), *turn]
    windowed = window_events(events)
    start = window_start(events)
    assert events[start] == {"event": "action", "name": "action_listen"}
    assert [e for e in events[start:] if e["event"] == "user"] == [turn[1]] * WINDOW_TURNS
    assert windowed[-len(events) + start:] == events[start:]
    kept = windowed[:len(windowed) - len(events) + start]
    assert kept == [{"event": "session_started"}, _slot("district", "渝北区", 1), _slot("district", None, 3),
                    {"event": "restart"}, _slot("item_code", "B", 4), _slot("aspect", "fee", 5), _slot("aspect", None, 6)]
    third_user = [i for i, e in enumerate(events) if e["event"] == "user"][WINDOW_TURNS - 1]
    assert window_events(events[:third_user]) == events[:third_user]  # fewer user messages: the whole session
    assert window_events(events[:third_user + 1]) != events[:third_user + 1]
    assert window_events([turn[1], turn[3]] * 5) == [turn[1], turn[3]] * 5  # no action event before the window: all


def test_bodies_without_events_pass_unchanged():
    assert trim_action_call({"next_action": "x"}) == {"next_action": "x"}
    assert trim_action_call({"tracker": {"events": None}}) == {"tracker": {"events": None}}
    assert trim_events([]) == []
    only_bot = [{"event": "bot", "text": "hi", "data": {"custom": {"a": 1}}}]
    assert trim_events(only_bot) == [{"event": "bot", "timestamp": None, "text": "hi"}]
