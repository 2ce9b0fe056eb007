"""The shared steps of guide conversations: answer, ask the district, offer choices.

Actions call these with the dispatcher and get back the slot events to return, so the
same rules hold whichever way the user reached an item (a question, a number, a
district follow-up, a fallback).
"""
from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.deps import Catalog
from answers.guide import guide_reply
from knowledge.errors import ItemNotFoundError
from knowledge.regions import Region
from knowledge.search import ANSWER, SearchResult

MAX_CHOICES = 5
CLOSEST_MIN_SCORE = 0.25  # below this a "closest item" is noise, not a suggestion
MIN_NAMED_CORE = 4  # "你能干啥" names nothing; a question naming an item has more left after question words
HOTLINE_TEXT = "也可以拨打 12345 政务服务便民热线咨询。"


def answer(dispatcher: CollectingDispatcher, catalog: Catalog, code: str, aspect: str,
           district: Region | None, offset: int = 0) -> list[dict[str, Any]]:
    """Answer one aspect of an item, or ask for the district when the answer depends on it."""
    try:
        item = catalog.item(code)
    except ItemNotFoundError:
        dispatcher.utter_message(text="抱歉，这个事项已不在目录中了，请换个说法再问一次。", json_message={"type": "not_found"})
        return [SlotSet("item_code", None), SlotSet("item_name", None)]
    events = [SlotSet("item_code", item.code), SlotSet("item_name", item.name), SlotSet("aspect", aspect),
              SlotSet("choices", None), SlotSet("failed_turns", 0.0)]
    reply = guide_reply(item, aspect, district, offset)
    dispatcher.utter_message(text=reply.text, json_message={
        "type": "guide", "item_code": item.code, "item_name": item.name, "aspect": aspect,
        "district": reply.district, "card": reply.card,
    })
    events += [SlotSet("pending_aspect", aspect if reply.district_needed else None),
               SlotSet("material_offset", float(reply.next_offset) if reply.next_offset else None)]
    if district:
        events.append(SlotSet("district", district.name))
    return events


def offered(result: SearchResult) -> list:
    """The candidates worth offering: within half the best score, at most MAX_CHOICES."""
    return [c for c in result.candidates if c.score >= result.candidates[0].score * 0.5][:MAX_CHOICES]


def offered_codes(result: SearchResult) -> set[str]:
    return {c.code for c in offered(result)}


def offer_choices(dispatcher: CollectingDispatcher, result: SearchResult, aspect: str) -> list[dict[str, Any]]:
    options = offered(result)
    lines = ["找到几个相关事项，请回复序号选择："] + [f"{i}. {c.name}" for i, c in enumerate(options, 1)]
    dispatcher.utter_message(text="\n".join(lines), json_message={
        "type": "choices", "options": [{"item_code": c.code, "item_name": c.name} for c in options],
    })
    return [SlotSet("choices", [c.code for c in options]), SlotSet("pending_aspect", aspect)]


def not_found(dispatcher: CollectingDispatcher, result: SearchResult | None, failed_turns: float) -> list[dict[str, Any]]:
    """Say so, offer the closest items and 12345; the second failure in a row hands off."""
    failed = failed_turns + 1
    if failed >= 2:
        dispatcher.utter_message(
            text="抱歉，我还是没能找到您要办的事项。已为您转人工服务，您也可以直接拨打 12345 政务服务便民热线。",
            json_message={"type": "handoff", "reason": "repeated_failure"})
        return [SlotSet("failed_turns", 0.0), SlotSet("choices", None)]
    closest = [c for c in (result.candidates if result else ()) if c.score >= CLOSEST_MIN_SCORE][:3]
    text = "抱歉，目录里没有找到和您的问题对应的事项。"
    events: list[dict[str, Any]] = [SlotSet("failed_turns", failed)]
    if closest:
        text += "您是不是要找：\n" + "\n".join(f"{i}. {c.name}" for i, c in enumerate(closest, 1)) + "\n回复序号即可查看。"
        events.append(SlotSet("choices", [c.code for c in closest]))
    else:
        text += "请换个说法，比如“开公司要什么材料”“驾驶证到期怎么换”。"
    dispatcher.utter_message(text=f"{text}\n{HOTLINE_TEXT}", json_message={"type": "not_found"})
    return events


def ask_which_item(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    """A follow-up ("在哪办?") with no item in the conversation yet: ask, it is no failure."""
    dispatcher.utter_message(text="请问您要办理的是什么事项？比如“换驾照”“开公司”“提取公积金”。")
    return []


def named_item(catalog: Catalog, text: str) -> SearchResult | None:
    """The search result when the text clearly names one item, else None."""
    result = catalog.search(text)
    if result.decision != ANSWER or len(result.core) < MIN_NAMED_CORE:
        return None
    return result


def answer_if_item_named(dispatcher: CollectingDispatcher, catalog: Catalog, text: str,
                         district: Region | None) -> list[dict[str, Any]] | None:
    """Answer a guide when a message filed under another intent clearly names an item.

    Returns the events, or None when the message names no item (the caller goes on).
    """
    from actions.context import aspect_from_words

    result = catalog.search(text)
    if result.bundle is not None and result.bundle.score >= 0.9:  # a life event clearly named ("生孩子要办什么")
        from actions.bundle_flow import answer_bundle

        return answer_bundle(dispatcher, catalog, result.bundle.code, district or result.district)
    result = named_item(catalog, text)
    if result is None:
        return None
    return answer(dispatcher, catalog, result.best.code, aspect_from_words(text), district or result.district)
