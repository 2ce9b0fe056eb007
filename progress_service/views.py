"""The public JSON form of an application: stage, timeline, overdue state, masked person.

This is the only function that turns a `StoredApplication` into output, so masking
cannot be skipped by a new route. Overdue is computed when asked, against the
service's clock: it is a fact about "now", not something to store.
"""
from __future__ import annotations

from datetime import date, datetime

from progress_api.masking import mask_name, mask_phone
from progress_service.repository import StoredApplication

# (key, 中文名称, attribute) in order; the current stage is the last one reached.
STAGES: tuple[tuple[str, str, str], ...] = (
    ("submitted", "申请", "submitted_at"),
    ("accepted", "受理", "accepted_at"),
    ("review", "审查", "review_at"),
    ("decision", "决定", "decided_at"),
    ("delivery", "制证/送达", "delivered_at"),
)
TZ_SUFFIX = "+08:00"


def iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.replace(microsecond=0).isoformat() + TZ_SUFFIX


def current_stage(app: StoredApplication) -> int:
    reached = [i for i, (_, _, attr) in enumerate(STAGES) if getattr(app, attr) is not None]
    return reached[-1] if reached else 0


def overdue_days(app: StoredApplication, today: date) -> int:
    """Days past the promised date: until today while open, until delivery once done."""
    if app.promised_date is None:
        return 0
    end = app.delivered_at.date() if app.delivered_at else today
    return max(0, (end - app.promised_date).days)


def public_view(app: StoredApplication, today: date) -> dict:
    stage = current_stage(app)
    completed = app.delivered_at is not None
    timeline = []
    for i, (key, name, attr) in enumerate(STAGES):
        if i < stage or (i == stage and completed):
            status = "done"
        elif i == stage:
            status = "current"
        else:
            status = "pending"
        timeline.append({"stage": key, "name": name, "status": status, "at": iso(getattr(app, attr))})
    late = overdue_days(app, today)
    return {
        "number": app.number,
        "item": {"code": app.item_code, "name": app.item_name},
        "handling_body": {"name": app.body_name, "phone": app.body_phone, "region": app.region},
        "supervision_phone": app.supervision_phone,
        "stage": STAGES[stage][0],
        "stage_name": STAGES[stage][1],
        "status": "completed" if completed else "in_progress",
        "timeline": timeline,
        "submitted_at": iso(app.submitted_at),
        "promised_limit": app.promised_limit,
        "promised_date": app.promised_date.isoformat() if app.promised_date else None,
        "completed_at": iso(app.delivered_at),
        "overdue": late > 0,
        "overdue_days": late,
        "applicant": {"name": mask_name(app.applicant_name), "phone": mask_phone(app.applicant_phone)},
    }
