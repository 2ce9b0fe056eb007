"""What a bundle (一件事一次办) means for the applicant: its items in order and one material list.

The combined list is why bundles exist: a material several items need (the ID card, the
lease of the premises) is handed in once, and the list says which items need it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from knowledge.errors import ItemNotFoundError
from knowledge.normalize import compact
from knowledge.records import Bundle, BundleStep, Item

# Qualifiers that do not make a different document: "居民身份证（原件）", "营业执照副本复印件".
_QUALIFIERS = re.compile(r"[（(][^）)]*[）)]|原件|复印件|扫描件")


@dataclass(frozen=True)
class MergedMaterial:
    """One material of the combined list and the bundle items (1-based positions) that need it."""

    name: str
    required: bool
    positions: tuple[int, ...]
    item_codes: tuple[str, ...]
    waived: bool = False
    condition: str | None = None

    @property
    def shared(self) -> bool:
        return len(self.positions) > 1


@dataclass(frozen=True)
class BundlePart:
    """One step of a bundle with its item (None when the catalog no longer holds it)."""

    position: int
    step: BundleStep
    item: Item | None


def material_key(name: str) -> str:
    """The normalized name under which equal materials are merged."""
    return compact(_QUALIFIERS.sub("", name)) or compact(name)


def published_items(catalog, bundle: Bundle) -> dict[str, Item]:
    """The bundle's items that `catalog` (anything with `item(code)`) still holds, by code.

    An item missing since the bundle was published is left out: replies show it as missing
    and `catalog check` reports it.
    """
    items: dict[str, Item] = {}
    for code in bundle.item_codes():
        try:
            items[code] = catalog.item(code)
        except ItemNotFoundError:
            continue
    return items


def bundle_parts(bundle: Bundle, items: dict[str, Item]) -> list[BundlePart]:
    return [BundlePart(i, step, items.get(step.item_code)) for i, step in enumerate(bundle.steps, 1)]


def merge_materials(bundle: Bundle, items: dict[str, Item]) -> list[MergedMaterial]:
    """The combined material list: each material once, required ones first, in order of first mention.

    A material is required for the bundle when a compulsory item requires it; materials of
    optional items, or conditional in every item, are listed as conditional.
    """
    merged: dict[str, dict] = {}
    for part in bundle_parts(bundle, items):
        if part.item is None:
            continue
        for material in part.item.materials:
            key = material_key(material.name)
            entry = merged.setdefault(key, {"name": material.name, "required": False, "positions": [], "codes": [],
                                            "waived": True, "condition": None})
            if part.position not in entry["positions"]:
                entry["positions"].append(part.position)
                entry["codes"].append(part.item.code)
            required = material.required and not part.step.optional
            entry["required"] = entry["required"] or required
            entry["waived"] = entry["waived"] and material.waived
            if not required and entry["condition"] is None:
                entry["condition"] = material.condition or (part.step.condition if part.step.optional else None)
    result = [MergedMaterial(name=e["name"], required=e["required"], positions=tuple(e["positions"]),
                             item_codes=tuple(e["codes"]), waived=e["waived"],
                             condition=None if e["required"] else e["condition"]) for e in merged.values()]
    return [m for m in result if m.required] + [m for m in result if not m.required]


def newest_verified(bundle: Bundle, items: dict[str, Item]):
    """The bundle's own verification date, else the newest date of its items' implementations."""
    if bundle.verified:
        return bundle.verified
    dates = [impl.verified for code in bundle.item_codes() if code in items
             for impl in items[code].implementations if impl.verified]
    return max(dates) if dates else None
