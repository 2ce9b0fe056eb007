"""The Rasa input channel for a WeChat official account: `/webhooks/wechat/webhook`.

GET verifies the URL (WeChat's server configuration); POST receives messages and events.
Requests that are not WeChat's are refused with 403/400/413; once a request is WeChat's,
whatever goes wrong the answer is HTTP 200 (an apology or "success"), because any other
status makes WeChat tell the citizen "该公众号暂时无法提供服务".
"""
from __future__ import annotations

import logging
import time
from typing import Any, Callable

from rasa.core.channels.channel import InputChannel, OutputChannel
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.guard import guarded
from channels.plumbing import read_body
from channels.wechat.config import WeChatConfig
from channels.wechat.dispatch import DEDUP_TTL_SECONDS, Dispatcher, OnNewMessage
from channels.wechat.errors import WeChatRequestError
from channels.wechat.inbound import Inbound, classify
from channels.wechat.output import CustomerServiceOutput
from channels.wechat.reminder_events import ReminderTables
from channels.wechat.rendering import passive_text_xml
from channels.wechat.security import MAX_BODY_BYTES, Envelope, Opened
from channels.wechat.sender import CustomerServiceClient
from channels.wechat.store import MemoryStore, ReplyStore
from channels.messages import say

logger = logging.getLogger(__name__)


class WeChatInput(InputChannel):
    """WeChat official-account (公众号) webhook, plaintext, compatible or safe mode."""

    @classmethod
    def name(cls) -> str:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(WeChatConfig.from_credentials(credentials))

    def __init__(self, config: WeChatConfig, store: ReplyStore | None = None,
                 clock: Callable[[], float] = time.time, reminders: ReminderTables | None = None) -> None:
        self.config = config
        self.reminders = reminders or ReminderTables()
        self.envelope = Envelope(config)
        self._clock = clock
        self._store = store
        self._sender: CustomerServiceClient | None = None
        self._dispatcher: Dispatcher | None = None

    @property
    def store(self) -> ReplyStore:
        if self._store is None:
            if self.config.redis_url:
                from channels.wechat.redis_store import RedisStore

                self._store = RedisStore(self.config.redis_url, prefix=f"yuban:wechat:{self.config.appid}:")
            else:
                self._store = MemoryStore()
        return self._store

    @property
    def sender(self) -> CustomerServiceClient:
        if self._sender is None:
            self._sender = CustomerServiceClient(self.config, self.store)
        return self._sender

    @property
    def dispatcher(self) -> Dispatcher:
        if self._dispatcher is None:
            self._dispatcher = Dispatcher(self.store, self.sender, clock=self._clock, news=self.reminders.take_news)
        return self._dispatcher

    def get_output_channel(self) -> OutputChannel:
        """For messages Rasa sends on its own (e.g. trigger_intent): customer-service API."""
        return CustomerServiceOutput(self.sender)

    async def close(self) -> None:
        """Finish answers in progress, then release HTTP and Redis connections."""
        steps = []
        if self._dispatcher is not None:
            steps.append(self._dispatcher.drain)
        if self._sender is not None:
            steps.append(self._sender.close)
        if self._store is not None:
            steps.append(self._store.close)
        self.reminders.close()
        for step in steps:
            try:
                await step()
            except Exception:  # noqa: BLE001 - shutting down: log and go on
                logger.exception("wechat: error while closing")

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        on_new_message = guarded(on_new_message)  # a conversation-database outage becomes an ordinary error
        wechat_webhook = Blueprint("wechat_webhook", __name__)

        @wechat_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @wechat_webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            try:
                return response.text(self.envelope.echo(_args(request), self._clock()))
            except WeChatRequestError as error:
                logger.warning("wechat: refused URL verification: %s", error.reason)
                return response.text(error.reason, status=error.status)
            except Exception:  # noqa: BLE001 - never a 5xx
                logger.exception("wechat: could not verify the URL")
                return response.text("bad request", status=400)

        @wechat_webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        @wechat_webhook.listener("after_server_stop")
        async def release(*_: Any) -> None:
            await self.close()

        return wechat_webhook

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        started = self._clock()
        args = _args(request)
        try:
            body = await read_body(request, MAX_BODY_BYTES, lambda: WeChatRequestError(413, "body too large"))
            opened = self.envelope.open(args, body, started)
            inbound = classify(opened.xml, self.config)
        except WeChatRequestError as error:
            logger.warning("wechat: refused a webhook request: %s", error.reason)
            return response.text(error.reason, status=error.status)
        except Exception:  # noqa: BLE001 - never a 5xx to WeChat
            logger.exception("wechat: could not read a webhook request")
            return response.text("success")
        if inbound.reminder is not None or inbound.kind == "unsubscribe":
            await self._update_reminders(inbound)
        try:
            text = await self.dispatcher.reply(inbound, on_new_message, started + self.config.reply_budget_seconds)
        except Exception:  # noqa: BLE001 - e.g. Redis unreachable: apologise, do not fail
            logger.exception("wechat: handling %s failed", inbound.dedup_key)
            text = say("wechat.apology")
        return self._passive(inbound, opened, args, text)

    async def _update_reminders(self, inbound: Inbound) -> None:
        """Consents and unsubscriptions, once per event (WeChat retries events too)."""
        try:
            if not await self.store.claim(f"reminder:{inbound.dedup_key}", DEDUP_TTL_SECONDS):
                return
            if inbound.reminder is not None:
                await self.reminders.apply(inbound.openid, inbound.reminder)
            else:
                await self.reminders.unsubscribed(inbound.openid)
        except Exception:  # noqa: BLE001 - e.g. Redis unreachable: WeChat still gets its "success"
            logger.exception("wechat: could not update the reminders for %s", inbound.dedup_key)

    def _passive(self, inbound: Inbound, opened: Opened, args: dict[str, str], text: str | None) -> HTTPResponse:
        if text is None:
            return response.text("success")
        try:
            now = self._clock()
            xml = passive_text_xml(inbound.openid, inbound.account, text, now)
            sealed = self.envelope.seal(xml, opened, args.get("nonce", ""), now)
        except Exception:  # noqa: BLE001
            logger.exception("wechat: could not build the reply to %s", inbound.dedup_key)
            return response.text("success")
        return response.text(sealed, content_type="application/xml; charset=utf-8")


def _args(request: Request) -> dict[str, str]:
    """The query string, first value of each parameter."""
    return {key: values[0] for key, values in request.args.items() if values}

