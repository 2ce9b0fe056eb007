"""Handing over to people: the 12345 hotline, complaints, and progress queries."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.guide import CatalogAction
from knowledge.errors import ItemNotFoundError


class ActionHandoff(CatalogAction):
    def name(self) -> str:
        return "action_handoff"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(
            text="好的，正在为您转接人工服务，请稍候。您也可以直接拨打 12345 政务服务便民热线（24小时）。",
            json_message={"type": "handoff", "reason": "user_request"})
        return []


class ActionComplaint(CatalogAction):
    """Complaints and suggestions go to 12345 and, for an item, its supervision phone."""

    def name(self) -> str:
        return "action_complaint"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        text = ("您反映的情况我们已收到。投诉、举报和建议请拨打 12345 政务服务便民热线，"
                "或在“渝快办”APP的“投诉建议”中提交，会有专人受理并答复。")
        supervision = self._supervision_phone(tracker)
        if supervision:
            text += f"\n如与「{tracker.get_slot('item_name')}」的办理有关，也可拨打监督投诉电话 {supervision}。"
        dispatcher.utter_message(text=text, json_message={"type": "handoff", "reason": "complaint"})
        return [SlotSet("failed_turns", 0.0)]

    def _supervision_phone(self, tracker: Tracker) -> str | None:
        """The item's supervision phone, when the complaint is about the item being discussed."""
        code = tracker.get_slot("item_code")
        if not code:
            return None
        best = self.catalog.search((tracker.latest_message or {}).get("text") or "").best
        if best is None or best.code != code:
            return None
        try:
            item = self.catalog.item(code)
        except ItemNotFoundError:
            return None
        from knowledge.regions import load_regions

        district = load_regions().resolve(tracker.get_slot("district") or "")
        impl = item.implementation_for(district.code if district else None)
        return impl.supervision_phone if impl else None
