"""Small talk that may hide a service question: "what can you do" and out-of-scope.

A message the NLU filed here but that clearly names a catalog item gets the guide;
otherwise the usual response.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.guide import CatalogAction
from actions.guide_flow import answer_if_item_named, offer_choices
from knowledge.search import CHOOSE

# Capability questions are short ("你都能回答哪些问题"); a question naming a service has more left.
SERVICE_QUESTION_MIN_CORE = 9
SERVICE_QUESTION_MIN_SCORE = 0.3


class _CatalogFirst(CatalogAction):
    response = ""
    custom: dict | None = None

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        named = answer_if_item_named(dispatcher, self.catalog, context.latest_text(tracker),
                                     context.district_from(tracker, None))
        if named is not None:
            return named
        dispatcher.utter_message(response=self.response, json_message=self.custom)
        return []


class ActionCapabilities(_CatalogFirst):
    response = "utter_capabilities"

    def name(self) -> str:
        return "action_capabilities"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        # A long service question misfiled as "what can you do" ("目前购买二手车可以使用原号牌吗"):
        # asking about the assistant takes few words, so offer the services it names instead.
        text = context.latest_text(tracker)
        result = self.catalog.search(text)
        if (result.decision == CHOOSE and len(result.core) >= SERVICE_QUESTION_MIN_CORE
                and result.best.score >= SERVICE_QUESTION_MIN_SCORE and result.bundle is None):
            return offer_choices(dispatcher, result, context.aspect_from_words(text))
        return await super().run(dispatcher, tracker, domain)


class ActionOutOfScope(_CatalogFirst):
    """Out of scope: the reply sends the user to 12345, so it is a handoff to the hotline."""

    response = "utter_out_of_scope"
    custom = {"type": "handoff", "reason": "out_of_scope"}

    def name(self) -> str:
        return "action_out_of_scope"
