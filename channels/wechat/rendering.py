"""Bot messages → WeChat texts: collect, render, split to WeChat's byte limit, merge.

WeChat has no buttons for official accounts in a conversation, so choices are numbered
lines the citizen answers with a digit; the bot's own text already lists them, and the
channel only remembers which digit meant which item. Texts are split at 2,048 UTF-8
bytes without cutting a character, preferring line and sentence ends, and merged so one
user message never needs more than five customer-service messages.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from channels.plumbing import MessageCollector
from channels.messages import say

TEXT_LIMIT_BYTES = 2048
MAX_MESSAGES = 5
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SOFT_BREAKS = ("\n", "。", "！", "？", "；", "，", "、", " ", ".", ";", ",")


class WeChatCollector(MessageCollector):
    """Collects what the bot says for one user message (one entry per part of a bot message);
    an image is sent as its address, WeChat texts having no images."""

    channel = "wechat"

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        self.messages.append({"text": image})


@dataclass
class Rendered:
    texts: list[str] = field(default_factory=list)
    choices: dict[str, dict[str, str]] = field(default_factory=dict)


def render(messages: list[dict[str, Any]]) -> Rendered:
    """Texts to send and the digit → choice mapping the messages offered."""
    rendered = Rendered()
    for message in messages:
        text = clean(str(message.get("text") or ""))
        raw_buttons = message.get("buttons")
        buttons = [b for b in raw_buttons if isinstance(b, dict)] if isinstance(raw_buttons, list) else []
        if buttons:
            titles = [clean(str(b.get("title") or b.get("payload") or "")) for b in buttons]
            text = "\n".join([text] * bool(text) + [f"{n}. {t}" for n, t in enumerate(titles, 1)])
            rendered.choices = {str(n): {"title": t, "payload": str(b.get("payload") or "")}
                                for n, (t, b) in enumerate(zip(titles, buttons), 1)}
        if text.strip():
            rendered.texts.append(text.strip())
        custom = message.get("custom")
        if isinstance(custom, dict) and custom.get("type") == "choices":
            raw = custom.get("options")
            options = [o for o in raw if isinstance(o, dict)] if isinstance(raw, list) else []
            if options:
                rendered.choices = {str(n): {"item_code": str(o.get("item_code", "")),
                                             "item_name": str(o.get("item_name", ""))}
                                    for n, o in enumerate(options, 1)}
        # "guide", "handoff", "not_found" and unknown payloads: the text already says it all.
    return rendered


def clean(text: str) -> str:
    """Drop characters XML 1.0 cannot carry (WeChat would refuse the whole reply)."""
    return _INVALID_XML_CHARS.sub("", text)


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def split_text(text: str, limit: int = TEXT_LIMIT_BYTES, min_fill: float = 0.5) -> list[str]:
    """Pieces of at most `limit` UTF-8 bytes, cut at a line or sentence end when one falls
    after `min_fill` of the piece (else at a character boundary)."""
    pieces: list[str] = []
    rest = text.strip()
    while utf8_len(rest) > limit:
        head = rest.encode("utf-8")[:limit].decode("utf-8", "ignore") or rest[0]  # never half a character
        cut = len(head)
        for mark in _SOFT_BREAKS:
            at = head.rfind(mark)
            if at >= len(head) * min_fill:
                cut = at + 1
                break
        piece, rest = rest[:cut].strip(), rest[cut:].strip()
        if piece:
            pieces.append(piece)
    if rest:
        pieces.append(rest)
    return pieces


def pack(texts: list[str], limit: int = TEXT_LIMIT_BYTES, max_messages: int = MAX_MESSAGES) -> list[str]:
    """Merge consecutive texts (blank line between) into at most `max_messages` messages.

    Whole bot messages are kept together when that fits the quota; otherwise the joined
    text is cut to fill each message, and what still does not fit is cut off visibly.
    """
    pieces = [piece for text in texts for piece in split_text(text, limit)]
    packed: list[str] = []
    for piece in pieces:
        if packed and utf8_len(packed[-1]) + 2 + utf8_len(piece) <= limit:
            packed[-1] = f"{packed[-1]}\n\n{piece}"
        else:
            packed.append(piece)
    for min_fill in (0.9, 1.0):  # fill the messages more tightly, line ends first
        if len(packed) > max_messages:
            packed = split_text("\n\n".join(pieces), limit, min_fill)
    if len(packed) > max_messages:
        room = limit - utf8_len(say("wechat.truncated"))
        last = packed[max_messages - 1].encode("utf-8")[:room].decode("utf-8", "ignore")
        packed = packed[: max_messages - 1] + [last.rstrip() + say("wechat.truncated")]
    return packed


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def passive_text_xml(to_user: str, from_user: str, content: str, now: float | None = None) -> str:
    """The passive reply XML for a text (WeChat's format; CDATA-safe)."""
    created = int(time.time() if now is None else now)
    return (
        "<xml>"
        f"<ToUserName>{_cdata(to_user)}</ToUserName>"
        f"<FromUserName>{_cdata(from_user)}</FromUserName>"
        f"<CreateTime>{created}</CreateTime>"
        "<MsgType><![CDATA[text]]></MsgType>"
        f"<Content>{_cdata(clean(content))}</Content>"
        "</xml>"
    )


# Former constants, kept as names for importers: the text is in channels/messages.yml,
# read on first use (see __getattr__).
TEXTS = {"TRUNCATED": "wechat.truncated", "APOLOGY": "wechat.apology"}


def __getattr__(name: str) -> Any:
    """The former constants in TEXTS, read from channels/messages.yml on first use."""
    if name in TEXTS:
        return say(TEXTS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
