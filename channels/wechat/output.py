"""Output channel for messages Rasa sends outside a webhook request (e.g. the
`trigger_intent` API or reminders): every message goes out through the
customer-service API, split and merged like the answers to webhook requests."""
from __future__ import annotations

from typing import Any

from rasa.core.channels.channel import OutputChannel

from channels.wechat.rendering import pack, render
from channels.wechat.sender import CustomerServiceClient


class CustomerServiceOutput(OutputChannel):
    def __init__(self, sender: CustomerServiceClient) -> None:
        self.sender = sender

    @classmethod
    def name(cls) -> str:
        return "wechat"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """One Rasa bot message → at most five customer-service texts."""
        texts = render([{"text": message.get("text"), "buttons": message.get("buttons"),
                         "custom": message.get("custom")}]).texts
        for extra in ("image", "attachment"):
            if message.get(extra):
                texts.append(str(message[extra]))
        if texts:
            await self.sender.send_texts(recipient_id, pack(texts))

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self.send_response(recipient_id, {"text": text})
