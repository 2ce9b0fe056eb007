"""有用 / 没用: usefulness feedback on the last answer."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.deps import default_feedback


class ActionFeedback(Action):
    def __init__(self, store=None):
        self._store = store

    def name(self) -> str:
        return "action_feedback"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        useful = context.latest_intent(tracker) == "feedback_useful"
        store = self._store or default_feedback()
        store.record(tracker.sender_id, tracker.get_slot("item_code"), tracker.get_slot("aspect"), useful)
        if useful:
            dispatcher.utter_message(text="感谢您的反馈！还有其他要办的事可以继续问我。")
        else:
            dispatcher.utter_message(text="抱歉没能帮上忙，您的反馈已记录，我们会改进。可以换个说法再问，"
                                          "或者说“转人工”，也可以拨打 12345 热线。")
        return []
