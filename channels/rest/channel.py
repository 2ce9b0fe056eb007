"""Rasa's REST channel (same name and URL, /webhooks/rest/webhook) that never answers with nothing.

Rasa's own REST channel logs any failure of a turn and returns the messages collected so
far — often `[]`: an action server that is down, a lock or tracker store error, all look
to the user like silence. Here such a turn is answered with `UNAVAILABLE_TEXT` (and the
machine-readable custom payload `{"type": "unavailable", "retry": true}`); a failed turn's
partial answer is replaced, because nothing of that turn may have been stored.
Configure it in credentials as `channels.rest.GuardedRestInput:` instead of `rest:`.

Nobody is authenticated here, so nothing the caller writes may pose as a channel that
authenticates its users (issue #16): the channel name is always "rest" (the caller's
`input_channel` is ignored), the caller's `metadata` is dropped (an identity claim in it
would otherwise reach the actions), and every sender id is prefixed with `rest:` so a
caller who picks `app:<id>` or a WeChat openid lands in a conversation of its own
(`rest:app:<id>`), never in that person's.
"""
from __future__ import annotations

import logging
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint
from sanic.request import Request

from channels.guard import UNAVAILABLE_PAYLOAD, OnNewMessage, guarded
from channels.messages import say

logger = logging.getLogger(__name__)

SENDER_PREFIX = "rest:"
DEFAULT_SENDER = "default"  # Rasa's own id for a request without a sender


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        return super().blueprint(answer_every_turn(on_new_message))

    async def _extract_sender(self, req: Request) -> str:
        return rest_sender(req.json.get("sender"))

    def _extract_input_channel(self, req: Request) -> str:
        return self.name()

    def get_metadata(self, request: Request) -> dict[str, Any] | None:
        return None


def rest_sender(claimed: Any) -> str:
    """The conversation a REST caller gets: its own namespace, whatever id it asked for."""
    text = claimed if isinstance(claimed, str) else ("" if claimed is None else str(claimed))
    return SENDER_PREFIX + (text or DEFAULT_SENDER)


def answer_every_turn(on_new_message: OnNewMessage) -> OnNewMessage:
    handle = guarded(on_new_message)

    async def answered(message: UserMessage) -> Any:
        output = message.output_channel
        # A list for the plain request; the streaming variant (?stream=true) uses a queue.
        collected = output.messages if isinstance(getattr(output, "messages", None), list) else None
        before = len(collected) if collected is not None else 0
        try:
            await handle(message)
        except Exception as error:  # noqa: BLE001 — whatever broke, the user gets an answer
            # The type only: the message text may hold personal data.
            logger.error("rest: the turn failed (%s); answering that the service is busy", type(error).__name__)
            if collected is not None:
                del collected[before:]
            await _unavailable(message)
            return
        if collected is not None and len(collected) == before:
            logger.error("rest: the turn produced no answer (action server unreachable?); answering that the "
                         "service is busy")
            await _unavailable(message)

    return answered


async def _unavailable(message: UserMessage) -> None:
    output = message.output_channel
    if isinstance(getattr(output, "messages", None), list):
        output.messages.append({"recipient_id": message.sender_id, "text": say("all.unavailable"),
                                "custom": dict(UNAVAILABLE_PAYLOAD)})
    else:
        await output.send_text_message(message.sender_id, say("all.unavailable"))
