"""Progress answers as short text: stage, a short timeline, body and phone, promised date."""
from __future__ import annotations

from progress_api.records import Application

STATUS_MARK = {"done": "✓", "current": "▶", "pending": "·"}


def masked_number(number: str) -> str:
    """CQ202605140001233 → CQ2026****1233: enough to recognise, not enough to reuse."""
    return f"{number[:6]}****{number[-4:]}" if len(number) > 10 else "****"


def render_application(app: Application) -> str:
    lines = [f"【办件进度】{app.item_name}（编号 {masked_number(app.number)}）",
             f"当前环节：{app.stage_name}" + ("（已办结）" if app.completed else "")]
    for step in app.timeline:
        when = step.at.strftime("%m-%d %H:%M") if step.at else ""
        lines.append(f"{STATUS_MARK.get(step.status, '·')} {step.name} {when}".rstrip())
    lines.append(f"办理部门：{app.body_name}（{app.body_phone}）")
    if app.promised_date:
        lines.append(f"承诺办结：{app.promised_date.isoformat()}（{app.promised_limit}）")
    if app.overdue:
        lines.append(f"该办件已超过承诺时限 {app.overdue_days} 天。可拨打监督电话 {app.supervision_phone} 或 12345 反映。")
    lines.append(f"申请人：{app.applicant_name}，{app.applicant_phone}")
    return "\n".join(lines)


def render_list(apps: list[Application]) -> str:
    if not apps:
        return "您的账号下暂时没有查到办件。"
    lines = [f"您名下共有 {len(apps)} 件办件："]
    for index, app in enumerate(apps[:10], 1):
        overdue = "，已超期" if app.overdue else ""
        lines.append(f"{index}. {app.item_name}（{masked_number(app.number)}）：{app.stage_name}{overdue}")
    return "\n".join(lines)
