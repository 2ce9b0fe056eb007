"""Answer each WeChat message once: passively within the reply budget, otherwise through
the customer-service API.

Every request for a message (the first one and WeChat's retries, in any process) waits
on the same claim: the first to claim computes the answer in a background task; every
request waits for the finished answer until its own deadline; whoever then wins the
atomic delivery claim delivers it: a waiting request in its HTTP response, or, once no
request is waiting any longer, the background task through the customer-service API.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage

from channels.location import location_message
from channels.wechat.inbound import Inbound
from channels.wechat.rendering import WeChatCollector, pack, render
from channels.wechat.sender import CustomerServiceClient
from channels.wechat.store import ReplyStore
from channels.messages import say

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

DEDUP_TTL_SECONDS = 300.0
WAITER_TTL_SECONDS = 30.0
CHOICES_TTL_SECONDS = 24 * 3600.0
BOT_TIMEOUT_SECONDS = 60.0
HANDOVER_GRACE_SECONDS = 0.25
FOLLOW_UP_DELAY_SECONDS = 0.3
# WeChat reports a user's location on every visit (or every 5 s, as the account chooses):
# one report per user in this interval reaches the bot, the others are acknowledged only.
LOCATION_REPORT_INTERVAL_SECONDS = 600.0


class Dispatcher:
    """Runs the bot for each new message and decides how its answer is delivered."""

    def __init__(self, store: ReplyStore, sender: CustomerServiceClient,
                 clock: Callable[[], float] = time.time,
                 news: Callable[[str], Awaitable[list[str]]] | None = None) -> None:
        self.store = store
        self._news = news  # progress news held for the user's next reply (reminder_events.py)
        self.sender = sender
        self._clock = clock
        self._tasks: set[asyncio.Task] = set()
        self._delivered_here: dict[str, asyncio.Event] = {}

    async def reply(self, inbound: Inbound, on_new_message: OnNewMessage, deadline: float) -> str | None:
        """The text to answer in the HTTP response, or None to acknowledge with "success"."""
        if inbound.silent:
            return None
        key = inbound.dedup_key
        if inbound.location is not None and inbound.location.quiet:  # a location report: no reply
            if await self.store.claim(f"location-report:{inbound.openid}", LOCATION_REPORT_INTERVAL_SECONDS):
                self._spawn(self._run_quietly(inbound, on_new_message))
            return None
        if await self.store.claim(key, DEDUP_TTL_SECONDS):
            self._spawn(self._answer(inbound, on_new_message))
        else:
            logger.info("wechat: %s is a retry; waiting for the answer being prepared", key)
        await self.store.add_waiter(key, deadline, WAITER_TTL_SECONDS)
        parts = await self.store.wait_done(key, deadline - self._clock())
        if not parts or not await self.store.claim_delivery(key, DEDUP_TTL_SECONDS):
            return None
        if key in self._delivered_here:
            self._delivered_here[key].set()
        if len(parts) > 1:
            self._spawn(self._follow_up(inbound.openid, parts[1:]))
        return parts[0]

    async def _answer(self, inbound: Inbound, on_new_message: OnNewMessage) -> None:
        key = inbound.dedup_key
        self._delivered_here[key] = asyncio.Event()
        try:
            await self._answer_and_deliver(inbound, on_new_message)
        finally:
            self._delivered_here.pop(key, None)

    async def _answer_and_deliver(self, inbound: Inbound, on_new_message: OnNewMessage) -> None:
        key = inbound.dedup_key
        try:
            parts = await self._compute(inbound, on_new_message)
        except Exception:  # noqa: BLE001 - the citizen gets an apology whatever broke
            logger.exception("wechat: preparing the answer to %s failed", key)
            parts = [say("wechat.apology")]
        try:
            await self.store.finish(key, parts, DEDUP_TTL_SECONDS)
            waiting_until = await self.store.waiter_deadline(key)
            if waiting_until is not None:
                # Let a request that is still waiting take the answer in its response.
                delay = waiting_until - self._clock() + HANDOVER_GRACE_SECONDS
                if delay > 0:
                    delivered = self._delivered_here[key]
                    try:
                        await asyncio.wait_for(delivered.wait(), delay)
                        return  # a request in this process answered passively
                    except asyncio.TimeoutError:
                        pass
            if parts and await self.store.claim_delivery(key, DEDUP_TTL_SECONDS):
                logger.info("wechat: %s answered after the reply budget; using the customer-service API", key)
                await self.sender.send_texts(inbound.openid, parts)
        except Exception:  # noqa: BLE001
            logger.exception("wechat: delivering the answer to %s failed", key)

    async def _compute(self, inbound: Inbound, on_new_message: OnNewMessage) -> list[str]:
        if inbound.text is None:
            return pack([inbound.reply or ""])
        collector = WeChatCollector()
        metadata: dict[str, Any] = {"openid": inbound.openid, "msg_id": inbound.msg_id, "kind": inbound.kind}
        choice = await self._choice(inbound)
        if choice:
            metadata["choice"] = choice
        message = self._user_message(inbound, collector, metadata)
        failed = False
        bot = asyncio.ensure_future(on_new_message(message))
        try:
            # shield: a bot that overruns is left to finish its turn, not cancelled mid-write
            await asyncio.wait_for(asyncio.shield(bot), BOT_TIMEOUT_SECONDS)
        except Exception:  # noqa: BLE001 - Rasa error, action server down, timeout
            logger.exception("wechat: the bot failed on %s", inbound.dedup_key)
            failed = True
        rendered = render(collector.messages)
        if rendered.choices:
            await self.store.remember_choices(inbound.openid, rendered.choices, CHOICES_TTL_SECONDS)
        texts = rendered.texts + ([say("wechat.apology")] if failed or not rendered.texts else [])
        held = await self._news(inbound.openid) if self._news is not None else []
        return pack(held + texts)

    @staticmethod
    def _user_message(inbound: Inbound, collector: WeChatCollector, metadata: dict[str, Any]) -> UserMessage:
        if inbound.location is not None:
            return location_message(inbound.location, collector, inbound.openid, input_channel="wechat",
                                    message_id=inbound.msg_id, metadata={"wechat": metadata})
        return UserMessage(inbound.text, collector, inbound.openid, input_channel="wechat",
                           message_id=inbound.msg_id, metadata={"wechat": metadata})

    async def _run_quietly(self, inbound: Inbound, on_new_message: OnNewMessage) -> None:
        """A location report updates the conversation's district; what the bot says is dropped."""
        metadata = {"openid": inbound.openid, "msg_id": inbound.msg_id, "kind": inbound.kind}
        try:
            await asyncio.wait_for(on_new_message(self._user_message(inbound, WeChatCollector(), metadata)),
                                   BOT_TIMEOUT_SECONDS)
        except Exception:  # noqa: BLE001 - a report is best effort: log, never reply
            logger.exception("wechat: the bot failed on the location report %s", inbound.dedup_key)

    async def _choice(self, inbound: Inbound) -> dict[str, Any] | None:
        """What a digit reply meant in the list last offered (the text itself stays the digit)."""
        text = (inbound.text or "").strip()
        if inbound.location is not None or not text.isdecimal() or len(text) > 3:
            return None
        return (await self.store.recall_choices(inbound.openid)).get(str(int(text)))

    async def _follow_up(self, openid: str, parts: list[str]) -> None:
        await asyncio.sleep(FOLLOW_UP_DELAY_SECONDS)  # after the passive reply reached WeChat
        await self.sender.send_texts(openid, parts)

    def _spawn(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)  # keep a reference so the task is not garbage-collected
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("wechat: background task failed", exc_info=task.exception())

    async def drain(self, timeout: float = 5.0) -> None:
        """Let answers in progress finish (at server stop), then cancel what is left."""
        pending = list(self._tasks)
        if not pending:
            return
        _, still_running = await asyncio.wait(pending, timeout=timeout)
        for task in still_running:
            task.cancel()
