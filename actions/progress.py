"""Application progress (docs/conversation.md, docs/progress-api.yaml): who is asking, the answer, leaving, and picking from a list.

The form (actions/progress_form.py) collects the number and the phone digits from any
message and does the lookup itself, so a wrong factor can be retried inside the form.
This module holds what the form and the other actions share: the verified identity
(only a claim signed for this channel and sender, see core/verified_identity.py), the routing
of a progress request, and the terminal answers after the form.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.deps import default_lock, default_progress
from actions.guide import CatalogAction
from actions.guide_flow import answer_if_item_named, named_item
from actions.progress_cards import progress_card, progress_list
from actions.progress_client import (NotFoundOrUnverified, PlatformUnavailable, ProgressError, RateLimited,
                                     end_user_id)
from actions.progress_extract import extract
from actions.progress_render import render_application, render_list
from actions.reminders import offer_reminder
from core.verified_identity import IdentityKeyError, load_key, verify
from progress_api.records import Application

logger = logging.getLogger(__name__)

TRUSTED_CHANNELS = {"app", "wechat"}  # channels that authenticate their users before Rasa sees them
NOT_FOUND = "没有查到与该编号和验证信息匹配的办件。请核对办件编号和手机号后四位后再试。"
LOCKED = "验证失败次数过多，为保护办件信息，查询已暂停 1 小时。如需帮助请拨打 12345。"
UNAVAILABLE = "办件进度系统暂时无法访问，请稍后再试（约 1 分钟后），或拨打 12345 查询。"
NO_NUMBER = ("没有办件编号也能查到进度：\n"
             "1. 渝快办 APP 或小程序登录后，在“我的办件”里能看到全部办件和进度；\n"
             "2. 受理时发给申请手机号的短信里有办件编号；\n"
             "3. 带身份证到受理窗口，工作人员可以帮您查；\n"
             "4. 拨打 12345 政务服务便民热线。\n"
             "找到编号后随时发给我，连同手机号后四位一起发也可以。")
SLOTS = ("application_number", "verification_factor", "progress_outcome")
# Outcomes after which the form ends (the others are hints for the next question).
TERMINAL = frozenset({"answered", "locked", "no_number", "guide", "unavailable", "rate_limited"})


@lru_cache(maxsize=1)
def default_identity_key() -> bytes | None:
    """The key shared with the channels; without it no claim is believed (logged once)."""
    try:
        return load_key()
    except (IdentityKeyError, OSError) as error:
        logger.error("progress: no identity key (%s); verified identities are ignored", type(error).__name__)
        return None


def verified_identity(tracker: Tracker, key: bytes | None) -> tuple[str, str] | None:
    """(channel, subject) when a trusted channel signed the claim for this very sender."""
    channel = tracker.get_latest_input_channel()
    if key is None or channel not in TRUSTED_CHANNELS:
        return None
    subject = verify(key, (tracker.latest_message or {}).get("metadata"), channel, tracker.sender_id)
    return (channel, subject) if subject else None


def route(tracker: Tracker, catalog, lock, key: bytes | None) -> str:
    """What a progress request becomes: identity list, locked, a guide answer, or the form."""
    text = context.latest_text(tracker)
    if verified_identity(tracker, key):
        return "identity"
    if lock.is_locked(tracker.sender_id):
        return "locked"
    if tracker.active_loop_name != "progress_form" and not tracker.get_slot("application_number") \
            and not context.asks_progress(text) and extract(text).number is None \
            and named_item(catalog, text) is not None:
        return "guide"  # e.g. "护照办好了没" names an item: its guide, not somebody's application
    return "ask"


def progress_message(dispatcher: CollectingDispatcher, application: Application) -> None:
    dispatcher.utter_message(text=render_application(application),
                             json_message={"type": "progress", "item_code": application.item_code,
                                           "stage": application.stage, "overdue": application.overdue,
                                           "card": progress_card(application)})


def failure_text(error: ProgressError) -> str:
    if isinstance(error, RateLimited):
        wait = f"约 {error.retry_after} 秒后" if error.retry_after else "稍后"
        return f"查询太频繁了，请{wait}再试。"
    return UNAVAILABLE


def forget() -> list[dict[str, Any]]:
    return [SlotSet(name, None) for name in SLOTS]


class ActionProgressAnswer(CatalogAction):
    """After the form: the verified user's list, or what the form's outcome still needs said."""

    def __init__(self, catalog=None, client=None, lock=None, identity_key: bytes | None = None):
        super().__init__(catalog)
        self._client, self._lock, self._key = client, lock, identity_key

    def name(self) -> str:
        return "action_progress_answer"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        outcome = tracker.get_slot("progress_outcome")
        if outcome == "answered" or outcome in ("unavailable", "rate_limited"):
            return forget()  # the form has already said it
        if outcome == "locked":
            dispatcher.utter_message(text=LOCKED)
            return forget()
        if outcome == "no_number":
            dispatcher.utter_message(text=NO_NUMBER)
            return forget()
        lock = self._lock or default_lock()
        key = self._key if self._key is not None else default_identity_key()
        way = "guide" if outcome == "guide" else route(tracker, self.catalog, lock, key)
        if way == "guide":
            events = answer_if_item_named(dispatcher, self.catalog, context.latest_text(tracker),
                                          context.district_from(tracker, None))
            return (events or []) + forget()
        if way == "locked":
            dispatcher.utter_message(text=LOCKED)
            return forget()
        if way != "identity":
            return forget()  # the form was left without both answers
        channel, subject = verified_identity(tracker, key)
        try:
            apps = await (self._client or default_progress()).applications_of(channel, subject, end_user_id(tracker.sender_id))
        except ProgressError as error:
            dispatcher.utter_message(text=failure_text(error))
            return forget()
        dispatcher.utter_message(text=render_list(apps) + ("\n回复序号（如“第2个”）或事项名称可查看详情。" if apps else ""),
                                 json_message={"type": "progress_list", "applications": progress_list(apps)})
        return forget() + [SlotSet("progress_listed", True if apps else None)]


class ActionProgressPick(CatalogAction):
    """"第2个" or an item's name after a verified user's list: that application's progress card.

    The list is fetched again for the same signed identity rather than kept in the
    tracker, so no number is stored and the card is current. When the guide offered
    numbered choices after the list, the pick is the guide's (action_choose_option).
    """

    def __init__(self, catalog=None, client=None, identity_key: bytes | None = None):
        super().__init__(catalog)
        self._client, self._key = client, identity_key

    def name(self) -> str:
        return "action_progress_pick"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if _set_later(tracker, "choices", "progress_listed"):
            from actions.choices import ActionChooseOption

            return await ActionChooseOption(self._catalog).run(dispatcher, tracker, domain)
        key = self._key if self._key is not None else default_identity_key()
        identity = verified_identity(tracker, key)
        if identity is None:
            dispatcher.utter_message(text="查看办件详情需要在渝快办 APP 里登录后再问一次“我的办件”。")
            return [SlotSet("progress_listed", None)]
        try:
            apps = (await (self._client or default_progress()).applications_of(
                *identity, end_user_id(tracker.sender_id)))[:10]
        except ProgressError as error:
            dispatcher.utter_message(text=failure_text(error))
            return []
        pick = _pick(context.latest_text(tracker), tracker, apps)
        if pick is None:
            dispatcher.utter_message(text=f"请回复 1 到 {len(apps)} 之间的序号，或者办件的事项名称。" if apps
                                     else "您的账号下暂时没有查到办件。")
            return []
        progress_message(dispatcher, apps[pick])
        await offer_reminder(dispatcher, tracker, apps[pick])
        return []


def _pick(text: str, tracker: Tracker, apps: list[Application]) -> int | None:
    if not apps:
        return None
    pick = context.parse_ordinal(text, len(apps))
    if pick is None:
        for entity in (tracker.latest_message or {}).get("entities") or []:
            if entity.get("entity") == "ordinal":
                pick = context.parse_ordinal(str(entity.get("value")), len(apps))
    if pick is not None:
        return pick - 1
    named = [i for i, app in enumerate(apps) if app.item_name and (app.item_name in text or text.strip() in app.item_name)]
    return named[0] if len(named) == 1 or (named and len({apps[i].item_name for i in named}) == 1) else None


def _set_later(tracker: Tracker, first: str, second: str) -> bool:
    """True when slot `first` was last set after slot `second`."""
    positions = {first: -1, second: -1}
    for index, event in enumerate(tracker.events):
        if event.get("event") == "slot" and event.get("name") in positions and event.get("value"):
            positions[event["name"]] = index
    return positions[first] > positions[second]


class ActionProgressStopped(CatalogAction):
    def name(self) -> str:
        return "action_progress_stopped"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        # "我不记得编号了" can read as giving up; it asks for the ways to find the number
        text = NO_NUMBER if extract(context.latest_text(tracker)).no_number else \
            "好的，已退出办件查询。还有其他问题可以继续问我。"
        dispatcher.utter_message(text=text)
        return forget() + [SlotSet("requested_slot", None)]


__all__ = ["ActionProgressAnswer", "ActionProgressPick", "ActionProgressStopped", "LOCKED", "NOT_FOUND", "NO_NUMBER",
           "UNAVAILABLE", "NotFoundOrUnverified", "PlatformUnavailable", "route", "verified_identity"]
