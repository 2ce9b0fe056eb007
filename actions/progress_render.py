"""Progress answers as short text: stage, a short timeline, body and phone, promised date.

The wording is in answers/templates.yml (progress.*); this module picks the facts.
"""
from __future__ import annotations

from answers.templates import say
from progress_api.records import Application

STATUS_MARK = {"done": "✓", "current": "▶", "pending": "·"}


def masked_number(number: str) -> str:
    """CQ202605140001233 → CQ2026****1233: enough to recognise, not enough to reuse."""
    return f"{number[:6]}****{number[-4:]}" if len(number) > 10 else "****"


def render_application(app: Application) -> str:
    lines = [say("progress.heading", item=app.item_name, number=masked_number(app.number)),
             say("progress.stage", stage=app.stage_name, completed=say("progress.completed") if app.completed else "")]
    for step in app.timeline:
        when = step.at.strftime("%m-%d %H:%M") if step.at else ""
        lines.append(say("progress.step", mark=STATUS_MARK.get(step.status, "·"), name=step.name, when=when).rstrip())
    lines.append(say("progress.body", body=app.body_name, phone=app.body_phone))
    if app.promised_date:
        lines.append(say("progress.promised", date=app.promised_date.isoformat(), limit=app.promised_limit))
    if app.overdue:
        lines.append(say("progress.overdue", days=app.overdue_days, phone=app.supervision_phone))
    lines.append(say("progress.applicant", name=app.applicant_name, phone=app.applicant_phone))
    return "\n".join(lines)


def render_list(apps: list[Application]) -> str:
    if not apps:
        return say("progress.none_listed")
    lines = [say("progress.list_heading", count=len(apps))]
    for index, app in enumerate(apps[:10], 1):
        overdue = say("progress.list_overdue") if app.overdue else ""
        lines.append(say("progress.list_line", number=index, item=app.item_name, masked=masked_number(app.number),
                         stage=app.stage_name, overdue=overdue))
    return "\n".join(lines)
