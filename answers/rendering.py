"""Guide answers as short Chinese text for a phone screen, from catalog facts only.

Every answer names the item, its code and the date the information was verified; a
fact the catalog does not hold is said to be missing, never guessed. The wording is in
answers/templates.yml; this module decides which facts are shown and in what order.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date

from answers.templates import label, say, table, words
from knowledge.records import Implementation, Item, Material

MATERIALS_PAGE = 5


def aspect_label(aspect: str) -> str:
    return table("aspects")[aspect]


def online_depth_text(depth: str | None) -> str | None:
    """What an online-handling depth means for the citizen (the catalog's own word if unknown)."""
    return table("online_depth").get(depth, depth) if depth else None


def verified_on(item: Item, impl: Implementation | None) -> date | None:
    """The date the shown facts were verified; without a region's date, the newest of any region."""
    dates = [impl.verified] if impl and impl.verified else [i.verified for i in item.implementations if i.verified]
    return max(dates) if dates else None


def footer(item: Item, impl: Implementation | None) -> str:
    """Code and verification date, so every answer can be checked against the catalog."""
    verified = verified_on(item, impl)
    demo = label("demonstration") if item.demonstration else ""
    return say("guide.footer", code=item.code, verified=verified.isoformat() if verified else label("not_stated"),
               demo=demo)


def heading(item: Item, aspect: str, district: str | None) -> str:
    where = say("guide.where", place=district) if district else ""
    return say("guide.heading", item=item.name, aspect=aspect_label(aspect), where=where)


def consult_phone(impl: Implementation | None) -> str:
    return (impl.consult_phone if impl and impl.consult_phone else None) or label("hotline")


def missing(impl: Implementation | None) -> str:
    return say("guide.missing", phone=consult_phone(impl))


def describe_material(material: Material) -> str:
    parts = [p for p in (material.form, say("materials.copies", copies=material.copies) if material.copies else None)
             if p]
    detail = say("materials.detail", parts=label("detail_separator").join(parts)) if parts else ""
    condition = say("materials.condition", condition=material.condition) if material.condition and not material.required else ""
    waived = say("materials.waived") if material.waived else ""
    return f"{material.name}{detail}{condition}{waived}"


def ordered_materials(item: Item) -> list[Material]:
    """Required first, then conditional ones, each group in catalog order."""
    return [m for m in item.materials if m.required] + [m for m in item.materials if not m.required]


def render_materials(item: Item, impl: Implementation | None, offset: int = 0,
                     page: int | None = MATERIALS_PAGE) -> tuple[str, int | None]:
    """A page of materials and the offset of the next page (None when nothing is left).

    `page=None` lists them all (the agents' console reads the whole list aloud); the
    assistant pages them so a reply fits a phone screen and "更多" shows the rest.
    """
    materials = ordered_materials(item)
    if not materials:
        return missing(impl), None
    end = len(materials) if page is None else offset + page
    lines = []
    for index, material in enumerate(materials[offset:end], start=offset + 1):
        if index == 1 and material.required:
            lines.append(say("materials.required_header"))
        if not material.required and (index == 1 or materials[index - 2].required):
            lines.append(say("materials.conditional_header"))
        lines.append(say("materials.line", number=index, material=describe_material(material)))
    if end < len(materials):
        lines.append(say("materials.more", total=len(materials), left=len(materials) - end))
        return "\n".join(lines), end
    return "\n".join(lines), None


def render_department(item: Item, impl: Implementation | None) -> str:
    if impl is None:
        return missing(None)
    lines = [say("department.body", body=impl.body or label("not_stated"))]
    for window in impl.windows[:2]:
        if window.address:
            name = say("department.window_name", name=window.name) if window.name else ""
            lines.append(say("department.address", address=window.address) + name)
        if window.hours:
            lines.append(say("department.hours", hours=window.hours))
        if window.phone and window.phone != impl.consult_phone:
            lines.append(say("department.window_phone", phone=window.phone))
        if window.directions:
            lines.append(say("department.directions", directions=window.directions))
    lines.append(say("department.consult_phone", phone=consult_phone(impl)))
    if impl.appointment:
        lines.append(say("department.appointment"))
    return "\n".join(lines)


def render_flow(item: Item, impl: Implementation | None) -> str:
    if not item.flow:
        return missing(impl)
    return "\n".join(
        say("flow.step", number=number, name=step.name,
            limit=say("flow.step_limit", limit=step.time_limit) if step.time_limit else "",
            description=say("flow.step_description", description=step.description) if step.description else "")
        for number, step in enumerate(item.flow, 1))


def render_time_limit(item: Item, impl: Implementation | None) -> str:
    lines = []
    if impl and impl.promised_limit:
        lines.append(say("time_limit.promised", limit=impl.promised_limit))
    if item.statutory_limit:
        lines.append(say("time_limit.statutory", limit=item.statutory_limit))
    return "\n".join(lines) or missing(impl)


def is_free(impl: Implementation | None) -> bool | None:
    """True: no fee; False: charged; None: the catalog does not say."""
    if impl is None or not impl.fee:
        return None
    return impl.fee.strip() in words("free_fee")


def fee_summary(impl: Implementation | None) -> str | None:
    """The fee in a few words: "不收费", the amount, or "charged, amount unknown".

    The catalog's `fee` is often only the word 收费 with the amount in `fee_detail`;
    printing `fee` after a "收费：" label is how "收费：收费" happened.
    """
    free = is_free(impl)
    if free is None:
        return None
    if free:
        return say("fee.summary_free")
    if impl.fee_detail:
        return impl.fee_detail
    return say("fee.summary_unstated") if impl.fee.strip() in words("charged_fee") else impl.fee


def render_fee(item: Item, impl: Implementation | None) -> str:
    free = is_free(impl)
    if free is None:
        return missing(impl)
    if free:
        return say("fee.free")
    detail = impl.fee_detail or (None if impl.fee.strip() in words("charged_fee") else impl.fee)
    lines = [say("fee.charged", detail=detail) if detail else say("fee.charged_unstated", phone=consult_phone(impl))]
    if impl.fee_basis:
        lines.append(say("fee.basis", basis=impl.fee_basis))
    return "\n".join(lines)


def render_conditions(item: Item, impl: Implementation | None) -> str:
    if not item.conditions:
        return missing(impl)
    return "\n".join(say("conditions.line", number=i, condition=c) for i, c in enumerate(item.conditions, 1))


def render_online(item: Item, impl: Implementation | None) -> str:
    if impl is None:
        return missing(None)
    lines = []
    if impl.online_depth:
        lines.append(say("online.depth", description=online_depth_text(impl.online_depth)))
    if impl.online_url:
        lines.append(say("online.url", url=impl.online_url))
    if impl.trips is not None:
        lines.append(say("online.no_trip") if impl.trips == 0 else say("online.trips", trips=impl.trips))
    if impl.express:
        lines.append(say("online.express"))
    if impl.scope:
        lines.append(say("online.scope", scope=label("list_separator").join(impl.scope)))
    return "\n".join(lines) or missing(impl)


def render_overview(item: Item, impl: Implementation | None) -> str:
    lines = [item.summary] if item.summary else []
    if impl and impl.body:
        lines.append(say("overview.body", body=impl.body))
    if impl and impl.promised_limit:
        lines.append(say("overview.promised", limit=impl.promised_limit))
    fee = fee_summary(impl)
    if fee:
        lines.append(say("overview.fee", fee=fee))
    if impl and impl.trips is not None:
        lines.append(say("overview.trips", trips=impl.trips))
    required = [m.name for m in ordered_materials(item) if m.required]
    if required:
        more = say("overview.materials_more") if len(required) > 3 else ""
        lines.append(say("overview.materials", materials=label("list_separator").join(required[:3]), more=more))
    lines.append(say("overview.hint"))
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[Item, Implementation | None], str]] = {
    "department": render_department, "flow": render_flow, "time_limit": render_time_limit, "fee": render_fee,
    "conditions": render_conditions, "online": render_online, "overview": render_overview,
}


