"""What every channel does when the assistant cannot answer a turn.

`guarded(on_new_message)` wraps the handler Rasa gives a channel's blueprint: a
`ConversationStoreUnavailable` (a BaseException, see bot/prod/errors.py) becomes an
ordinary `AssistantUnavailable` error, so a channel's usual `except Exception` handles
it. Channels then answer with `UNAVAILABLE_TEXT` — a clear message with a retry hint —
instead of an empty reply, a 5xx or a dropped connection.
"""
from __future__ import annotations

from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage

from bot.prod.errors import ConversationStoreUnavailable

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

UNAVAILABLE_TEXT = "抱歉，系统暂时繁忙，这条消息没能处理。请稍后再发一次；着急的话可以拨打 12345 政务服务便民热线。"
UNAVAILABLE_PAYLOAD = {"type": "unavailable", "retry": True}


class AssistantUnavailable(RuntimeError):
    """The assistant could not handle the turn (its conversation database is unreachable)."""


def guarded(on_new_message: OnNewMessage) -> OnNewMessage:
    async def handle(message: UserMessage) -> Any:
        try:
            return await on_new_message(message)
        except ConversationStoreUnavailable as error:
            raise AssistantUnavailable(str(error)) from None

    return handle
