"""Where the user is: a shared location sets the district, and a question for the nearest
window gets map links.

`action_share_location` runs for the intent `share_location`, which only a channel that
received a location from its platform sends (channels/location.py), with the location in
the message's metadata. The district comes from the label when it names one, else from
the coordinates (knowledge.locating). The reply confirms it ("已定位到渝北区。") and, when
an item is being discussed, answers it there, as "渝北区的呢" would; a quiet location (a
WeChat location report, or one the app sends with a question) only sets the district, and a
report says nothing even when it lies outside Chongqing.

`window_links` is the hook actions.turn calls after each guide turn: when the message asks
for a window ("最近的窗口在哪", "办事大厅在哪", "去哪里办" …) and the turn answered where the
item is handled for a known district, map links to its windows follow.
"""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.deps import Catalog
from actions.guide import CatalogAction
from answers.location import located, map_links, outside, unreadable
from knowledge.errors import ItemNotFoundError
from knowledge.geo import CoordinateError
from knowledge.locating import OUTSIDE, locate
from knowledge.regions import load_regions

Events = list[dict[str, Any]]
METADATA_KEY = "location"
REPORT_SOURCE = "wechat_report"  # channels/location.py: WeChat's LOCATION event

# The family of "where is the window": a place word or a nearness word with a where word,
# or "去/到/在哪(里)办".
_PLACE = r"窗口|大厅|政务服务中心|政务中心|服务中心|办事处|办理点|办事点|网点|营业厅"
_NEAR = r"最近|附近|就近|离我近|近点|近一点"
_WHERE = r"在哪|哪里|哪儿|哪点|哪个地方|怎么走|咋个走|咋走|怎么去|咋个去|啷个走|地址|位置|导航|路线"
WINDOW_QUESTION = re.compile(rf"(?:{_PLACE}|{_NEAR}).*?(?:{_WHERE})|(?:{_WHERE}).*?(?:{_PLACE}|{_NEAR})|"
                             rf"(?:{_NEAR}).*?(?:{_PLACE})|[去到在]哪(?:里|儿|点|个地方)?(?:可以|能)?(?:办|交|弄|搞)")


def asks_for_window(text: str) -> bool:
    return bool(WINDOW_QUESTION.search(text or ""))


def shared_location(tracker: Tracker) -> dict[str, Any] | None:
    value = ((tracker.latest_message or {}).get("metadata") or {}).get(METADATA_KEY)
    return value if isinstance(value, dict) else None


class ActionShareLocation(CatalogAction):
    def name(self) -> str:
        return "action_share_location"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Events:
        from actions.turn import changed_only

        return changed_only(tracker, share_location(dispatcher, self.catalog, tracker))


def share_location(dispatcher: CollectingDispatcher, catalog: Catalog, tracker: Tracker) -> Events:
    from actions.dialogue import interpreter as moves
    from actions.turn import carry_out, state_of

    shared = shared_location(tracker)
    quiet = bool(shared and shared.get("quiet"))
    # A background report says nothing at all; a location sent with a question still says
    # when it could not be used, since the question is then answered without it.
    report = bool(shared and shared.get("source") == REPORT_SOURCE)
    try:
        if shared is None:
            raise CoordinateError("no location in the message")
        found = locate(shared.get("latitude"), shared.get("longitude"), shared.get("label"),
                       str(shared.get("coordinate_system") or "gcj02"))
    except CoordinateError:
        if not report:
            dispatcher.utter_message(text=unreadable(), json_message={"type": "location", "status": "unreadable"})
        return []
    if found.region is None:
        if not report:
            dispatcher.utter_message(text=outside(), json_message={"type": "location", "status": OUTSIDE})
        return []
    district = found.region
    events: Events = [SlotSet("district", district.name)]
    if quiet:
        return events
    state = state_of(tracker, catalog)
    dispatcher.utter_message(text=located(district, state.has_topic), json_message={
        "type": "location", "status": "located", "district": district.name, "region_code": district.code,
        "from": found.how})
    if not state.has_topic:
        return events
    events += carry_out(dispatcher, catalog, tracker, state, moves.Move(moves.DISTRICT, district=district))
    return events + window_links(dispatcher, catalog, tracker, events, asked=True)


def window_links(dispatcher: CollectingDispatcher, catalog: Catalog, tracker: Tracker, events: Events,
                 asked: bool | None = None) -> Events:
    """Map links after a turn that answered where an item is handled for a known district,
    when the message asked for a window (`asked` overrides reading the message)."""
    if not (asked if asked is not None else asks_for_window((tracker.latest_message or {}).get("text") or "")):
        return []
    slots = {"item_code": tracker.get_slot("item_code"), "aspect": tracker.get_slot("aspect"),
             "district": tracker.get_slot("district")}
    for event in events:
        if event.get("event") == "slot" and event.get("name") in slots:
            slots[event["name"]] = event.get("value")
    if slots["aspect"] != "department" or not slots["item_code"] or not slots["district"]:
        return []
    district = load_regions().resolve(slots["district"])
    if district is None:
        return []
    try:
        item = catalog.item(slots["item_code"])
    except ItemNotFoundError:
        return []
    links = map_links(item, district)
    if links is not None:
        dispatcher.utter_message(text=links.text, json_message={"type": "map_links", **links.card})
    return []
