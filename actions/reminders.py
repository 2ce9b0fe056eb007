"""Progress reminders in the conversation (issue #14): the offer after a verified answer,
"提醒我", "取消提醒" and "我的提醒".

After a verified progress answer on a channel the notifier can reach (WeChat, the app)
the application is remembered as this conversation's offer (sealed, reminders/store.py)
and the reply offers a reminder; "提醒我" within the hour subscribes to exactly that
application, so no number is asked for or kept in the tracker. The wording is in
answers/templates.yml (answers/reminders.py); the notifier (`python -m reminders`) sends.
"""
from __future__ import annotations

import asyncio
import logging
from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.exc import SQLAlchemyError

from actions.deps import default_reminders
from answers import reminders as wording
from core.sealing import SealError
from progress_api.records import Application

logger = logging.getLogger(__name__)

CHANNELS = frozenset({"wechat", "app"})  # where the notifier can send


def reachable(tracker: Tracker) -> str | None:
    channel = tracker.get_latest_input_channel()
    return channel if channel in CHANNELS else None


async def offer_reminder(dispatcher: CollectingDispatcher, tracker: Tracker, application: Application,
                         store=None) -> None:
    """After a verified answer: remember the application and offer the reminder."""
    channel = reachable(tracker)
    if channel is None:
        return
    try:
        await asyncio.to_thread((store or default_reminders()).offer, tracker.sender_id, channel,
                                application.number, application.item_name)
    except (SQLAlchemyError, SealError, OSError) as error:  # the answer stands; only the offer is lost
        logger.error("reminders: could not record the offer (%s)", type(error).__name__)
        return
    dispatcher.utter_message(text=wording.offer())


class _ReminderAction(Action, metaclass=ABCMeta):
    """Base of the reminder actions (abstract, so rasa_sdk does not register it)."""

    def __init__(self, store=None):
        self._store = store

    @property
    def store(self):
        return self._store or default_reminders()

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        try:
            dispatcher.utter_message(text=await self.answer(tracker))
        except (SQLAlchemyError, SealError, OSError) as error:
            logger.error("reminders: %s failed (%s)", self.name(), type(error).__name__)
            dispatcher.utter_message(response="utter_reminder_unavailable")
        return []

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    async def answer(self, tracker: Tracker) -> str: ...


class ActionReminderSubscribe(_ReminderAction):
    def name(self) -> str:
        return "action_reminder_subscribe"

    async def answer(self, tracker: Tracker) -> str:
        if reachable(tracker) is None:
            return wording.channel_unsupported()
        done = await asyncio.to_thread(self.store.subscribe, tracker.sender_id)
        if done is None:
            return wording.nothing_to_subscribe()
        return wording.subscribed(done.item_name, done.number_masked, done.channel, done.already)


class ActionReminderCancel(_ReminderAction):
    def name(self) -> str:
        return "action_reminder_cancel"

    async def answer(self, tracker: Tracker) -> str:
        return wording.cancelled(await asyncio.to_thread(self.store.cancel, tracker.sender_id))


class ActionReminderList(_ReminderAction):
    def name(self) -> str:
        return "action_reminder_list"

    async def answer(self, tracker: Tracker) -> str:
        return wording.listing(await asyncio.to_thread(self.store.listing, tracker.sender_id))


__all__ = ["ActionReminderCancel", "ActionReminderList", "ActionReminderSubscribe", "offer_reminder"]
