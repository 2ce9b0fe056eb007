"""Bundle (一件事一次办) conversations: answer the life event, then let the user drill into its items.

A bundle answer offers its items as the conversation's choices, so "第二个要什么材料",
"2" or an item's name open that item's guide (actions.turn); while the user stays
inside the bundle the choices are kept. A long bundle reply is paged like materials:
the first page, then "更多".
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from answers.bundle_rendering import render_bundle
from answers.templates import prefix, say
from actions.deps import Catalog
from knowledge.bundles import (
    bundle_parts,
    merge_materials,
    newest_verified,
    published_items,
)
from knowledge.errors import BundleNotFoundError
from knowledge.regions import Region
from knowledge.search import SearchResult

PAGE_LINES = 12  # a phone screen; the rest after "更多"


def answer_bundle(dispatcher: CollectingDispatcher, catalog: Catalog, code: str,
                  district: Region | None, offset: int = 0) -> list[dict[str, Any]]:
    """The bundle's steps, combined materials, joint window and total time, one page at a time;
    its items become the choices."""
    try:
        bundle = catalog.bundle(code)
    except BundleNotFoundError:
        dispatcher.utter_message(text=say("reply.bundle_gone"), json_message={"type": "not_found"})
        return [SlotSet("bundle_code", None)]
    items = published_items(catalog, bundle)
    parts = bundle_parts(bundle, items)
    text = render_bundle(bundle, parts, merge_materials(bundle, items), district, newest_verified(bundle, items))
    page, next_offset = page_of(text, offset)
    present = [part.item for part in parts if part.item is not None]
    dispatcher.utter_message(text=page, json_message={
        "type": "bundle", "bundle_code": bundle.code, "bundle_name": bundle.name,
        "items": [{"item_code": item.code, "item_name": item.name} for item in present],
        "district": district.name if district else None, "page": 1 if offset == 0 else 2 + (offset - 1) // PAGE_LINES,
    })
    events = [SlotSet("bundle_code", bundle.code), SlotSet("choices", [item.code for item in present]),
              SlotSet("item_code", None), SlotSet("item_name", None), SlotSet("aspect", None),
              SlotSet("pending_aspect", None), SlotSet("material_offset", None), SlotSet("failed_turns", 0.0),
              SlotSet("bundle_offset", float(next_offset) if next_offset else None), SlotSet("answered", True),
              SlotSet("alternatives", None)]
    if district:
        events.append(SlotSet("district", district.name))
    return events


def page_of(text: str, offset: int) -> tuple[str, int | None]:
    """The bundle reply in two pages: first the steps, window and total time (what to do and
    where), then after "更多" the combined materials, at most PAGE_LINES lines a page."""
    lines = text.split("\n")
    headers = (say("bundle.materials_header"), say("bundle.materials_missing"))
    start = next((i for i, line in enumerate(lines) if line.startswith(headers)), None)
    end = next((i for i, line in enumerate(lines) if line.startswith(prefix("bundle.window"))), len(lines))
    if start is None or start >= end:
        return text, None
    materials = lines[start:end]
    if offset == 0:
        first = lines[:start] + lines[end:]
        first.insert(len(lines[:start]), say("bundle_page.materials_count", count=len(materials) - 1))
        return "\n".join(first), 1
    page = [say("bundle_page.continued", heading=lines[0])] + materials[offset - 1:offset - 1 + PAGE_LINES]
    next_offset = offset + PAGE_LINES
    if next_offset - 1 < len(materials):
        page.append(say("bundle_page.more_lines", count=len(materials) - next_offset + 1))
        return "\n".join(page), next_offset
    return "\n".join(page), None


def bundle_choices(tracker: Tracker) -> list[str]:
    """The items of the bundle the user is inside, or [] when the conversation is not in a bundle."""
    if not tracker.get_slot("bundle_code"):
        return []
    return list(tracker.get_slot("choices") or [])


def in_bundle_answer(tracker: Tracker) -> bool:
    """True right after a bundle answer (no item opened since)."""
    return bool(tracker.get_slot("bundle_code")) and not tracker.get_slot("item_code")


def bundle_item_named(result: SearchResult, choices: list[str]) -> str | None:
    """The bundle item a question names ("营业执照要什么材料"): the best-ranked candidate among the
    bundle's items that is worth offering (within half the best score)."""
    if not choices or not result.candidates:
        return None
    floor = result.candidates[0].score * 0.5
    for candidate in result.candidates:
        if candidate.code in choices and candidate.score >= floor:
            return candidate.code
    return None
