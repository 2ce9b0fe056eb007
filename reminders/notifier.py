"""The notifier's loop: follow the change feed, then send what is due.

Each round (every YUBAN_REMINDER_POLL_SECONDS, at once again while the feed says more
is waiting): read the feed from the stored cursor, turn each change into deliveries
(idempotent: reminders/store.py), move the cursor (compare-and-set), then claim and
send the due deliveries. Several notifiers may run the same loop against one database.

- app: the signed callback (reminders/app_callback.py);
- WeChat: one consent is used per subscribe message; with none left, or when WeChat
  says the user has none (43101), the notice is *held* and the WeChat channel starts the
  user's next reply with it (channels/wechat/reminder_news.py).
A send that did not reach the user is retried after YUBAN_REMINDER_BACKOFF_SECONDS ×
2^attempts (with jitter, at most 15 minutes); after YUBAN_REMINDER_MAX_ATTEMPTS a WeChat
notice is held, an app one fails. Logs carry delivery ids and outcomes only.
"""
from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from datetime import timedelta, timezone
from typing import Any

from prometheus_client import Counter, Gauge, Histogram

from answers import reminders as wording
from progress_api.changes import CHINA, StageChange
from reminders.app_callback import AppCallbackSender
from reminders.feed import FeedClient, FeedUnavailable
from reminders.outcome import Outcome
from reminders.settings import NotifierSettings
from reminders.store import Claimed, ReminderStore
from reminders.wechat import SubscribeMessageSender

logger = logging.getLogger(__name__)

DELIVERIES = Counter("yuban_reminder_deliveries_total", "Reminder deliveries by channel and outcome",
                     ["channel", "outcome"])
CHANGES = Counter("yuban_reminder_changes_total", "Stage changes read from the progress feed")
FEED_ERRORS = Counter("yuban_reminder_feed_errors_total", "Failed reads of the progress feed", ["reason"])
LATENCY = Histogram("yuban_reminder_latency_seconds", "From the stage change to the channel accepting the message",
                    buckets=(0.5, 1, 2, 5, 10, 30, 60, 300, 3600))
LAST_ROUND = Gauge("yuban_reminder_last_round_timestamp_seconds", "When the notifier last finished a round")
MAX_BACKOFF = timedelta(minutes=15)


