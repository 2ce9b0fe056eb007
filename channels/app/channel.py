"""The Rasa input channel for the 渝快办 app backend: `POST /webhooks/app/webhook`.

Order of checks, each refusal a JSON error with a code and a Chinese message, and none
of them reaching Rasa: size (413, before the body is read whole), credentials (401),
content type (415), JSON (400), fields (400), user consistency (403). An authentic,
well-formed request is answered 200 with the bot's typed messages; when the bot fails
the app still gets a 200 with an apology it can show, never a 5xx it cannot explain.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels.app.auth import Authenticator
from channels.app.config import AppConfig
from channels.app.errors import AppConfigError, AppRequestError
from channels.app.inbound import check_content_type, identify, parse
from channels.app.messages import APOLOGY, AppCollector, structured
from channels.app.nonces import MemoryNonces, NonceStore
from channels.location import location_message
from channels.plumbing import read_body
from channels.guard import UNAVAILABLE_PAYLOAD, UNAVAILABLE_TEXT, AssistantUnavailable, guarded
from core.verified_identity import IdentityKeyError, load_key

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


class AppInput(InputChannel):
    """JSON in, typed messages out, for the 渝快办 app backend (signed requests or JWTs)."""

    @classmethod
    def name(cls) -> str:
        return "app"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        config = AppConfig.from_credentials(credentials)
        try:  # checked at start: without the key no verified user could be recognised
            key = load_key()
        except (IdentityKeyError, OSError) as error:
            raise AppConfigError("YUBAN_IDENTITY_KEY", str(error)) from None
        return cls(config, identity_key=key)

    def __init__(self, config: AppConfig, nonces: NonceStore | None = None,
                 clock: Callable[[], float] = time.time, identity_key: bytes | None = None) -> None:
        self.config = config
        self._clock = clock
        self._nonces = nonces
        self._authenticator: Authenticator | None = None
        self._identity_key = identity_key

    @property
    def identity_key(self) -> bytes:
        """The key that signs verified identities (shared with the action servers)."""
        if self._identity_key is None:
            self._identity_key = load_key()
        return self._identity_key

    @property
    def nonces(self) -> NonceStore:
        if self._nonces is None:
            if self.config.redis_url:
                from channels.app.nonces import RedisNonces

                self._nonces = RedisNonces(self.config.redis_url)
            else:
                self._nonces = MemoryNonces(clock=self._clock)
        return self._nonces

    @property
    def authenticator(self) -> Authenticator:
        if self._authenticator is None:
            self._authenticator = Authenticator(self.config, self.nonces, self._clock)
        return self._authenticator

    async def close(self) -> None:
        if self._nonces is not None:
            try:
                await self._nonces.close()
            except Exception:  # noqa: BLE001 - shutting down: log and go on
                logger.exception("app channel: error while closing the nonce store")

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        app_webhook = Blueprint("app_webhook", __name__)

        @app_webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @app_webhook.route("/webhook", methods=["POST"], stream=True)
        async def receive(request: Request) -> HTTPResponse:
            return await self._receive(request, on_new_message)

        @app_webhook.route("/webhook", methods=["GET", "PUT", "PATCH", "DELETE"])
        async def other_methods(_: Request) -> HTTPResponse:
            return response.json({"error": {"code": "method_not_allowed", "message": "该接口只接受 POST 请求。"}},
                                 status=405, headers={"Allow": "POST"})

        @app_webhook.listener("after_server_stop")
        async def release(*_: Any) -> None:
            await self.close()

        return app_webhook

    async def _receive(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        try:
            body = await read_body(request, self.config.max_body_bytes, lambda: AppRequestError(
                413, "body_too_large", f"请求体过大（上限 {self.config.max_body_bytes} 字节）。"))
            caller = await self.authenticator.authenticate(request.headers, body)
            check_content_type(request.headers.get("content-type"))
            app_request = parse(body)
            identity = identify(app_request, caller)
        except AppRequestError as error:
            logger.warning("app channel: refused a request: %s %s", error.status, error.code)
            return response.json(error.body(), status=error.status)
        except Exception:  # noqa: BLE001 - e.g. Redis unreachable: we cannot tell a replay
            logger.exception("app channel: could not check a request")
            return response.json({"error": {"code": "unavailable", "message": "服务暂时不可用，请稍后重试。"}},
                                 status=503, headers={"Retry-After": "5"})
        collector = AppCollector()
        metadata = identity.metadata(app_request, self.identity_key)
        turns = []
        if app_request.location is not None:  # first, so that the message is answered for that district
            turns.append(location_message(app_request.location, collector, identity.sender_id, input_channel=self.name(),
                                          message_id=None if app_request.message else app_request.message_id,
                                          metadata=metadata))
        if app_request.message is not None:
            turns.append(UserMessage(app_request.message, collector, identity.sender_id, input_channel=self.name(),
                                     message_id=app_request.message_id, metadata=metadata))
        outcome = "ok"
        for message in turns:
            outcome = await self._run_bot(on_new_message, message)
            if outcome != "ok":
                break
        if outcome == "unavailable":  # the conversation store is down: say so, with a retry hint
            collector.messages.append({"text": UNAVAILABLE_TEXT, "custom": dict(UNAVAILABLE_PAYLOAD)})
        messages = structured(collector.messages)
        if outcome == "failed" or not messages:
            messages.append({"type": "text", "text": APOLOGY})
        return response.json({"conversation_id": app_request.conversation_id,
                              "user_verified": identity.subject is not None, "messages": messages},
                             ensure_ascii=False)

    async def _run_bot(self, on_new_message: OnNewMessage, message: UserMessage) -> str:
        """"ok" when the bot finished its turn in time, "unavailable" when its conversation
        store is down, "failed" otherwise."""
        bot = asyncio.ensure_future(guarded(on_new_message)(message))
        try:
            # shield: a bot that overruns finishes its turn rather than being cut mid-write
            await asyncio.wait_for(asyncio.shield(bot), self.config.bot_timeout_seconds)
            return "ok"
        except AssistantUnavailable:
            logger.error("app channel: the assistant is unavailable (conversation store)")
            return "unavailable"
        except Exception:  # noqa: BLE001 - Rasa error, action server down, timeout
            logger.exception("app channel: the bot failed on a message")
            return "failed"

