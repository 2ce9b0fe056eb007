"""Progress cards for channels that render natively (the 渝快办 app).

They carry personal data masked exactly as the text answers (actions/progress_render.py) do.
They stay beside the progress client rather than in the answers package because they are
built from the platform's application records, which the answers package must not import.
"""
from __future__ import annotations

from typing import Any

from progress_api.records import Application
from actions.progress_render import masked_number


def progress_card(app: Application) -> dict[str, Any]:
    """One application's progress; the number and the applicant are masked."""
    return {
        "number": masked_number(app.number),
        "item_code": app.item_code,
        "item_name": app.item_name,
        "stage": app.stage,
        "stage_name": app.stage_name,
        "completed": app.completed,
        "timeline": [{"stage": s.stage, "name": s.name, "status": s.status,
                      "at": _chongqing(s.at)} for s in app.timeline],
        "body": {"name": app.body_name, "phone": app.body_phone},
        "region": app.region,
        "submitted_at": _chongqing(app.submitted_at),
        "promised_limit": app.promised_limit,
        "promised_date": app.promised_date.isoformat() if app.promised_date else None,
        "completed_at": _chongqing(app.completed_at),
        "overdue": app.overdue,
        "overdue_days": app.overdue_days,
        "supervision_phone": app.supervision_phone,
        "applicant": {"name": app.applicant_name, "phone": app.applicant_phone},
    }


def _chongqing(moment) -> str | None:
    """RFC 3339 (the card's `date-time`): the records hold Chongqing wall-clock time."""
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "+08:00"


def progress_list(apps: list[Application], limit: int = 10) -> list[dict[str, Any]]:
    """A verified user's applications (as many as the text lists), masked."""
    return [{"number": masked_number(a.number), "item_code": a.item_code, "item_name": a.item_name,
             "stage": a.stage, "stage_name": a.stage_name, "completed": a.completed, "overdue": a.overdue,
             "promised_date": a.promised_date.isoformat() if a.promised_date else None} for a in apps[:limit]]
