"""Small talk: greetings, thanks, goodbyes, cancel, "what can you do" and out-of-scope.

Each runs the dialogue interpreter first, so a long message or one that asks a service
question is answered as a question whatever the classifier said; the small-talk reply
is given only on its own cue (a short greeting, thanks, goodbye) or when the catalog
names nothing.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import asks_something
from actions.dialogue.interpreter import aspects_in
from actions.dialogue.words import FLOW_RE
from actions.guide import TurnAction
from actions.guide_flow import not_found


class ActionGreet(TurnAction):
    def name(self) -> str:
        return "action_greet"


class ActionThanks(TurnAction):
    def name(self) -> str:
        return "action_thanks"


class ActionGoodbye(TurnAction):
    def name(self) -> str:
        return "action_goodbye"


class ActionStop(TurnAction):
    """"算了" outside a form: acknowledged; a question with 注销/取消 in it is a question."""

    def name(self) -> str:
        return "action_stop"


class ActionCapabilities(TurnAction):
    """"你都能干啥": the capabilities, unless the message names a service."""

    def name(self) -> str:
        return "action_capabilities"

    def fallback(self, dispatcher: CollectingDispatcher, tracker: Tracker, result) -> list[dict[str, Any]]:
        dispatcher.utter_message(response="utter_capabilities")
        return []


class ActionOutOfScope(TurnAction):
    """Out of scope: the reply sends the user to 12345, so it is a handoff to the hotline."""

    def name(self) -> str:
        return "action_out_of_scope"

    def fallback(self, dispatcher: CollectingDispatcher, tracker: Tracker, result) -> list[dict[str, Any]]:
        text = tracker.latest_message.get("text") or ""
        asks = FLOW_RE.search(text) or any(a not in ("flow", "overview") for a in aspects_in(text))
        if result is not None and asks and asks_something(text):
            # (a statement asks nothing, whatever aspect words its story holds: "附近的搅拌站半夜还在运作")
            # a how-to question the catalog has no item for ("…咋个取出来"): say so, it is no chit-chat
            return not_found(dispatcher, result, float(tracker.get_slot("failed_turns") or 0.0))
        dispatcher.utter_message(response="utter_out_of_scope", json_message={"type": "handoff", "reason": "out_of_scope"})
        return []
