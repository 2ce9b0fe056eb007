"""When the NLU is unsure: try the catalog anyway, else say so and, if repeated, hand off."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.bundle_flow import answer_bundle, answer_item
from actions.guide import CatalogAction
from actions.guide_flow import answer, not_found, offer_choices
from knowledge.search import ANSWER, CHOOSE


class ActionNotUnderstood(CatalogAction):
    def name(self) -> str:
        return "action_not_understood"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        text = context.latest_text(tracker)
        choices = tracker.get_slot("choices") or []
        pick = context.parse_ordinal(text, len(choices)) if choices else None
        if pick:
            return answer_item(dispatcher, self.catalog, tracker, choices[pick - 1],
                               tracker.get_slot("pending_aspect") or "overview", context.district_from(tracker, None))
        lead = context.leading_ordinal(text, len(choices)) if choices else None
        if lead:  # "第二个要什么材料"
            number, rest = lead
            return answer_item(dispatcher, self.catalog, tracker, choices[number - 1],
                               context.aspect_from_words(rest), context.district_from(tracker, None))
        result = self.catalog.search(text)
        district = context.district_from(tracker, result.district)
        if result.bundle:
            return answer_bundle(dispatcher, self.catalog, result.bundle.code, district)
        if result.decision == ANSWER:
            return answer(dispatcher, self.catalog, result.best.code, "overview", district)
        if result.decision == CHOOSE:
            return offer_choices(dispatcher, result, "overview")
        return not_found(dispatcher, result, tracker.get_slot("failed_turns") or 0.0)
