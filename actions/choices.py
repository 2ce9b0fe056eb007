"""Picking one of the offered items by number, ordinal or name."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.bundle_flow import answer_item
from actions.guide import CatalogAction, respond_to_question


class ActionChooseOption(CatalogAction):
    def name(self) -> str:
        return "action_choose_option"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        text = context.latest_text(tracker)
        choices = tracker.get_slot("choices") or []
        aspect = tracker.get_slot("pending_aspect") or tracker.get_slot("aspect") or "overview"
        district = context.district_from(tracker, None)
        if not choices:
            return respond_to_question(dispatcher, self.catalog, tracker, text, aspect)
        pick = context.parse_ordinal(text, len(choices))
        if pick is None:
            for entity in (tracker.latest_message or {}).get("entities") or []:
                if entity.get("entity") == "ordinal":
                    pick = context.parse_ordinal(str(entity.get("value")), len(choices))
        lead = context.leading_ordinal(text, len(choices)) if pick is None else None
        if lead:  # "第二个要什么材料"
            pick, rest = lead
            aspect = context.aspect_from_words(rest, aspect)
        if pick is None:
            pick = self._by_name(text, choices)
        if pick is None:
            dispatcher.utter_message(text=f"请回复 1 到 {len(choices)} 之间的序号，或者直接说事项名称。")
            return []
        return answer_item(dispatcher, self.catalog, tracker, choices[pick - 1], aspect, district)

    def _by_name(self, text: str, choices: list[str]) -> int | None:
        result = self.catalog.search(text, top=10)
        for candidate in result.candidates:
            if candidate.code in choices:
                return choices.index(candidate.code) + 1
        return None