class Notifier:
    def __init__(self, store: ReminderStore, settings: NotifierSettings, worker: str | None = None):
        self.store, self.settings = store, settings
        self.worker = worker or f"{socket.gethostname()[:30]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.feed = FeedClient(settings.progress_url, settings.progress_token)
        self.wechat = SubscribeMessageSender(settings.wechat_appid or "", settings.wechat_secret or "",
                                             settings.wechat_template_id or "", settings.wechat_api_base_url,
                                             settings.wechat_page) if settings.wechat_template_id else None
        self.app = AppCallbackSender(settings.app_callback_url, settings.app_hmac_secret or "") \
            if settings.app_callback_url else None
        self.rounds = 0

    async def close(self) -> None:
        for client in (self.feed, self.wechat, self.app):
            if client is not None:
                await client.close()

    async def run(self, stop: asyncio.Event) -> None:
        logger.info("reminders: notifier %s started (channels: %s)", self.worker,
                    ", ".join(self.settings.channels) or "none")
        while not stop.is_set():
            more = False
            try:
                more = await self.round()
            except Exception as error:  # noqa: BLE001 - a bad round must not end the notifier
                logger.error("reminders: round failed (%s)", type(error).__name__)
            if not more:
                try:
                    await asyncio.wait_for(stop.wait(), self.settings.poll_seconds)
                except asyncio.TimeoutError:
                    pass

    async def round(self) -> bool:
        """One pass: the feed, then the due deliveries. True when the feed has more waiting."""
        more = await self.follow_feed()
        await asyncio.to_thread(self.store.recover_expired)
        await self.deliver_due()
        self.rounds += 1
        LAST_ROUND.set_to_current_time()
        return more

    async def follow_feed(self) -> bool:
        cursor = await asyncio.to_thread(self.store.cursor)
        try:
            page = await self.feed.page(cursor)
        except FeedUnavailable as error:
            FEED_ERRORS.labels(error.reason).inc()
            logger.warning("reminders: progress feed unavailable (%s)", error.reason)
            return False
        for change in page.changes:
            CHANGES.inc()
            await asyncio.to_thread(self.store.enqueue, change, _notice(change))
        if page.next_cursor != cursor:
            await asyncio.to_thread(self.store.move_cursor, cursor, page.next_cursor)
        return page.has_more

    async def deliver_due(self) -> None:
        # WeChat notices are always handled (sent, or held for the next reply); app ones only
        # by a notifier that has the callback URL — the others leave them pending.
        channels = ("wechat", "app") if self.app is not None else ("wechat",)
        for delivery_id in await asyncio.to_thread(self.store.due, channels):
            claimed = await asyncio.to_thread(self.store.claim, delivery_id, self.worker,
                                              timedelta(seconds=self.settings.lease_seconds))
            if claimed is not None:
                await self.deliver(claimed)

    async def deliver(self, claimed: Claimed) -> None:
        if claimed.channel == "wechat":
            outcome, via = await self._wechat(claimed), "wechat"
        elif claimed.channel == "app" and self.app is not None:
            outcome, via = await self.app.send(_app_body(claimed), claimed.id), "app"
        else:  # pragma: no cover - due() hands out only the channels this notifier can send to
            outcome, via = Outcome.RETRY, None
        if outcome is Outcome.GONE:
            await asyncio.to_thread(self.store.finish, claimed, "cancelled")
            await asyncio.to_thread(self.store.cancel_user, claimed.user_hash)
            self._count(claimed, "gone")
            return
        if outcome is Outcome.NO_CONSENT:
            await asyncio.to_thread(self.store.finish, claimed, "held")
            self._count(claimed, "held")
        elif outcome is Outcome.SENT:
            await asyncio.to_thread(self.store.finish, claimed, "sent", via)
            LATENCY.observe(max(0.0, (self.store.now() - claimed.changed_at).total_seconds()))
            self._count(claimed, "sent")
        elif outcome is Outcome.RETRY and claimed.attempts + 1 < self.settings.max_attempts:
            await asyncio.to_thread(self.store.retry, claimed, self._backoff(claimed.attempts))
            self._count(claimed, "retry")
            return
        elif outcome is Outcome.RETRY and claimed.channel == "wechat":
            await asyncio.to_thread(self.store.finish, claimed, "held")  # gave up sending; the news is kept
            self._count(claimed, "held")
        else:
            status = "unknown" if outcome is Outcome.UNKNOWN else "failed"
            await asyncio.to_thread(self.store.finish, claimed, status)
            self._count(claimed, status)
        if claimed.completed:
            await asyncio.to_thread(self.store.end_subscription_after, claimed)

    async def _wechat(self, claimed: Claimed) -> Outcome:
        if self.wechat is None:
            return Outcome.NO_CONSENT  # subscribe messages are not configured: the next reply tells
        if not await asyncio.to_thread(self.store.take_consent, claimed.user_hash):
            return Outcome.NO_CONSENT
        when = claimed.changed_at.replace(tzinfo=timezone.utc).astimezone(CHINA).strftime("%Y-%m-%d %H:%M")
        data = self.wechat.data(claimed.item_name, claimed.number_masked, claimed.stage_name, when)
        outcome = await self.wechat.send(claimed.address, data, claimed.id)
        if outcome is Outcome.NO_CONSENT:
            await asyncio.to_thread(self.store.forget_consents, claimed.user_hash)
        elif outcome in (Outcome.RETRY, Outcome.FAILED):
            await asyncio.to_thread(self.store.give_back_consent, claimed.user_hash)  # WeChat did not use it
        return outcome

    def _backoff(self, attempts: int) -> timedelta:
        delay = self.settings.backoff_seconds * 2 ** attempts * random.uniform(0.8, 1.2)
        return min(timedelta(seconds=delay), MAX_BACKOFF)

    def _count(self, claimed: Claimed, outcome: str) -> None:
        DELIVERIES.labels(claimed.channel, outcome).inc()
        logger.info("reminders: delivery %s via %s: %s (attempt %s)", claimed.id, claimed.channel, outcome,
                    claimed.attempts + 1)


def _notice(change: StageChange) -> str:
    from progress_api.masking import mask_application_number

    return wording.notice(change.item_name, mask_application_number(change.number), change.stage_name,
                          change.completed, change.at_local)


def _app_body(claimed: Claimed) -> dict[str, Any]:
    """docs/app-api.yaml, ProgressReminder."""
    sender = claimed.address
    who = {"user_id": sender[len("app:"):]} if sender.startswith("app:") else \
        {"conversation_id": sender.split(":", 1)[1] if ":" in sender else sender}
    return {"type": "progress_reminder", "reminder_id": f"reminder-{claimed.id}", **who,
            "application": {"number_masked": claimed.number_masked, "item_name": claimed.item_name,
                            "stage": claimed.stage, "stage_name": claimed.stage_name,
                            "status": "completed" if claimed.completed else "in_progress",
                            "at": claimed.changed_at.replace(tzinfo=timezone.utc).astimezone(CHINA).isoformat()},
            "text": claimed.text}
