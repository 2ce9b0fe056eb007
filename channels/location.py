"""A shared location as a turn of the conversation, for every channel that receives one.

The channel does not look the district up (it knows no regions; channels never import
`knowledge`): it hands the coordinates and the label to the action server as the
message's metadata, under the intent `share_location` given as the message's parse
data. The NLU model never sees such a message and cannot predict that intent, and no
text a user types produces it ("/share_location" typed anywhere stays text, see
bot/nlu/normalizer.py; the REST channel drops metadata), so only a channel that
received a location from its platform can start `action_share_location`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

INTENT = "share_location"
METADATA_KEY = "location"
NO_LABEL_TEXT = "[location]"  # the text kept in the conversation when the location has no label
MAX_LABEL_CHARS = 200


@dataclass(frozen=True)
class SharedLocation:
    """What a platform said about where the user is. Coordinates are None when unreadable
    (the action then says so); `quiet` locations (a background report, or one that comes
    with a question) update the district without a reply of their own."""

    latitude: float | None
    longitude: float | None
    label: str | None
    system: str  # "gcj02" or "wgs84" (knowledge.geo)
    source: str  # "wechat_message", "wechat_report", "app"
    quiet: bool = False

    def metadata(self) -> dict[str, Any]:
        return {"latitude": self.latitude, "longitude": self.longitude, "label": self.label,
                "coordinate_system": self.system, "source": self.source, "quiet": self.quiet}

    @property
    def text(self) -> str:
        return self.label or NO_LABEL_TEXT


def number(raw: Any) -> float | None:
    """A coordinate from the platform's text or number; None when it is not a finite number."""
    if isinstance(raw, bool):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError):
        return None
    return value if value == value and value not in (float("inf"), float("-inf")) else None


def clean_label(raw: Any) -> str | None:
    if not isinstance(raw, str):
        return None
    text = "".join(ch for ch in raw if ch.isprintable()).strip()[:MAX_LABEL_CHARS]
    return text or None


def location_message(location: SharedLocation, output: OutputChannel, sender_id: str, *, input_channel: str,
                     message_id: str | None, metadata: dict[str, Any]) -> UserMessage:
    """The user turn that carries a location (the channel's own metadata kept beside it)."""
    parse_data = {"text": location.text, "intent": {"name": INTENT, "confidence": 1.0}, "entities": [],
                  "intent_ranking": [{"name": INTENT, "confidence": 1.0}]}
    return UserMessage(location.text, output, sender_id, parse_data=parse_data, input_channel=input_channel,
                       message_id=message_id, metadata={**metadata, METADATA_KEY: location.metadata()})
