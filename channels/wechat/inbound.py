"""What an incoming WeChat message asks of the assistant.

Text and recognised voice go to the bot; a menu click goes to the bot as the text its
EventKey maps to (a whitelist); a subscription gets the welcome text; an unsubscription
and other events get nothing (a subscribe-popup answer and an unsubscription also update
the progress reminders: channels/wechat/reminder_events.py); any other message type gets a polite request for text.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from channels.location import SharedLocation, clean_label, number
from channels.wechat.config import WeChatConfig
from channels.wechat.errors import WeChatRequestError
from channels.messages import say
from channels.wechat.reminder_events import ReminderEvent, reminder_event

MAX_OPENID_LENGTH = 128


@dataclass(frozen=True)
class Inbound:
    """One message from WeChat, reduced to what the channel does with it.

    Exactly one of `text` (ask the bot) and `reply` (a fixed answer) is set, or neither
    (acknowledge silently).
    """

    openid: str
    account: str
    dedup_key: str
    kind: str
    text: str | None = None
    reply: str | None = None
    msg_id: str | None = None
    location: SharedLocation | None = None  # a location message or report (channels/location.py)
    reminder: ReminderEvent | None = None  # consents given or revoked (subscribe messages)

    @property
    def silent(self) -> bool:
        return self.text is None and self.reply is None and self.location is None


def classify(xml: bytes, config: WeChatConfig) -> Inbound:
    """Parse with wechatpy and decide; a message without a sender is a 400."""
    from wechatpy import parse_message
    from wechatpy.events import EVENT_TYPES, BaseEvent, ClickEvent, UnsubscribeEvent
    from wechatpy.messages import TextMessage, VoiceMessage

    try:
        message = parse_message(xml)
    except Exception as error:  # noqa: BLE001 - wechatpy raises KeyError/TypeError/AttributeError
        raise WeChatRequestError(400, f"not a WeChat message ({type(error).__name__})") from None
    if message is None:
        raise WeChatRequestError(400, "empty message")
    openid = _field(message, "source")
    if not openid or len(openid) > MAX_OPENID_LENGTH or not openid.isprintable():
        raise WeChatRequestError(400, "missing or malformed FromUserName")
    account = _field(message, "target")
    msg_id = _raw(message, "MsgId")
    created = _raw(message, "CreateTime")
    if msg_id:
        key = f"msg:{msg_id}"
    elif created:
        key = f"event:{openid}:{created}"
    else:
        key = "body:" + hashlib.sha256(xml).hexdigest()

    def make(kind: str, text: str | None = None, reply: str | None = None,
             location: SharedLocation | None = None) -> Inbound:
        return Inbound(openid, account, key, kind, text=text, reply=reply, msg_id=msg_id or None, location=location)

    if isinstance(message, TextMessage):
        content = _field(message, "content").strip()
        return make("text", text=content) if content else make("text", reply=say("wechat.please_send_text"))
    if isinstance(message, VoiceMessage):
        recognition = _field(message, "recognition").strip()
        return make("voice", text=recognition) if recognition else make("voice", reply=say("wechat.voice_not_recognised"))
    reminder = reminder_event(getattr(message, "_data", {}) or {})
    if reminder is not None:
        return Inbound(openid, account, key, "reminder", msg_id=msg_id or None, reminder=reminder)
    subscribe_classes = tuple(cls for name, cls in EVENT_TYPES.items() if name.startswith("subscribe"))
    if isinstance(message, subscribe_classes):
        return make("subscribe", reply=config.welcome_text)
    if isinstance(message, UnsubscribeEvent):
        return make("unsubscribe")
    if isinstance(message, ClickEvent):
        text = config.menu.get(_field(message, "key"))
        return make("click", text=text) if text else make("click", reply=say("wechat.please_send_text"))
    location = _location(message)
    if location is not None:
        kind = "location_report" if location.quiet else "location"
        return make(kind, text=None if location.quiet else location.text, location=location)
    if isinstance(message, BaseEvent) or _raw(message, "MsgType").lower() == "event":
        return make("event")  # menu links, location reports, job notices: nothing to say
    return make("unsupported", reply=say("wechat.please_send_text"))


def _location(message: Any) -> SharedLocation | None:
    """A location message (Location_X is the latitude) or the LOCATION event WeChat reports
    when the user allowed it (answered with nothing: it arrives on every visit). WeChat's
    coordinates are GCJ-02."""
    from wechatpy.events import LocationEvent
    from wechatpy.messages import LocationMessage

    data = getattr(message, "_data", {})
    if isinstance(message, LocationMessage):
        return SharedLocation(number(data.get("Location_X")), number(data.get("Location_Y")),
                              clean_label(data.get("Label")), "gcj02", "wechat_message")
    if isinstance(message, LocationEvent):
        return SharedLocation(number(data.get("Latitude")), number(data.get("Longitude")), None, "gcj02",
                              "wechat_report", quiet=True)
    return None


def _field(message: Any, name: str) -> str:
    """A wechatpy field as text, or "" when absent or not plain text."""
    try:
        value = getattr(message, name)
    except (TypeError, ValueError):
        return ""
    return value if isinstance(value, str) else ""


def _raw(message: Any, tag: str) -> str:
    value = getattr(message, "_data", {}).get(tag)
    if isinstance(value, str) and value.isprintable() and len(value) <= 64:
        return value.strip()
    return ""


# Former constants, kept as names for importers: the text is in channels/messages.yml,
# read on first use (see __getattr__).
TEXTS = {"PLEASE_SEND_TEXT": "wechat.please_send_text", "VOICE_NOT_RECOGNISED": "wechat.voice_not_recognised"}


def __getattr__(name: str) -> Any:
    """The former constants in TEXTS, read from channels/messages.yml on first use."""
    if name in TEXTS:
        return say(TEXTS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
