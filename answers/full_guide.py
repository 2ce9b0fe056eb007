"""An item's complete guide as one text an agent reads aloud on the 12345 hotline.

Made of the same renderers and the same choice of region as the assistant's replies
(answers.guide), so the hotline says exactly what the WeChat and app assistant would:
every section, materials in full (required first), the item code and the date.
"""
from __future__ import annotations

from answers.guide import choose, section
from answers.rendering import aspect_label, footer, render_materials
from answers.templates import say
from knowledge.records import Item
from knowledge.regions import Region

SECTIONS = ("conditions", "department", "flow", "time_limit", "fee", "online")


def full_guide_text(item: Item, district: Region | None) -> str:
    choice = choose(item, district)
    where = say("guide.where", place=choice.place) if choice.place else ""
    parts = [say("guide.heading", item=item.name, aspect="", where=where)]
    if item.summary:
        parts.append(item.summary)
    if choice.notice:
        parts.append(choice.notice)
    materials, _ = render_materials(item, choice.impl, page=None)
    parts.append(say("full_guide.section", label=aspect_label("materials"), body=materials))
    for aspect in SECTIONS:
        body, _ = section(item, aspect, choice, district, needed="full_guide.district_needed")
        parts.append(say("full_guide.section", label=aspect_label(aspect), body=body))
    parts.append(footer(item, choice.impl))
    return "\n\n".join(parts)
