"""An item's complete guide for one district, as data and as a text an agent reads aloud.

The text is the assistant's own (answers.full_guide), so the hotline says exactly what
the WeChat and app assistant would say; this module adds the data view and a cache.
"""
from __future__ import annotations

import dataclasses
import threading

from answers.full_guide import full_guide_text
from knowledge.records import Item, to_plain
from knowledge.regions import Region, load_regions


def guide_data(item: Item, district: Region | None) -> dict:
    """The item with the implementation that applies to the district (or the city level)."""
    regions = load_regions().by_code
    impl = item.implementation_for(district.code if district else None)
    data = to_plain(dataclasses.replace(item, implementations=()))  # the other regions are not converted
    data["regions"] = [{"code": code, "name": regions[code].name if code in regions else code}
                       for code in item.regions()]
    data["implementation"] = to_plain(impl) if impl else None
    if impl is not None:
        region = regions.get(impl.region_code)
        data["implementation"]["region_name"] = region.name if region else impl.region_code
    data["district"] = district.name if district else None
    return data


class GuideCache:
    """Rendered guides by (item, district): rendering is most of a search request's work.

    An entry is valid while the catalog service hands out the same Item object (it makes
    new ones when the catalog version moves), so a publish never serves an old guide.
    """

    def __init__(self, size: int = 4096):
        self._size = size
        self._entries: dict[tuple[str, str | None], tuple[Item, dict, str]] = {}
        self._lock = threading.Lock()

    def get(self, item: Item, district: Region | None) -> tuple[dict, str]:
        key = (item.code, district.code if district else None)
        entry = self._entries.get(key)
        if entry is not None and entry[0] is item:
            return entry[1], entry[2]
        guide, text = guide_data(item, district), full_guide_text(item, district)
        with self._lock:
            if len(self._entries) >= self._size:
                self._entries.clear()
            self._entries[key] = (item, guide, text)
        return guide, text


def bundle_answer(catalog, code: str, district: Region | None) -> dict | None:
    """A life-event bundle (一件事一次办) as the assistant answers it: its items and the text."""
    from answers.bundle_rendering import render_bundle
    from knowledge.bundles import bundle_parts, merge_materials, newest_verified, published_items
    from knowledge.errors import KnowledgeError

    try:
        bundle = catalog.bundle(code)
    except KnowledgeError:
        return None
    items = published_items(catalog, bundle)
    text = render_bundle(bundle, bundle_parts(bundle, items), merge_materials(bundle, items), district,
                         newest_verified(bundle, items))
    return {"code": bundle.code, "name": bundle.name, "answer_text": text,
            "items": [{"code": c, "name": items[c].name} for c in bundle.item_codes() if c in items]}
