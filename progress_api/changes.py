"""The change feed's records (docs/progress-api.yaml, `GET /v1/changes`), parsed strictly.

A change names the application by number (the reminder notifier matches it against
subscriptions by a salted hash) and never carries the applicant's data. `number` is
kept out of `repr` so a change cannot reach a log line by accident.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

from progress_api import numbers

CHINA = timezone(timedelta(hours=8))
STAGES = ("submitted", "accepted", "review", "decision", "delivery")


class FeedFormatError(ValueError):
    """The feed answered, but not with the documented JSON."""


@dataclass(frozen=True)
class StageChange:
    number: str = field(repr=False)
    item_code: str
    item_name: str
    stage: str
    stage_name: str
    completed: bool
    at: datetime  # aware

    @property
    def at_utc(self) -> datetime:
        """Naive UTC, how the reminder tables store times."""
        return self.at.astimezone(timezone.utc).replace(tzinfo=None)

    @property
    def at_local(self) -> datetime:
        return self.at.astimezone(CHINA).replace(tzinfo=None)


@dataclass(frozen=True)
class ChangePage:
    changes: tuple[StageChange, ...]
    next_cursor: str
    has_more: bool


def parse_page(data: Any) -> ChangePage:
    try:
        cursor, more = data["next_cursor"], data["has_more"]
        if not isinstance(cursor, str) or not cursor or not isinstance(more, bool):
            raise ValueError("cursor")
        return ChangePage(tuple(_change(entry) for entry in data["changes"]), cursor, more)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise FeedFormatError("schema") from None


def _change(entry: Any) -> StageChange:
    number = entry["number"]
    if not isinstance(number, str) or not numbers.is_valid(number) or entry["stage"] not in STAGES:
        raise ValueError("change")
    at = datetime.fromisoformat(str(entry["at"]).replace("Z", "+00:00"))
    if at.tzinfo is None:
        at = at.replace(tzinfo=CHINA)  # the API's times are Chongqing local
    return StageChange(number=number, item_code=str(entry["item"]["code"]), item_name=str(entry["item"]["name"]),
                       stage=entry["stage"], stage_name=str(entry["stage_name"]),
                       completed=entry["status"] == "completed", at=at)
