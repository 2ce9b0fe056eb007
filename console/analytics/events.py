"""Reading Rasa's events: what a user message, a bot reply or a slot says for the dashboard.

Pure functions over the JSON that Rasa's SQL event broker stores in `events.data`; the
definitions they implement are written down in docs/console.md (section Dashboard).
"""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from core.identity import sender_hash  # noqa: F401 - the dashboard's tables key conversations by it
from knowledge.normalize import compact
from console.messages import message

try:
    from zoneinfo import ZoneInfo

    LOCAL_TZ = ZoneInfo("Asia/Shanghai")
except Exception:  # noqa: BLE001 - no tz database: China has kept UTC+8 without DST since 1991
    LOCAL_TZ = timezone(timedelta(hours=8), "Asia/Shanghai")

FALLBACK_INTENT = "nlu_fallback"
FEEDBACK_INTENTS = {"feedback_useful": "useful", "feedback_useless": "useless"}
COURTESY_INTENTS = frozenset({"greet", "goodbye", "thanks", "stop", *FEEDBACK_INTENTS})
PROGRESS_INTENTS = frozenset({"query_progress"})
REQUEST_INTENTS = frozenset({"request_human", "complain"})
ANSWER_TYPES = frozenset({"guide", "bundle"})

MAX_TEXT = 500
MAX_KEY = 200
_LONG_NUMBER = re.compile(r"\d{6,}")  # phone, ID card and application numbers never reach the tables


def parse(data: str | bytes | None) -> dict[str, Any] | None:
    """The event as a dict, or None when the row is not a JSON object (never stops ingestion)."""
    try:
        event = json.loads(data or "")
    except (TypeError, ValueError):
        return None
    return event if isinstance(event, dict) else None


def event_time(event: dict[str, Any]) -> datetime | None:
    """The event's time as naive UTC."""
    stamp = event.get("timestamp")
    if not isinstance(stamp, (int, float)) or isinstance(stamp, bool):
        return None
    try:
        return datetime.fromtimestamp(stamp, timezone.utc).replace(tzinfo=None)
    except (OverflowError, OSError, ValueError):
        return None


def local_day_hour(at_utc: datetime) -> tuple[date, int]:
    local = at_utc.replace(tzinfo=timezone.utc).astimezone(LOCAL_TZ)
    return local.date(), local.hour


def local_minute(at_utc: datetime) -> str:
    """A naive UTC time as Chongqing wall-clock time, to the minute (for people)."""
    return at_utc.replace(tzinfo=timezone.utc).astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")


def local_today(now_utc: datetime | None = None) -> date:
    now_utc = now_utc or datetime.now(timezone.utc).replace(tzinfo=None)
    return local_day_hour(now_utc)[0]


def intent_of(event: dict[str, Any]) -> tuple[str | None, float | None]:
    """(intent name, confidence of the best real intent).

    When the FallbackClassifier fires, the intent is nlu_fallback with the threshold as
    its confidence; the confidence kept is the one of the best intent it overruled.
    """
    parse_data = event.get("parse_data") or {}
    intent = parse_data.get("intent") or {}
    name = intent.get("name") if isinstance(intent, dict) else None
    confidence = intent.get("confidence") if isinstance(intent, dict) else None
    if name == FALLBACK_INTENT:
        ranked = [r for r in parse_data.get("intent_ranking") or []
                  if isinstance(r, dict) and r.get("name") != FALLBACK_INTENT]
        confidence = max((r.get("confidence") or 0.0 for r in ranked), default=None)
    return name, float(confidence) if isinstance(confidence, (int, float)) else None


def turn_kind(intent: str | None, in_form: bool) -> str:
    """question | courtesy | form | progress | request: which rates a turn counts in."""
    if in_form:
        return "form"
    if intent in COURTESY_INTENTS:
        return "courtesy"
    if intent in PROGRESS_INTENTS:
        return "progress"
    if intent in REQUEST_INTENTS:
        return "request"
    return "question"


def scrub(text: str | None) -> str | None:
    """The user's words without long digit runs (phones, ID and application numbers)."""
    if not text:
        return None
    return _LONG_NUMBER.sub(message("labels.masked_digits"), text.strip())[:MAX_TEXT] or None


def question_key(text: str | None) -> str | None:
    """The queue groups questions by this: normalized (simplified, half-width, lower case), no punctuation."""
    key = compact(text or "")[:MAX_KEY]
    return key or None


def payloads(event: dict[str, Any]) -> list[dict[str, Any]]:
    """The machine-readable payloads (`custom`) of a bot event."""
    custom = (event.get("data") or {}).get("custom")
    if isinstance(custom, dict):
        return [custom]
    if isinstance(custom, list):
        return [c for c in custom if isinstance(c, dict)]
    return []
