"""Machine-readable guide cards for channels that render natively (the 渝快办 app).

The text answers (answers/rendering.py) are written for a phone screen; these cards hold
the same catalog facts as data, so the app can lay them out itself. They carry only what
the catalog holds: a missing fact is null or an empty list, never a guess. Which region's
facts a card holds is decided with the text (answers/guide.py), so both say the same.
"""
from __future__ import annotations

from typing import Any

from answers.rendering import consult_phone, is_free, online_depth_text, ordered_materials, verified_on
from answers.templates import say
from knowledge.records import Implementation, Item, Material
from knowledge.regions import load_regions


def guide_card(item: Item, impl: Implementation | None, aspect: str, district: str | None = None,
               district_needed: bool = False) -> dict[str, Any]:
    """The whole guide of an item for one region (the district's implementation, else the
    city's), or the facts all regions share (region null) when neither is known."""
    region = load_regions().by_code.get(impl.region_code) if impl and impl.region_code else None
    return {
        "item": {"code": item.code, "name": item.name, "power_type": item.power_type,
                 "department": item.department, "summary": item.summary},
        "aspect": aspect,
        "district": district,
        "region": {"code": impl.region_code, "name": region.name if region else None,
                   "is_example": False} if impl and impl.region_code else None,
        "district_needed": district_needed,
        "district_note": say("card.district_note", item=item.name) if district_needed else None,
        "materials": [material_entry(m) for m in ordered_materials(item)],
        "material_counts": material_counts(item.materials),
        "conditions": list(item.conditions),
        "department": department(impl),
        "flow": [{"step": n, "name": s.name, "description": s.description, "time_limit": s.time_limit}
                 for n, s in enumerate(item.flow, 1)],
        "time_limit": {"promised": impl.promised_limit if impl else None, "statutory": item.statutory_limit},
        "fee": fee(impl),
        "online": online(impl),
        "verified": verified(item, impl),
        "demonstration": item.demonstration,
    }


def material_entry(material: Material) -> dict[str, Any]:
    return {"name": material.name, "required": material.required, "condition": material.condition,
            "form": material.form, "copies": material.copies, "medium": material.medium, "source": material.source,
            "waived": material.waived, "notes": material.notes}


def material_counts(materials: tuple[Material, ...]) -> dict[str, int]:
    return {"total": len(materials), "required": sum(m.required for m in materials),
            "conditional": sum(not m.required for m in materials), "waived": sum(m.waived for m in materials)}


def department(impl: Implementation | None) -> dict[str, Any] | None:
    if impl is None or not (impl.body or impl.windows or impl.consult_phone):
        return None
    return {
        "body": impl.body,
        "windows": [{"name": w.name, "address": w.address, "hours": w.hours, "phone": w.phone,
                     "directions": w.directions} for w in impl.windows],
        "consult_phone": consult_phone(impl),
        "supervision_phone": impl.supervision_phone,
        "appointment": impl.appointment,
    }


def fee(impl: Implementation | None) -> dict[str, Any]:
    """`charged` is null unless the shown region's entry says (never "no fee" by default)."""
    free = is_free(impl)
    return {"charged": None if free is None else not free, "summary": impl.fee if impl else None,
            "detail": impl.fee_detail if impl else None, "basis": impl.fee_basis if impl else None}


def online(impl: Implementation | None) -> dict[str, Any]:
    if impl is None:
        return {"depth": None, "description": None, "url": None, "trips": None, "express": None, "scope": []}
    return {"depth": impl.online_depth, "description": online_depth_text(impl.online_depth),
            "url": impl.online_url, "trips": impl.trips, "express": impl.express, "scope": list(impl.scope)}


def verified(item: Item, impl: Implementation | None) -> str | None:
    """The date the shown facts were verified; without a region, the newest of any region
    (as the text answers' footer says)."""
    date = verified_on(item, impl)
    return date.isoformat() if date else None
