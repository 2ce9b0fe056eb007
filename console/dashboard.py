"""The dashboard (效能, docs/console.md): page, JSON for its charts, CSV export.

GET /dashboard?from=&to=          the page (editor, admin); charts drawn by Chart.js from /static/vendor
GET /api/dashboard?from=&to=      the figures as JSON
GET /api/dashboard.csv?from=&to=  the same figures as CSV (UTF-8 with BOM, opens in Excel; no cell is a formula)
Dates are local days (Asia/Shanghai), inclusive; the default is the last 7 days. Every
request first ingests what the event broker received since the last run (bounded).
Agents do not see the dashboard: it is for the content team and administrators.
"""
from __future__ import annotations

import csv
import io
from typing import Any

from aiohttp import web

from console.analytics import queries
from console.analytics.events import local_minute, local_today
from console.analytics.queries import DayRange, RangeError
from console.analytics.service import ANALYTICS, install
from console.appkeys import SETTINGS
from console.auth import require_role
from console.errors import ConsoleError, json_response
from console.templating import render

ROLES = ("editor", "admin")
CHANNEL_LABELS = {"rest": "REST 接口", "wechat": "微信公众号", "app": "渝快办 APP", "other": "其他", "unknown": "未知"}
HANDOFF_LABELS = {"user_request": "用户要求转人工", "complaint": "投诉建议", "repeated_failure": "多次未解答",
                  "out_of_scope": "超出服务范围", "unknown": "其他"}


def day_range(request: web.Request) -> DayRange:
    today = local_today(request.app[SETTINGS].now())
    try:
        return DayRange.parse(request.query.get("from") or None, request.query.get("to") or None, today)
    except RangeError as error:
        raise ConsoleError(400, "bad_range", str(error)) from None


async def figures(request: web.Request, days: DayRange) -> dict[str, Any]:
    service = request.app[ANALYTICS]
    await service.refresh()
    data = await service.query(queries.dashboard, days)
    label_rows(data)
    data["ingestion_error"] = service.last_error
    freshness = await service.query(service.freshness)
    data["ingested_until"] = freshness["last_event_id"]
    data["ingested_at"] = local_minute(freshness["updated_at"]) if freshness["updated_at"] else None
    return data


def label_rows(data: dict[str, Any]) -> None:
    """Chinese labels for channels and hand-off reasons (in place)."""
    for row in data["by_channel"]:
        row["label"] = CHANNEL_LABELS.get(row["channel"], row["channel"])
    for row in data["handoff_reasons"]:
        row["label"] = HANDOFF_LABELS.get(row["reason"], row["reason"])


@require_role(*ROLES)
async def dashboard_page(request: web.Request) -> web.Response:
    days = day_range(request)
    data = await figures(request, days)
    return render(request, "dashboard.html", data=data, days=days)


@require_role(*ROLES)
async def api_dashboard(request: web.Request) -> web.Response:
    return json_response(await figures(request, day_range(request)))


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def csv_rows(data: dict[str, Any]) -> list[list[Any]]:
    """The dashboard as (分组, 项目, 数值) rows: one table that any spreadsheet opens."""
    totals, times = data["totals"], data["response_ms"]
    rows: list[list[Any]] = [["分组", "项目", "数值"],
                             ["范围", "开始日期", data["from"]], ["范围", "结束日期", data["to"]]]
    rows += [["总览", label, totals[key]] for key, label in (
        ("conversations", "对话数"), ("turns", "用户消息数"), ("questions", "办事提问数"), ("answered", "已解答提问数"),
        ("fallback", "未解答提问数"), ("handoff_conversations", "转人工对话数"), ("useful", "“有用”反馈数"),
        ("useless", "“没用”反馈数"), ("progress_queries", "办件查询数"), ("progress_applications", "查询到的办件数"),
        ("progress_overdue", "其中超期办件数"))]
    rows += [["比率", label, _percent(totals[key])] for key, label in (
        ("answered_rate", "解答率(%)"), ("fallback_rate", "未解答率(%)"), ("handoff_rate", "转人工率(%)"),
        ("usefulness_rate", "有用率(%)"), ("overdue_share", "超期办件占比(%)"))]
    rows += [["响应时间(毫秒)", key.upper() if key.startswith("p") else {"count": "样本数", "mean": "平均"}[key],
              "" if value is None else value] for key, value in times.items()]
    rows += [["渠道·消息数", r["label"], r["turns"]] for r in data["by_channel"]]
    rows += [["渠道·对话数", r["label"], r["conversations"]] for r in data["by_channel"]]
    rows += [["区县·消息数", r["district"], r["turns"]] for r in data["by_district"]]
    rows += [["时段·消息数", f"{r['hour']:02d}时", r["turns"]] for r in data["by_hour"]]
    rows += [["日期·消息数", r["day"], r["turns"]] for r in data["by_day"]]
    rows += [["日期·对话数", r["day"], r["conversations"]] for r in data["by_day"]]
    rows += [["热门事项·解答次数", f"{r['item_name']}（{r['item_code']}）", r["answers"]] for r in data["top_items"]]
    rows += [["转人工原因", r["label"], r["turns"]] for r in data["handoff_reasons"]]
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """A text cell a spreadsheet will not run: Excel and LibreOffice read a cell that starts with
    = + - @ TAB or CR as a formula (=HYPERLINK(...) leaks data, DDE runs programs), and item
    names come from catalog files, so such a cell gets a leading apostrophe (OWASP's advice).
    Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(data: dict[str, Any]) -> str:
    """The dashboard as CSV text (UTF-8 BOM so Excel detects the encoding), every cell made safe."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    csv.writer(buffer, lineterminator="\r\n").writerows([[safe_cell(cell) for cell in row] for row in csv_rows(data)])
    return buffer.getvalue()


@require_role(*ROLES)
async def api_dashboard_csv(request: web.Request) -> web.Response:
    days = day_range(request)
    data = await figures(request, days)
    name = f"yuban-dashboard-{days.start.isoformat()}_{days.end.isoformat()}.csv"
    return web.Response(text=csv_text(data), content_type="text/csv", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def setup(app: web.Application) -> None:
    install(app)
    app.router.add_get("/dashboard", dashboard_page)
    app.router.add_get("/api/dashboard", api_dashboard)
    app.router.add_get("/api/dashboard.csv", api_dashboard_csv)
