"""A life-event bundle (一件事一次办) as short Chinese text for a phone screen.

The reply lists the items in the order they are handled (optional ones with when), the
combined materials (a material several items need is listed once, with those items),
the joint window and form, the combined promised time, and the code and verification
date, from catalog facts only. The wording is in answers/templates.yml (bundle.*).
"""
from __future__ import annotations

from datetime import date

from answers.templates import label, say
from knowledge.bundles import BundlePart, MergedMaterial
from knowledge.records import Bundle
from knowledge.regions import Region

MAX_CONDITIONAL_SHOWN = 4


def positions_label(positions: tuple[int, ...]) -> str:
    """Which items of the bundle need a material: shared by several, or one item's."""
    numbers = label("list_separator").join(str(p) for p in positions)
    return say("bundle.positions_shared" if len(positions) > 1 else "bundle.positions_one", numbers=numbers)


def render_parts(parts: list[BundlePart], district: Region | None) -> list[str]:
    lines = [say("bundle.parts_header", count=len(parts))]
    for part in parts:
        if part.item is None:
            lines.append(say("bundle.part_missing", number=part.position, code=part.step.item_code))
            continue
        impl = part.item.implementation_for(district.code if district else None)
        body = (impl.body if impl and impl.body else None) or part.item.department
        when = ""
        if part.step.optional:
            when = (say("bundle.part_when", condition=part.step.condition) if part.step.condition
                    else say("bundle.part_optional"))
        lines.append(say("bundle.part", number=part.position, name=part.item.name,
                         body=say("bundle.part_body", body=body) if body else "", when=when))
    return lines


def render_materials(materials: list[MergedMaterial]) -> list[str]:
    if not materials:
        return [say("bundle.materials_missing")]
    required = [m for m in materials if m.required]
    conditional = [m for m in materials if not m.required]
    lines = [say("bundle.materials_header")]
    for material in required:
        waived = say("bundle.material_waived") if material.waived else ""
        lines.append(say("bundle.material", name=material.name, waived=waived,
                         positions=positions_label(material.positions)))
    if conditional:
        shown = label("list_separator").join(
            say("bundle.material_positioned", name=m.name, positions=positions_label(m.positions))
            for m in conditional[:MAX_CONDITIONAL_SHOWN])
        more = say("bundle.conditional_more", count=len(conditional)) if len(conditional) > MAX_CONDITIONAL_SHOWN else ""
        lines.append(say("bundle.conditional", shown=shown, more=more))
    return lines


def render_bundle(bundle: Bundle, parts: list[BundlePart], materials: list[MergedMaterial],
                  district: Region | None, verified: date | None) -> str:
    where = say("bundle.where", district=district.name) if district else ""
    lines = [say("bundle.heading", name=bundle.name, where=where)]
    if bundle.summary:
        lines.append(bundle.summary)
    lines += render_parts(parts, district)
    lines += render_materials(materials)
    window = bundle.window_for(district.name if district else None)
    lines.append(say("bundle.window", window=window or say("bundle.missing")))
    if bundle.form:
        lines.append(say("bundle.form", form=bundle.form))
    if bundle.online_url:
        lines.append(say("bundle.online", url=bundle.online_url))
    lines.append(say("bundle.promised", limit=bundle.promised_limit or say("bundle.missing")))
    hint = say("bundle.hint")
    if district is None and bundle.window and "{region}" in bundle.window:
        hint += say("bundle.hint_district")
    lines.append(hint)
    demo = label("demonstration") if bundle.demonstration else ""
    lines.append(say("bundle.footer", code=bundle.code, verified=verified.isoformat() if verified else label("not_stated"),
                     demo=demo))
    return "\n".join(lines)
