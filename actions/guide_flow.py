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

from actions.deps import Catalog
from actions.dialogue.choosing import (  # noqa: F401 - shared
    MAX_ALTERNATIVES,
    alternatives_of,
    offered,
    offered_codes,
)
from answers.guide import alternatives_line, fact_not_held, guide_reply
from answers.templates import say
from knowledge.errors import ItemNotFoundError
from knowledge.regions import Region
from knowledge.search import Candidate, SearchResult

CLOSEST_MIN_SCORE = 0.25  # below this a "closest item" is noise, not a suggestion
HANDOFF_OFFER_AFTER = 2  # misses in a row before a person is offered (offered, never forced)
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
        dispatcher.utter_message(text=say("reply.item_gone"), json_message={"type": "not_found"})
        return [SlotSet("item_code", None), SlotSet("item_name", None)]
    events = [SlotSet("item_code", item.code), SlotSet("item_name", item.name), SlotSet("aspect", aspect),
              SlotSet("choices", None), SlotSet("failed_turns", 0.0), SlotSet("answered", True)]
    if district:
        events.append(SlotSet("district", district.name))
    if aspect == UNHELD:
        impl = item.implementation_for(district.code if district else None)
        dispatcher.utter_message(text=fact_not_held(item, impl), json_message={
            "type": "not_found", "reason": "fact_not_held", "item_code": item.code, "item_name": item.name,
            "district": district.name if district else None})
        return events + [SlotSet("pending_aspect", None), SlotSet("material_offset", None)]
    with_footer = item.code not in footer_shown
    reply = guide_reply(item, aspect, district, offset, with_footer=with_footer)
    others = [c for c in alternatives if c.code != item.code][:MAX_ALTERNATIVES]
    text = "\n".join([reply.text, alternatives_line([c.name for c in others])] if others else [reply.text])
    dispatcher.utter_message(text=text, json_message={
        "type": "guide", "item_code": item.code, "item_name": item.name, "aspect": aspect,
        "district": district.name if district else None, "card": reply.card,
        "alternatives": [{"item_code": c.code, "item_name": c.name} for c in others],
    })
    events += [SlotSet("pending_aspect", aspect if reply.district_needed else None),
               SlotSet("material_offset", float(reply.next_offset) if reply.next_offset else None),
               SlotSet("alternatives", [c.code for c in others] or None)]
    if with_footer:
        events.append(SlotSet("footer_items", [*footer_shown, item.code][-20:]))
    return events


def offer_choices(dispatcher: CollectingDispatcher, options: Sequence[Candidate], aspect: str) -> list[dict[str, Any]]:
    """A numbered menu (only when the search says the candidates are genuinely tied)."""
    lines = [say("reply.choices")] + [say("reply.option", number=i, name=c.name) for i, c in enumerate(options, 1)]
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
    text = say("reply.not_found")
    events: list[dict[str, Any]] = [SlotSet("failed_turns", failed), SlotSet("answered", False)]
    if closest:
        text += say("reply.closest_one", name=closest[0].name) if len(closest) == 1 else say(
            "reply.closest", options="\n".join(say("reply.option", number=i, name=c.name)
                                             for i, c in enumerate(closest, 1)))
        events.append(SlotSet("alternatives", [c.code for c in closest]))
    else:
        text += say("reply.rephrase")
    if failed >= HANDOFF_OFFER_AFTER:
        text += "\n" + say("reply.offer_person")
    dispatcher.utter_message(text=f"{text}\n{say('reply.hotline')}", json_message={"type": "not_found"})
    return events


def ask_which_item(dispatcher: CollectingDispatcher, district: Region | None = None) -> list[dict[str, Any]]:
    """A follow-up ("在哪办?") with no item in the conversation yet: ask, it is no failure."""
    where = say("reply.district_noted", district=district.name) if district else ""
    dispatcher.utter_message(text=where + say("reply.which_item"))
    return [SlotSet("district", district.name)] if district else []


MIN_NAMED_CORE = 4  # "你能干啥" names nothing; a question naming an item has more left after question words


def named_item(catalog: Catalog, text: str) -> SearchResult | None:
    """The search result when the text clearly names one item, else None."""
    result = catalog.search(text)
    if result.decision != "answer" or len(result.core) < MIN_NAMED_CORE:
        return None
    return result
