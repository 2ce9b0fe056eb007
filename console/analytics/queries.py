"""Dashboard figures (效能) over the turns table, for a range of local (Asia/Shanghai) days.

Definitions (docs/console.md, section Dashboard):
- a turn is one user message; a conversation is one Rasa session of one sender;
- question turns are turns of kind "question" (not greetings/thanks/feedback, not form
  answers, not progress or handoff requests): the answered and fallback rates use them;
- answered: a guide or bundle reply; fallback: nlu_fallback or not_found without an answer;
- handoff rate: conversations with a handoff reply / conversations;
- usefulness: 有用 / (有用 + 没用) feedback;
- response time: user event → last bot event of the turn, percentiles by nearest rank;
- progress: applications shown in progress replies, and the overdue share among them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, case, distinct, func, select
from sqlalchemy.orm import Session

from console.analytics.tables import TurnRow
from console.messages import message

PERCENTILES = (50, 90, 95, 99)
TOP_ITEMS = 10


class RangeError(ValueError):
    """A date range that cannot be queried; the message is for the user."""


@dataclass(frozen=True)
class DayRange:
    start: date
    end: date  # inclusive

    MAX_DAYS = 366

    @classmethod
    def parse(cls, start: str | None, end: str | None, today: date) -> DayRange:
        """From `YYYY-MM-DD` strings; the default is the last 7 days up to today."""
        try:
            end_day = date.fromisoformat(end) if end else today
            start_day = date.fromisoformat(start) if start else end_day - timedelta(days=6)
        except ValueError:
            raise RangeError(message("dates.bad_format")) from None
        if start_day > end_day:
            raise RangeError(message("dates.reversed"))
        if (end_day - start_day).days + 1 > cls.MAX_DAYS:
            raise RangeError(message("dates.too_long", days=cls.MAX_DAYS))
        return cls(start_day, end_day)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


def _in_range(days: DayRange):
    return and_(TurnRow.day >= days.start, TurnRow.day <= days.end)


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _count_if(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def percentile(sorted_values: list[int], p: float) -> int | None:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    if not sorted_values:
        return None
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[rank - 1]


def totals(session: Session, days: DayRange) -> dict[str, Any]:
    question = TurnRow.kind == "question"
    row = session.execute(select(
        func.count().label("turns"),
        func.count(distinct(TurnRow.conversation)).label("conversations"),
        _count_if(question).label("questions"),
        _count_if(and_(question, TurnRow.answered)).label("answered"),
        _count_if(and_(question, ~TurnRow.answered, TurnRow.nlu_fallback | TurnRow.not_found)).label("fallback"),
        _count_if(TurnRow.intent == "feedback_useful").label("useful"),
        _count_if(TurnRow.intent == "feedback_useless").label("useless"),
        _count_if(TurnRow.progress_answers > 0).label("progress_queries"),
        func.coalesce(func.sum(TurnRow.progress_answers), 0).label("progress_applications"),
        func.coalesce(func.sum(TurnRow.progress_overdue), 0).label("progress_overdue"),
    ).where(_in_range(days))).one()
    handoff_conversations = session.scalar(select(func.count(distinct(TurnRow.conversation))).where(
        _in_range(days), TurnRow.handoff_reason.is_not(None))) or 0
    values = {key: int(value or 0) for key, value in row._mapping.items()}
    values["handoff_conversations"] = int(handoff_conversations)
    values["answered_rate"] = _ratio(values["answered"], values["questions"])
    values["fallback_rate"] = _ratio(values["fallback"], values["questions"])
    values["handoff_rate"] = _ratio(values["handoff_conversations"], values["conversations"])
    values["usefulness_rate"] = _ratio(values["useful"], values["useful"] + values["useless"])
    values["overdue_share"] = _ratio(values["progress_overdue"], values["progress_applications"])
    return values


def by_channel(session: Session, days: DayRange) -> list[dict[str, Any]]:
    rows = session.execute(select(TurnRow.channel, func.count(), func.count(distinct(TurnRow.conversation)))
                           .where(_in_range(days)).group_by(TurnRow.channel).order_by(func.count().desc(), TurnRow.channel))
    return [{"channel": channel, "turns": turns, "conversations": conversations} for channel, turns, conversations in rows]


def by_district(session: Session, days: DayRange) -> list[dict[str, Any]]:
    district = func.coalesce(TurnRow.district, message("labels.no_district"))
    rows = session.execute(select(district, func.count()).where(_in_range(days)).group_by(district)
                           .order_by(func.count().desc(), district))
    return [{"district": name, "turns": turns} for name, turns in rows]


def by_hour(session: Session, days: DayRange) -> list[dict[str, Any]]:
    counts = dict(session.execute(select(TurnRow.hour, func.count()).where(_in_range(days)).group_by(TurnRow.hour)).all())
    return [{"hour": hour, "turns": int(counts.get(hour, 0))} for hour in range(24)]


def by_day(session: Session, days: DayRange) -> list[dict[str, Any]]:
    rows = session.execute(select(TurnRow.day, func.count(), func.count(distinct(TurnRow.conversation)),
                                  _count_if(and_(TurnRow.kind == "question", TurnRow.answered)),
                                  _count_if(TurnRow.kind == "question"))
                           .where(_in_range(days)).group_by(TurnRow.day))
    found = {day: (turns, conversations, answered, questions) for day, turns, conversations, answered, questions in rows}
    result = []
    for day in days.days():
        turns, conversations, answered, questions = found.get(day, (0, 0, 0, 0))
        result.append({"day": day.isoformat(), "turns": int(turns), "conversations": int(conversations),
                       "answered_rate": _ratio(int(answered), int(questions))})
    return result


def top_items(session: Session, days: DayRange, limit: int = TOP_ITEMS) -> list[dict[str, Any]]:
    rows = session.execute(select(TurnRow.item_code, func.max(TurnRow.item_name), func.count())
                           .where(_in_range(days), TurnRow.answered, TurnRow.item_code.is_not(None))
                           .group_by(TurnRow.item_code).order_by(func.count().desc(), TurnRow.item_code).limit(limit))
    return [{"item_code": code, "item_name": name, "answers": count} for code, name, count in rows]


def handoff_reasons(session: Session, days: DayRange) -> list[dict[str, Any]]:
    rows = session.execute(select(TurnRow.handoff_reason, func.count()).where(
        _in_range(days), TurnRow.handoff_reason.is_not(None)).group_by(TurnRow.handoff_reason)
        .order_by(func.count().desc(), TurnRow.handoff_reason))
    return [{"reason": reason, "turns": turns} for reason, turns in rows]


def response_times(session: Session, days: DayRange) -> dict[str, Any]:
    values = sorted(session.scalars(select(TurnRow.response_ms).where(
        _in_range(days), TurnRow.response_ms.is_not(None))))
    result: dict[str, Any] = {f"p{p}": percentile(values, p) for p in PERCENTILES}
    result["count"] = len(values)
    result["mean"] = round(sum(values) / len(values)) if values else None
    return result


def dashboard(session: Session, days: DayRange) -> dict[str, Any]:
    """Everything the dashboard page draws, as JSON-ready data."""
    return {"from": days.start.isoformat(), "to": days.end.isoformat(), "totals": totals(session, days),
            "by_channel": by_channel(session, days), "by_district": by_district(session, days),
            "by_hour": by_hour(session, days), "by_day": by_day(session, days),
            "top_items": top_items(session, days), "handoff_reasons": handoff_reasons(session, days),
            "response_ms": response_times(session, days)}
