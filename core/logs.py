"""Structured logs: one JSON object per line, personal data masked (pure standard library).

Every record becomes {"time", "level", "service", "logger", "message"} plus "request"
(the request id of the HTTP request being served), "sender" (a salted hash of the
conversation id, never the id itself) and "exc" (the traceback) when present. The
message, its arguments and the traceback all go through core.personal_data.

Used by every process: `configure(service)` at start (action server, progress service,
console, Rasa through channels.ops), and `deploy/logging/rasa.yml` for
`rasa run --logging-config-file` (dictConfig with the formatter below).
"""
from __future__ import annotations

import contextvars
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterable

from core.identity import sender_hash
from core.personal_data import mask_text

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("yuban_request_id", default=None)
sender_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("yuban_sender_id", default=None)
# Other identifiers of the conversation being served (WeChat openid, app conversation id):
# replaced by their hash wherever a message mentions them, like the sender id.
other_ids: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("yuban_other_ids", default=())
MIN_ID_CHARS = 4  # shorter ids would replace ordinary words

# Loggers of the web frameworks bring their own handlers; they are routed to ours instead.
FRAMEWORK_LOGGERS = ("sanic.root", "sanic.error", "sanic.access", "sanic.server", "aiohttp.access", "channels", "bot",
                     "aiohttp.server", "aiohttp.web", "rasa_sdk", "rasa")

# Rasa names conversations in its messages ("Issuing ticket for conversation 'x'", "Tracker
# with sender_id 'x'"), also for requests whose body the middleware cannot read (streamed).
_ID_MENTION = re.compile(r"((?:conversation|sender[_ ]id|conversation[_ ]id)\s*[=:]?\s*['\"])([^'\"\s]{1,200})(['\"])",
                         re.IGNORECASE)
# Rasa's structlog events and many libraries log JSON with non-ASCII escaped (\u6211…), and
# Python's repr of bytes shows UTF-8 as \xe6\x88\x91: both are decoded before masking, so
# the patterns see the characters and their real neighbours (surrogates stay escaped).
_ESCAPED = re.compile(r"\\u(?![dD][89a-fA-F])([0-9a-fA-F]{4})")
_BYTES = re.compile(r"(?:\\x[0-9a-fA-F]{2})+")


def set_conversation(sender: str | None, *others: str | None) -> None:
    """Remember who the current request is about, for hashing in every line it logs."""
    sender_id.set(sender if isinstance(sender, str) and sender else None)
    other_ids.set(tuple(value for value in others if isinstance(value, str) and len(value) >= MIN_ID_CHARS))


def _decode_bytes(match: re.Match) -> str:
    raw = bytes(int(part, 16) for part in match.group(0).split("\\x")[1:])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return match.group(0)


def unescape_unicode(text: str) -> str:
    """`\\uXXXX` and UTF-8 `\\xNN` escapes as the characters they stand for."""
    if "\\u" in text:
        text = _ESCAPED.sub(lambda match: chr(int(match.group(1), 16)), text)
    if "\\x" in text:
        text = _BYTES.sub(_decode_bytes, text)
    return text


def mask_log_text(text: str) -> str:
    return mask_text(unescape_unicode(text))


def hash_id(value: str | None) -> str | None:
    """The short form of the one sender hash: lines of one conversation can be followed, the id is not shown."""
    if not value:
        return None
    return sender_hash(value)[:16]


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON line with personal data masked."""

    def __init__(self, service: str = "yuban", **_ignored) -> None:
        super().__init__()
        self.service = service

    @staticmethod
    def _hide_ids(text: str) -> str:
        for value in sorted({sender_id.get() or "", *other_ids.get()}, key=len, reverse=True):
            if len(value) >= MIN_ID_CHARS and value in text:
                text = text.replace(value, f"#{hash_id(value)}")
        return _ID_MENTION.sub(lambda m: m.group(1) + (m.group(2) if m.group(2).startswith("#")
                                                       else f"#{hash_id(m.group(2))}") + m.group(3), text)

    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 — a bad format string must not lose the line
            message = f"{record.msg!r} {record.args!r}"
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(record.created)) + f".{int(record.msecs):03d}",
            "level": record.levelname,
            "service": self.service,
            "logger": record.name,
            "message": self._hide_ids(mask_log_text(message)),
        }
        request = getattr(record, "request_id", None) or request_id.get()
        if request:
            entry["request"] = request
        sender = getattr(record, "sender_id", None) or sender_id.get()
        if sender:
            entry["sender"] = hash_id(sender)
        if record.exc_info:
            entry["exc"] = self._hide_ids(mask_log_text(self.formatException(record.exc_info)))
        elif record.exc_text:
            entry["exc"] = self._hide_ids(mask_log_text(record.exc_text))
        if record.stack_info:
            entry["stack"] = mask_log_text(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


def json_handler(service: str, stream=None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter(service))
    handler.set_name("yuban-json")
    return handler


def configure(service: str, level: str | int | None = None, stream=None,
              extra_handlers: Iterable[logging.Handler] = ()) -> None:
    """Make JSON lines the only log output of this process.

    Replaces the root handlers (coloredlogs, basicConfig, Sanic's defaults) and makes the
    framework loggers propagate to the root, so nothing is written unmasked. Safe to call
    again (Rasa configures its logging after our config file is read; channels.ops calls
    this once more when the server is built).
    """
    level = level or os.environ.get("YUBAN_LOG_LEVEL") or os.environ.get("LOG_LEVEL") or "INFO"
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    root.addHandler(json_handler(service, stream))
    for handler in extra_handlers:  # e.g. monitoring.metrics.ErrorLogCounter (monitoring/logs.py)
        root.addHandler(handler)
    root.setLevel(level)
    for name in FRAMEWORK_LOGGERS:
        framework = logging.getLogger(name)
        for handler in list(framework.handlers):
            framework.removeHandler(handler)
        framework.propagate = True
    logging.captureWarnings(True)
