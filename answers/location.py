"""Replies about where the user is: a shared location confirmed, and map links to the
nearest windows of an item.

"Nearest" is the user's district: the catalog holds each district's windows by address,
not by coordinates, so the windows of the district the user is in are the nearest ones.
The map link is built here from the address (高德's public URI scheme; no web call): it
opens the map app, or the web map, on a search for that address.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from answers.guide import choose
from answers.templates import label, say
from knowledge.records import Item
from knowledge.regions import Region

MAP_SEARCH_URL = "https://uri.amap.com/search"
MAP_SOURCE = "yuban"
MAX_WINDOWS = 3
NOTES = re.compile(r"[\uff08(][^\uff09)]*[\uff09)]|[\uff1b;].*$")  # "（户籍业务亦可到…）": a remark, not part of the address


@dataclass(frozen=True)
class MapLinks:
    text: str
    card: dict[str, Any]


def located(district: Region, has_topic: bool) -> str:
    """"已定位到渝北区。" — followed by the answer when an item is being discussed, else by a question."""
    return say("location.located", district=district.name) if has_topic else say(
        "location.located_ask_item", district=district.name)


def outside() -> str:
    return say("location.outside")


def unreadable() -> str:
    return say("location.unreadable")


def map_url(address: str, district: Region | None) -> str:
    """A map search for the address, qualified by city and district when it does not name them."""
    city = label("city_name")
    keyword = NOTES.sub("", address).strip() or address
    if district is not None and district.name not in address and not address.startswith(city):
        keyword = district.name + keyword
    if not keyword.startswith(city):
        keyword = city + keyword
    return f"{MAP_SEARCH_URL}?{urlencode({'keyword': keyword, 'src': MAP_SOURCE, 'callnative': '0'})}"


def map_links(item: Item, district: Region) -> MapLinks | None:
    """Map links for the windows the department answer shows for the district (its own, or the
    city's when it has none); None when those windows have no address."""
    choice = choose(item, district)
    windows = [w for w in (choice.impl.windows if choice.impl else ()) if w.address][:MAX_WINDOWS]
    if not windows:
        return None
    own = district if choice.district else None
    lines = [say("location.map_heading", item=item.name, place=choice.place or district.name)]
    shown = []
    for number, window in enumerate(windows, 1):
        url = map_url(window.address, own)
        name = say("department.window_name", name=window.name) if window.name else ""
        lines.append(say("location.map_line", number=number, address=window.address, name=name, url=url))
        shown.append({"name": window.name, "address": window.address, "map_url": url})
    card = {"item_code": item.code, "item_name": item.name, "district": district.name, "region": choice.place,
            "windows": shown}
    return MapLinks("\n".join(lines), card)
