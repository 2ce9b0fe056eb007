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
from actions.dialogue.choosing import names_a_service
from actions.dialogue.interpreter import asks_about_complaining, aspects_in, clauses_of
from actions.dialogue.words import INFORMATION_WISH, PROGRESS_CUES, PROGRESS_STATUS
from actions.guide import CatalogAction
from actions.guide_flow import named_item
from actions.progress_cards import progress_card, progress_list
from actions.progress_client import (NotFoundOrUnverified, PlatformUnavailable, ProgressError, RateLimited,
                                     end_user_id)
from actions.progress_extract import extract
from actions.progress_render import render_application, render_list
from answers.templates import say
from actions.reminders import offer_reminder
from actions.turn import handle  # the guide's turn: answer first, a menu on a tie, or not found
from core.verified_identity import IdentityKeyError, load_key, verify
from knowledge.normalize import compact
from progress_api.records import Application

logger = logging.getLogger(__name__)

TRUSTED_CHANNELS = {"app", "wechat"}  # channels that authenticate their users before Rasa sees them
# The fixed replies under their former constant names (answers/templates.yml holds the text;
# read on first use, see __getattr__).
TEXTS = {"NOT_FOUND": "progress.not_found", "LOCKED": "progress.locked", "UNAVAILABLE": "progress.unavailable",
         "NO_NUMBER": "progress.no_number"}
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
    question = context.without_pasted_numbers(text)  # without the numbers and any "先不管进度"
    if verified_identity(tracker, key):
        return "identity"
    found = extract(text)
    if not tracker.get_slot("requested_slot") and found.number is None and asks_about_complaining(question):
        return "guide"  # "举报了在哪看进度": the complaint items tell where, a complaint has no application number
    if lock.is_locked(tracker.sender_id):
        return "locked"
    if tracker.get_slot("requested_slot") or tracker.get_slot("application_number") \
            or context.asks_progress(question) or any(cue in question for cue in PROGRESS_CUES):
        return "ask"
    if found.number is None and not found.malformed_number \
            and (names_a_service_in(catalog, question) or asks_how_to(question)):
        return "guide"  # "身份证号500… 想查下养老保险交了好多年": a guide question, not an application
    if asks_how_to(question) and named_item(catalog, question) is not None:
        return "guide"  # "编号CQ… 先不管 营业执照丢了补领要哪些材料": a number beside a how-to question
    if found.number is None and not found.malformed_number and any(
            INFORMATION_WISH.search(c) and names_a_service_in(catalog, c) for c in clauses_of(question)):
        return "guide"  # "被多收了钱 想查下账户的扣费记录": a record of a service wished for, not an application
    return "ask"


def asks_how_to(text: str) -> bool:
    """A how-to question that asks after no application's state ("手机号码变了 上面的联系方式咋个改"): the
    guide answers it (an item, a menu or not found) even when it names no service clearly."""
    asked = [a for a in aspects_in(text) if a != "overview"]
    return bool(asked) and not PROGRESS_STATUS.search(compact(text))


def names_a_service_in(catalog, text: str) -> bool:
    """The message names an item clearly, or names a service well enough to be answered or offered."""
    return named_item(catalog, text) is not None or names_a_service(catalog.search(text), text)


def progress_message(dispatcher: CollectingDispatcher, application: Application) -> None:
    dispatcher.utter_message(text=render_application(application),
                             json_message={"type": "progress", "item_code": application.item_code,
                                           "stage": application.stage, "overdue": application.overdue,
                                           "card": progress_card(application)})


def failure_text(error: ProgressError) -> str:
    if isinstance(error, RateLimited):
        wait = say("progress.wait_seconds", seconds=error.retry_after) if error.retry_after else say("progress.wait_unknown")
        return say("progress.rate_limited", wait=wait)
    return say("progress.unavailable")


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
            dispatcher.utter_message(text=say("progress.locked"))
            return forget()
        if outcome == "no_number":
            dispatcher.utter_message(text=say("progress.no_number"))
            return forget()
        lock = self._lock or default_lock()
        key = self._key if self._key is not None else default_identity_key()
        way = "guide" if outcome == "guide" else route(tracker, self.catalog, lock, key)
        if way == "guide":
            return handle(dispatcher, self.catalog, tracker) + forget()
        if way == "locked":
            dispatcher.utter_message(text=say("progress.locked"))
            return forget()
        if way != "identity":
            return forget()  # the form was left without both answers
        channel, subject = verified_identity(tracker, key)
        try:
            apps = await (self._client or default_progress()).applications_of(channel, subject, end_user_id(tracker.sender_id))
        except ProgressError as error:
            dispatcher.utter_message(text=failure_text(error))
            return forget()
        dispatcher.utter_message(text=render_list(apps) + ("\n" + say("progress.list_hint") if apps else ""),
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
            dispatcher.utter_message(text=say("progress.login_needed"))
            return [SlotSet("progress_listed", None)]
        try:
            apps = (await (self._client or default_progress()).applications_of(
                *identity, end_user_id(tracker.sender_id)))[:10]
        except ProgressError as error:
            dispatcher.utter_message(text=failure_text(error))
            return []
        pick = _pick(context.latest_text(tracker), tracker, apps)
        if pick is None:
            dispatcher.utter_message(text=say("progress.pick_range", count=len(apps)) if apps
                                     else say("progress.none_listed"))
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
        text = say("progress.no_number" if extract(context.latest_text(tracker)).no_number else "progress.stopped")
        dispatcher.utter_message(text=text)
        return forget() + [SlotSet("requested_slot", None)]


def __getattr__(name: str) -> str:
    """LOCKED, NOT_FOUND, … : the fixed replies, read from the templates on first use."""
    if name in TEXTS:
        return say(TEXTS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ActionProgressAnswer", "ActionProgressPick", "ActionProgressStopped", "NotFoundOrUnverified", "PlatformUnavailable", "route", "verified_identity"]
