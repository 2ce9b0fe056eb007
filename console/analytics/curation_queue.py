"""The curation queue: questions the assistant could not answer well, grouped by their normalized text.

A turn enters the queue for one reason, the first that applies:
not_found (no catalog item matched), fallback (nlu_fallback and no answer), useless (the
user said 没用 right after it), low_confidence (the best intent was below the threshold).
Only question turns with stored text count (never form answers). A group the content
team dealt with (alias added, or marked resolved) is hidden until the question comes
back after that moment.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from console.analytics.queries import DayRange
from console.analytics.tables import QueueStateRow, TurnRow
from console.messages import labels

REASONS = ("not_found", "fallback", "useless", "low_confidence")
DEFAULT_THRESHOLD = 0.6
MAX_EXAMPLES = 3
DEFAULT_LIMIT = 100
STATUSES = ("alias", "resolved")


@dataclass
class QueueGroup:
    key: str
    count: int
    first_seen: datetime
    last_seen: datetime
    examples: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)
    reasons: dict[str, int] = field(default_factory=dict)
    previous: dict[str, Any] | None = None  # the earlier resolution, when the question came back

    @property
    def reason(self) -> str:
        """The most frequent reason (ties: in REASONS order)."""
        return max(REASONS, key=lambda r: (self.reasons.get(r, 0), -REASONS.index(r)))

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "count": self.count, "first_seen": self.first_seen.isoformat(timespec="seconds"),
                "last_seen": self.last_seen.isoformat(timespec="seconds"), "examples": self.examples,
                "channels": self.channels, "reasons": self.reasons, "reason": self.reason,
                "reason_label": labels("labels.queue_reasons")[self.reason], "previous": self.previous}


def reason_of(threshold: float):
    """SQL: the queue reason of a turn, or NULL when it does not belong in the queue."""
    return case(
        (TurnRow.not_found, "not_found"),
        (and_(TurnRow.nlu_fallback, ~TurnRow.answered), "fallback"),
        (TurnRow.feedback == "useless", "useless"),
        (and_(~TurnRow.nlu_fallback, TurnRow.confidence < threshold), "low_confidence"),
        else_=None,
    )


def groups(session: Session, days: DayRange, threshold: float = DEFAULT_THRESHOLD,
           limit: int = DEFAULT_LIMIT) -> list[QueueGroup]:
    """Open groups, most frequent first (then most recent)."""
    reason = reason_of(threshold)
    candidates = and_(TurnRow.kind == "question", TurnRow.question_key.is_not(None), reason.is_not(None),
                      TurnRow.day >= days.start, TurnRow.day <= days.end)
    last_seen = func.max(TurnRow.at)
    rows = session.execute(
        select(TurnRow.question_key, func.count(), func.min(TurnRow.at), last_seen)
        .outerjoin(QueueStateRow, QueueStateRow.question_key == TurnRow.question_key)
        .where(candidates)
        .group_by(TurnRow.question_key, QueueStateRow.resolved_at)
        .having(or_(QueueStateRow.resolved_at.is_(None), last_seen > QueueStateRow.resolved_at))
        .order_by(func.count().desc(), last_seen.desc(), TurnRow.question_key)
        .limit(limit)).all()
    found = {key: QueueGroup(key, int(count), first, last) for key, count, first, last in rows}
    if not found:
        return []
    keys = list(found)
    in_keys = and_(candidates, TurnRow.question_key.in_(keys))
    for key, words, _n in session.execute(
            select(TurnRow.question_key, TurnRow.text, func.max(TurnRow.at)).where(in_keys)
            .group_by(TurnRow.question_key, TurnRow.text).order_by(TurnRow.question_key, func.max(TurnRow.at).desc())):
        if len(found[key].examples) < MAX_EXAMPLES:
            found[key].examples.append(words)
    for key, channel in session.execute(select(TurnRow.question_key, TurnRow.channel).where(in_keys)
                                        .group_by(TurnRow.question_key, TurnRow.channel).order_by(TurnRow.channel)):
        found[key].channels.append(channel)
    for key, why, count in session.execute(select(TurnRow.question_key, reason, func.count()).where(in_keys)
                                           .group_by(TurnRow.question_key, reason)):
        found[key].reasons[why] = int(count)
    for state in session.scalars(select(QueueStateRow).where(QueueStateRow.question_key.in_(keys))):
        found[state.question_key].previous = state_dict(state)
    return [found[key] for key, *_rest in rows]


def state_dict(state: QueueStateRow) -> dict[str, Any]:
    return {"status": state.status, "item_code": state.item_code, "alias": state.alias,
            "resolved_by": state.resolved_by, "resolved_at": state.resolved_at.isoformat(timespec="seconds")}


def mark(session: Session, key: str, status: str, by: str, now: datetime, item_code: str | None = None,
         alias: str | None = None) -> QueueStateRow:
    """Record that a group was dealt with; a later occurrence of the question reopens it."""
    if status not in STATUSES:
        raise ValueError(f"unknown queue status {status!r}")
    state = session.get(QueueStateRow, key)
    if state is None:
        state = QueueStateRow(question_key=key)
        session.add(state)
    state.status, state.item_code, state.alias = status, item_code, alias
    state.resolved_by, state.resolved_at = by, now
    return state


def is_known_key(session: Session, key: str) -> bool:
    return session.scalar(select(func.count()).where(TurnRow.question_key == key)) > 0
