"""Application progress (docs/conversation.md, docs/progress-api.yaml): the form, its validation and the answer.

The form asks for the application number and the verification factor; an identity
verified by a trusted channel is not asked. Wrong verification answers exactly like an
unknown number, five failures within an hour lock the sender and the number, and the
factor leaves the tracker as soon as it has been used.
"""
from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions import context
from actions.cards import progress_card, progress_list
from actions.deps import default_lock, default_progress
from actions.guide import CatalogAction
from actions.guide_flow import answer_if_item_named, named_item
from actions.progress_client import (
    NotFoundOrUnverified, PlatformUnavailable, ProgressError, RateLimited,
)
from actions.progress_render import render_application, render_list
from progress_service import numbers

TRUSTED_CHANNELS = {"app", "wechat"}  # channels that authenticate their users before Rasa sees them
NOT_FOUND = "没有查到与该编号和验证信息匹配的办件。请核对办件编号和手机号后四位后再试。"
LOCKED = "验证失败次数过多，为保护办件信息，查询已暂停 1 小时。如需帮助请拨打 12345。"
UNAVAILABLE = "办件进度系统暂时无法访问，请稍后再试（约 1 分钟后），或拨打 12345 查询。"


def verified_identity(tracker: Tracker) -> tuple[str, str] | None:
    """(channel, subject) when a trusted channel vouched for the user on this message."""
    channel = tracker.get_latest_input_channel()
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    identity = metadata.get("verified_identity") or {}
    if channel in TRUSTED_CHANNELS and identity.get("subject"):
        return identity.get("channel") or channel, str(identity["subject"])
    return None


def route(tracker: Tracker, catalog, lock) -> str:
    """What a progress request becomes: identity list, locked, a guide answer, or the form."""
    text = context.latest_text(tracker)
    if verified_identity(tracker):
        return "identity"
    if lock.is_locked(tracker.sender_id):
        return "locked"
    if tracker.get_slot("requested_slot") is None and not tracker.get_slot("application_number") \
            and not context.asks_progress(text):
        if named_item(catalog, text) is not None:
            return "guide"
    return "ask"


class ValidateProgressForm(FormValidationAction, CatalogAction):
    def __init__(self, catalog=None, lock=None):
        CatalogAction.__init__(self, catalog)
        self._lock = lock

    def name(self) -> str:
        return "validate_progress_form"

    @property
    def lock(self):
        return self._lock or default_lock()

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: dict) -> list[str]:
        return domain_slots if route(tracker, self.catalog, self.lock) == "ask" else []

    def validate_application_number(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                    domain: dict) -> dict[str, Any]:
        number = numbers.parse(str(value or ""))
        if number is None:
            dispatcher.utter_message(text="办件编号格式不对：应为 CQ 开头的 17 位编号（如 CQ202605140001233），"
                                          "请核对后重新输入，回复“算了”可退出查询。")
            return {"application_number": None}
        if self.lock.is_locked(tracker.sender_id, number):
            dispatcher.utter_message(text=LOCKED)
            return {"application_number": None, "verification_factor": None, "requested_slot": None}
        return {"application_number": number}

    def validate_verification_factor(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                     domain: dict) -> dict[str, Any]:
        factor = str(value or "").strip()
        if not numbers.is_verification_factor(factor):
            dispatcher.utter_message(text="请输入申请时预留手机号的后四位数字。")
            return {"verification_factor": None}
        return {"verification_factor": factor}


class ActionProgressAnswer(CatalogAction):
    """Submit of the form: look the application up and answer, then forget the factor."""

    def __init__(self, catalog=None, client=None, lock=None):
        super().__init__(catalog)
        self._client, self._lock = client, lock

    def name(self) -> str:
        return "action_progress_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        client = self._client or default_progress()
        lock = self._lock or default_lock()
        forget = [SlotSet("application_number", None), SlotSet("verification_factor", None)]
        way = route(tracker, self.catalog, lock)
        if way == "guide":
            events = answer_if_item_named(dispatcher, self.catalog, context.latest_text(tracker),
                                          context.district_from(tracker, None))
            return (events or []) + forget
        if way == "locked":
            dispatcher.utter_message(text=LOCKED)
            return forget
        try:
            if way == "identity":
                channel, subject = verified_identity(tracker)
                apps = await client.applications_of(channel, subject)
                dispatcher.utter_message(text=render_list(apps), json_message={
                    "type": "progress_list", "applications": progress_list(apps)})
                return forget
            number, factor = tracker.get_slot("application_number"), tracker.get_slot("verification_factor")
            if not number or not factor:
                return forget  # the form was left without both answers (e.g. locked number)
            if lock.is_locked(tracker.sender_id, number):
                dispatcher.utter_message(text=LOCKED)
                return forget
            application = await client.lookup(number, factor)
        except NotFoundOrUnverified:
            lock.record_failure(tracker.sender_id, tracker.get_slot("application_number"))
            locked = lock.is_locked(tracker.sender_id, tracker.get_slot("application_number"))
            dispatcher.utter_message(text=LOCKED if locked else NOT_FOUND)
            return forget
        except RateLimited as error:
            wait = f"约 {error.retry_after} 秒后" if error.retry_after else "稍后"
            dispatcher.utter_message(text=f"查询太频繁了，请{wait}再试。")
            return forget
        except (PlatformUnavailable, ProgressError):
            dispatcher.utter_message(text=UNAVAILABLE)
            return forget
        dispatcher.utter_message(text=render_application(application),
                                 json_message={"type": "progress", "item_code": application.item_code,
                                               "stage": application.stage, "overdue": application.overdue,
                                               "card": progress_card(application)})
        return forget


class ActionProgressStopped(CatalogAction):
    def name(self) -> str:
        return "action_progress_stopped"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text="好的，已退出办件查询。还有其他问题可以继续问我。")
        return [SlotSet("application_number", None), SlotSet("verification_factor", None),
                SlotSet("requested_slot", None)]
