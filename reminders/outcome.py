"""What a send attempt came to, as the notifier acts on it."""
from __future__ import annotations

from enum import Enum


class Outcome(Enum):
    SENT = "sent"  # the channel accepted the message
    RETRY = "retry"  # it did not reach the user (connection refused, 5xx, busy): try again later
    NO_CONSENT = "no_consent"  # WeChat: the user has no consent left (43101): keep the news
    UNKNOWN = "unknown"  # it may have reached the user (WeChat timeout): never resend
    FAILED = "failed"  # refused for good (4xx, bad template): give up, logged
    GONE = "gone"  # app: 410, the user wants no more reminders: remove theirs
