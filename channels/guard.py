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
from channels.messages import say

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

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


# Former constants, kept as names for importers: the text is in channels/messages.yml,
# read on first use (see __getattr__).
TEXTS = {"UNAVAILABLE_TEXT": "all.unavailable"}


def __getattr__(name: str) -> str:
    """The former constants in TEXTS, read from channels/messages.yml on first use."""
    if name in TEXTS:
        return say(TEXTS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
