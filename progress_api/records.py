"""The records of one application as the progress API reports it (docs/progress-api.yaml).

Frozen dataclasses rather than dicts so the actions and renderers cannot grow fields the
API does not promise, and so personal data is excluded from `repr` (it must never reach
a log line by accident).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class TimelineStep:
    stage: str  # submitted | accepted | review | decision | delivery
    name: str  # 申请 受理 审查 决定 制证/送达
    status: str  # done | current | pending
    at: datetime | None


@dataclass(frozen=True)
class Application:
    """One application as the platform reports it; personal data is masked."""

    number: str = field(repr=False)
    item_code: str
    item_name: str
    body_name: str
    body_phone: str
    region: str
    supervision_phone: str
    stage: str
    stage_name: str
    completed: bool
    timeline: tuple[TimelineStep, ...]
    submitted_at: datetime
    promised_limit: str
    promised_date: date | None
    completed_at: datetime | None
    overdue: bool
    overdue_days: int
    applicant_name: str = field(repr=False)
    applicant_phone: str = field(repr=False)
