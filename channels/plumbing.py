"""Plumbing every platform channel shares: a size-limited body, a collector of the bot's
messages for one request, and a Redis client made on first use.

Each channel keeps what differs (its error type, its output channel's name, how an image
is kept); the mechanics are written once here.
"""
from __future__ import annotations

from typing import Any, Callable

from rasa.core.channels.channel import OutputChannel
from sanic.request import Request


async def read_body(request: Request, limit: int, too_large: Callable[[], Exception]) -> bytes:
    """The body, refusing more than `limit` bytes without reading them all (`too_large()` is raised)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large()
    if request.stream is None:
        body = request.body or b""
    else:
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.stream:
            size += len(chunk)
            if size > limit:
                raise too_large()
            chunks.append(chunk)
        body = b"".join(chunks)
    if len(body) > limit:
        raise too_large()
    return body


class MessageCollector(OutputChannel):
    """Collects what the bot says for one request, one entry per bot message.

    Subclasses set `channel` (Rasa picks channel-specific responses by the output
    channel's name) and may keep images differently.
    """

    channel = "collector"

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []

    @classmethod
    def name(cls) -> str:
        return cls.channel

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        self.messages.append({"text": text})

    async def send_text_with_buttons(self, recipient_id: str, text: str, buttons: list[dict[str, Any]],
                                     **kwargs: Any) -> None:
        self.messages.append({"text": text, "buttons": buttons})

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        self.messages.append({"custom": json_message})

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        self.messages.append({"image": image})

    async def send_attachment(self, recipient_id: str, attachment: Any, **kwargs: Any) -> None:
        self.messages.append({"text": str(attachment)})


class LazyRedis:
    """An asyncio Redis client created on first use (no connection at start), closed once."""

    def __init__(self, url: str, client: Any = None, timeout: float = 2) -> None:
        self.url = url
        self._client = client
        self._timeout = timeout

    @property
    def redis(self) -> Any:
        if self._client is None:
            import redis.asyncio

            self._client = redis.asyncio.from_url(self.url, socket_timeout=self._timeout,
                                                  socket_connect_timeout=self._timeout)
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            client, self._client = self._client, None
            await client.close()
            await client.connection_pool.disconnect()