def render_body(item: Item, aspect: str, impl: Implementation | None, offset: int = 0) -> tuple[str, int | None]:
    """One aspect's facts and the next materials offset (materials only)."""
    if aspect == "materials":
        return render_materials(item, impl, offset)
    return RENDERERS[aspect](item, impl), None


# Which implementation facts an aspect shows: when they differ between regions, the
# answer depends on the district and the assistant asks for it.
ASPECT_FIELDS = {
    "department": ("body", "windows", "consult_phone"),
    "time_limit": ("promised_limit",),
    "fee": ("fee", "fee_detail"),
    "online": ("online_depth", "online_url", "trips", "express"),
    "overview": ("promised_limit", "fee", "trips"),
}


def depends_on_district(item: Item, aspect: str) -> bool:
    fields = ASPECT_FIELDS.get(aspect)
    if not fields or len(item.implementations) < 2:
        return False
    return aspect == "department" or not varying_fields(item).isdisjoint(fields)


_VARYING: dict[int, tuple[Item, frozenset[str]]] = {}
_VARYING_SIZE = 4096


def varying_fields(item: Item) -> frozenset[str]:
    """The implementation fields whose values differ between an item's regions.

    Every answer asks this several times and an item has up to 42 regions, so it is kept
    per item object (items are immutable; the catalog service hands out new objects when
    the catalog changes, and the entry holds its item, so an id is never mistaken).
    """
    entry = _VARYING.get(id(item))
    if entry is not None and entry[0] is item:
        return entry[1]
    names = (f.name for f in dataclasses.fields(Implementation) if f.name != "region_code")
    varying = frozenset(n for n in names if len({getattr(i, n) for i in item.implementations}) > 1)
    if len(_VARYING) >= _VARYING_SIZE:
        _VARYING.clear()
    _VARYING[id(item)] = (item, varying)
    return varying
