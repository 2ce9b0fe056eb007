"""Guide answers: materials, department, flow, time, fee, conditions, online, overview."""
from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.bundle_flow import answer_bundle, answer_item, bundle_choices, bundle_item_named, in_bundle_answer
from actions.deps import Catalog, default_catalog
from actions.guide_flow import answer_if_item_named, ask_which_item, not_found, offer_choices, offered_codes
from knowledge.regions import load_regions
from knowledge.search import ANSWER, CHOOSE

# A question whose remaining words are this short names no item ("在哪办?", "要多久"):
# it is a follow-up about the item of the conversation.
FOLLOW_UP_MAX_CORE = 3


class CatalogAction(Action, metaclass=ABCMeta):
    """Base of actions that read the catalog (abstract, so rasa_sdk does not register it)."""

    def __init__(self, catalog: Catalog | None = None):
        self._catalog = catalog

    @abstractmethod
    def name(self) -> str: ...

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = default_catalog()
        return self._catalog


class ActionAnswerGuide(CatalogAction):
    def name(self) -> str:
        return "action_answer_guide"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        text = context.latest_text(tracker)
        aspect = context.aspect_of(tracker)
        choices = tracker.get_slot("choices") or []
        pick = context.parse_ordinal(text, len(choices)) if choices else None
        if pick:
            return answer_item(dispatcher, self.catalog, tracker, choices[pick - 1],
                               tracker.get_slot("pending_aspect") or aspect, context.district_from(tracker, None))
        lead = context.leading_ordinal(text, len(choices)) if choices else None
        if lead:  # "第二个要什么材料": a pick and a question about it
            number, rest = lead
            asked = aspect if context.latest_intent(tracker) in context.INTENT_ASPECTS else context.aspect_from_words(rest)
            return answer_item(dispatcher, self.catalog, tracker, choices[number - 1], asked,
                               context.district_from(tracker, None))
        return respond_to_question(dispatcher, self.catalog, tracker, text, aspect)


def respond_to_question(dispatcher: CollectingDispatcher, catalog: Catalog, tracker: Tracker, text: str,
                        aspect: str) -> list[dict[str, Any]]:
    inside = bundle_choices(tracker)
    result = catalog.search(text, top=10 if inside else 5)
    district = context.district_from(tracker, result.district)
    current = tracker.get_slot("item_code")
    if result.bundle:
        return answer_bundle(dispatcher, catalog, result.bundle.code, district)
    named = bundle_item_named(result, inside)
    if named and not (result.decision == ANSWER and result.best.code not in inside):
        return answer_item(dispatcher, catalog, tracker, named, aspect, district)  # an item of the bundle, by name
    if result.decision == ANSWER:
        return answer_item(dispatcher, catalog, tracker, result.best.code, aspect, district)
    if current and result.decision == CHOOSE and current in offered_codes(result):
        return answer_item(dispatcher, catalog, tracker, current, aspect, district)  # the item being discussed fits
    if len(result.core) <= FOLLOW_UP_MAX_CORE and result.decision != CHOOSE:
        if current:
            return answer_item(dispatcher, catalog, tracker, current, aspect, district)
        if in_bundle_answer(tracker):  # "要多久?" right after a bundle: its total time is in the bundle answer
            return answer_bundle(dispatcher, catalog, tracker.get_slot("bundle_code"), district)
        return ask_which_item(dispatcher) + ([SlotSet("district", district.name)] if district else [])
    if result.decision == CHOOSE:
        events = offer_choices(dispatcher, result, aspect)
        return events + ([SlotSet("district", district.name)] if district else [])
    return not_found(dispatcher, result, tracker.get_slot("failed_turns") or 0.0)


class ActionSetDistrict(CatalogAction):
    """"渝北区的呢?": remember the district and answer the pending or last aspect there."""

    def name(self) -> str:
        return "action_set_district"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        region, _rest = load_regions().find_in_text(context.latest_text(tracker))
        district = context.district_from(tracker, region)
        if district is None:
            dispatcher.utter_message(text="请告诉我具体的区县名称，例如“渝北区”“江北区”“两江新区”。")
            return []
        code = tracker.get_slot("item_code")
        if not code and in_bundle_answer(tracker):
            return answer_bundle(dispatcher, self.catalog, tracker.get_slot("bundle_code"), district)
        if not code:
            dispatcher.utter_message(text=f"好的，已记下您在{district.name}。请问您要办理什么事项？")
            return [SlotSet("district", district.name)]
        aspect = tracker.get_slot("pending_aspect") or tracker.get_slot("aspect") or "department"
        return answer_item(dispatcher, self.catalog, tracker, code, aspect, district)


class ActionMore(CatalogAction):
    """"更多": the next page of a long material list."""

    def name(self) -> str:
        return "action_more"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        code = tracker.get_slot("item_code")
        offset = tracker.get_slot("material_offset")
        district = context.district_from(tracker, None)
        if code and offset:
            return answer_item(dispatcher, self.catalog, tracker, code, "materials", district, int(offset))
        named = answer_if_item_named(dispatcher, self.catalog, context.latest_text(tracker), district)
        if named is not None:
            return named
        dispatcher.utter_message(text="材料已经全部列出了。还可以问我在哪办、要多久、收费吗。" if code
                                 else "请先告诉我您要办理的事项，例如“开公司要什么材料”。")
        return []
