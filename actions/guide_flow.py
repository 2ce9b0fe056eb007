"""The shared steps of guide conversations: answer, offer choices, say nothing was found.

Actions call these with the dispatcher and get back the slot events to return, so the
same rules hold whichever way the user reached an item. This module does not know about
bundles (actions.bundle_flow) and neither knows about the other; actions.turn joins them.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.cards import guide_card
from actions.deps import Catalog
from actions.dialogue.choosing import (  # noqa: F401 - shared
    MAX_ALTERNATIVES,
    alternatives_of,
    offered,
    offered_codes,
)
from actions.rendering import consult_phone, depends_on_district, render_guide
from knowledge.errors import ItemNotFoundError
from knowledge.regions import Region, load_regions
from knowledge.search import Candidate, SearchResult

CLOSEST_MIN_SCORE = 0.25  # below this a "closest item" is noise, not a suggestion
HANDOFF_OFFER_AFTER = 2  # misses in a row before a person is offered (offered, never forced)
HOTLINE_TEXT = "也可以拨打 12345 政务服务便民热线咨询。"
UNHELD = "unheld"  # the pseudo-aspect of a fact the catalog does not hold ("产假多少天")


def answer(dispatcher: CollectingDispatcher, catalog: Catalog, code: str, aspect: str,
           district: Region | None, offset: int = 0, *, footer_shown: Sequence[str] = (),
           alternatives: Sequence[Candidate] = ()) -> list[dict[str, Any]]:
    """Answer one aspect of an item, or ask for the district when the answer depends on it.

    The code-and-date footer is printed once per item in a conversation (`footer_shown`
    lists the items that had it); alternatives are listed after the answer, never as a menu.
    """
    try:
        item = catalog.item(code)
    except ItemNotFoundError:
        dispatcher.utter_message(text="抱歉，这个事项已不在目录中了，请换个说法再问一次。", json_message={"type": "not_found"})
        return [SlotSet("item_code", None), SlotSet("item_name", None)]
    events = [SlotSet("item_code", item.code), SlotSet("item_name", item.name), SlotSet("aspect", aspect),
              SlotSet("choices", None), SlotSet("failed_turns", 0.0), SlotSet("answered", True)]
    if district:
        events.append(SlotSet("district", district.name))
    impl = item.implementation_for(district.code if district else None)
    if aspect == UNHELD:
        dispatcher.utter_message(
            text=f"【{item.name}】\n抱歉，办事指南目录里没有这项信息（只有材料、办理地点、流程、时限、收费、网上办理等）。"
                 f"具体请拨打{consult_phone(impl)}咨询。",
            json_message={"type": "not_found", "reason": "fact_not_held", "item_code": item.code,
                          "item_name": item.name, "district": district.name if district else None})
        return events + [SlotSet("pending_aspect", None), SlotSet("material_offset", None)]
    ask = district is None and depends_on_district(item, aspect)
    example = None
    if ask and impl is None:
        impl = item.implementations[0]  # no city level: show one district's facts, labelled as an example
        example = load_regions().by_code.get(impl.region_code)
    shown_district = district.name if district and impl and impl.region_code == district.code else None
    if district and impl is not None and impl.region_code != district.code:
        dispatcher.utter_message(text=f"{district.name}目录中没有「{item.name}」的实施信息，以下为市级信息。")
    with_footer = item.code not in footer_shown
    text, next_offset = render_guide(item, aspect, impl, shown_district or (f"以{example.name}为例" if example else None),
                                     offset, with_footer)
    if ask:
        text += f"\n「{item.name}」由各区县分别办理，请告诉我您在哪个区县（如渝北区、江北区、两江新区），我给您当地的信息。"
    others = [c for c in alternatives if c.code != item.code][:MAX_ALTERNATIVES]
    if others:
        text += "\n您可能还想问：" + "；".join(f"{i}. {c.name}" for i, c in enumerate(others, 1))
    dispatcher.utter_message(text=text, json_message={
        "type": "guide", "item_code": item.code, "item_name": item.name, "aspect": aspect,
        "district": district.name if district else None, "card": guide_card(item, impl, aspect, shown_district, ask),
        "alternatives": [{"item_code": c.code, "item_name": c.name} for c in others],
    })
    events += [SlotSet("pending_aspect", aspect if ask else None),
               SlotSet("material_offset", float(next_offset) if next_offset else None),
               SlotSet("alternatives", [c.code for c in others] or None)]
    if with_footer:
        events.append(SlotSet("footer_items", [*footer_shown, item.code][-20:]))
    return events


def offer_choices(dispatcher: CollectingDispatcher, options: Sequence[Candidate], aspect: str) -> list[dict[str, Any]]:
    """A numbered menu (only when the search says the candidates are genuinely tied)."""
    lines = ["找到几个相关事项，请回复序号或名称选择（都不是可以直接说）："] + [
        f"{i}. {c.name}" for i, c in enumerate(options, 1)]
    dispatcher.utter_message(text="\n".join(lines), json_message={
        "type": "choices", "options": [{"item_code": c.code, "item_name": c.name} for c in options],
    })
    return [SlotSet("choices", [c.code for c in options]), SlotSet("pending_aspect", aspect),
            SlotSet("item_code", None), SlotSet("item_name", None), SlotSet("bundle_code", None),
            SlotSet("answered", False), SlotSet("alternatives", None)]


def not_found(dispatcher: CollectingDispatcher, result: SearchResult | None, failed_turns: float) -> list[dict[str, Any]]:
    """Say so, offer the closest items and 12345; after repeated misses, offer a person (never forced)."""
    failed = failed_turns + 1
    closest = [c for c in (result.candidates if result else ()) if c.score >= CLOSEST_MIN_SCORE][:3]
    text = "抱歉，办事指南目录里没有找到和您的问题对应的事项。"
    events: list[dict[str, Any]] = [SlotSet("failed_turns", failed), SlotSet("answered", False)]
    if closest:
        text += "相近的事项有：\n" + "\n".join(f"{i}. {c.name}" for i, c in enumerate(closest, 1)) + "\n回复序号即可查看。"
        events.append(SlotSet("alternatives", [c.code for c in closest]))
    else:
        text += "请换个说法，比如“开公司要什么材料”“驾驶证到期怎么换”。"
    if failed >= HANDOFF_OFFER_AFTER:
        text += "\n如需人工帮助，回复“转人工”即可。"
    dispatcher.utter_message(text=f"{text}\n{HOTLINE_TEXT}", json_message={"type": "not_found"})
    return events


def ask_which_item(dispatcher: CollectingDispatcher, district: Region | None = None) -> list[dict[str, Any]]:
    """A follow-up ("在哪办?") with no item in the conversation yet: ask, it is no failure."""
    where = f"好的，已记下您在{district.name}。" if district else ""
    dispatcher.utter_message(text=f"{where}请问您要办理的是什么事项？比如“换驾照”“开公司”“提取公积金”。")
    return [SlotSet("district", district.name)] if district else []


MIN_NAMED_CORE = 4  # "你能干啥" names nothing; a question naming an item has more left after question words


def named_item(catalog: Catalog, text: str) -> SearchResult | None:
    """The search result when the text clearly names one item, else None."""
    result = catalog.search(text)
    if result.decision != "answer" or len(result.core) < MIN_NAMED_CORE:
        return None
    return result


def answer_if_item_named(dispatcher: CollectingDispatcher, catalog: Catalog, text: str,
                         district: Region | None) -> list[dict[str, Any]] | None:
    """Answer a guide when a message filed under another intent (progress) clearly names an item.

    Returns the events, or None when the message names no item (the caller goes on). Life
    events are answered by actions.turn; this helper stays free of bundles.
    """
    from actions.dialogue.interpreter import aspects_in

    result = named_item(catalog, text)
    if result is None:
        return None
    aspects = aspects_in(text)
    return answer(dispatcher, catalog, result.best.code, aspects[0] if aspects else "overview",
                  district or result.district)
