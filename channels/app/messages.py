"""Bot messages → the typed messages the app renders natively (docs/app-api.yaml, `Message`).

Rasa sends each bot message as one dict (text, buttons, custom payload, image…). The
actions attach a machine-readable `custom` payload to everything with structure (guide
cards, choices, progress, handoff); the channel only maps it, it never looks anything up.
Unknown custom types pass through as `data`, so a new payload needs no channel release.
"""
from __future__ import annotations

from typing import Any

from channels.plumbing import MessageCollector
from channels.messages import say



class AppCollector(MessageCollector):
    """Collects what the bot says for one request; each bot message is kept whole (text,
    buttons and custom payload together), as the app renders one message per entry."""

    channel = "app"

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.messages.append(dict(message))


def structured(bot_messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Typed messages for the app, in the order the bot said them."""
    typed: list[dict[str, Any]] = []
    for message in bot_messages:
        typed.extend(_typed(message))
    return typed


def _typed(message: dict[str, Any]) -> list[dict[str, Any]]:
    text = message.get("text")
    text = text if isinstance(text, str) else ""
    custom = message.get("custom")
    buttons = message.get("buttons") or message.get("quick_replies")
    result: list[dict[str, Any]] = []
    if custom is not None:
        result.append(_from_custom(custom, text))
    elif isinstance(buttons, list) and buttons:
        result.append(_from_buttons(buttons, text))
    elif text:
        result.append({"type": "text", "text": text})
    image = message.get("image")
    if isinstance(image, str) and image:
        result.append({"type": "image", "text": "", "url": image})
    if message.get("attachment") is not None:
        result.append({"type": "data", "kind": "attachment", "text": "", "data": message["attachment"]})
    if message.get("elements") is not None:
        result.append({"type": "data", "kind": "elements", "text": "", "data": message["elements"]})
    return result


def _from_custom(custom: Any, text: str) -> dict[str, Any]:
    kind = custom.get("type") if isinstance(custom, dict) else None
    if kind == "guide":
        return {"type": "guide", "text": text, "item_code": _str(custom.get("item_code")),
                "item_name": _str(custom.get("item_name")), "aspect": _optional_str(custom.get("aspect")),
                "district": _optional_str(custom.get("district")), "card": _dict_or_none(custom.get("card"))}
    if kind == "choices":
        raw = custom.get("options")
        options = [o for o in raw if isinstance(o, dict)] if isinstance(raw, list) else []
        return {"type": "choices", "text": text, "options": _options(options)}
    if kind == "progress":
        return {"type": "progress", "text": text, "card": _dict_or_none(custom.get("card"))}
    if kind == "progress_list":
        raw = custom.get("applications")
        return {"type": "progress_list", "text": text,
                "applications": [a for a in raw if isinstance(a, dict)] if isinstance(raw, list) else []}
    if kind == "handoff":
        return {"type": "handoff", "text": text, "reason": _optional_str(custom.get("reason"))}
    if kind == "not_found":
        return {"type": "not_found", "text": text}
    if kind == "bundle":  # its items are on offer next: the app can show them as options
        raw = custom.get("items")
        items = [i for i in raw if isinstance(i, dict)] if isinstance(raw, list) else []
        return {"type": "bundle", "text": text, "bundle": {k: v for k, v in custom.items() if k != "type"},
                "options": _options(items)}
    return {"type": "data", "kind": _optional_str(kind), "text": text, "data": custom}


def _options(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Numbered items; the reply is the number, which the assistant understands as the pick."""
    return [{"index": n, "title": _str(i.get("item_name")), "item_code": _optional_str(i.get("item_code")),
             "reply": str(n)} for n, i in enumerate(items, 1)]


def _from_buttons(buttons: list[Any], text: str) -> dict[str, Any]:
    options = [b for b in buttons if isinstance(b, dict)]
    return {"type": "choices", "text": text, "options": [
        {"index": n, "title": _str(b.get("title") or b.get("payload")), "item_code": None,
         "reply": _str(b.get("payload") or b.get("title"))} for n, b in enumerate(options, 1)]}


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ("" if value is None else str(value))


def _optional_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _dict_or_none(value: Any) -> dict[str, Any] | None:
    return value if isinstance(value, dict) else None


# Former constants, kept as names for importers: the text is in channels/messages.yml,
# read on first use (see __getattr__).
TEXTS = {"APOLOGY": "app.apology"}


def __getattr__(name: str) -> str:
    """The former constants in TEXTS, read from channels/messages.yml on first use."""
    if name in TEXTS:
        return say(TEXTS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
