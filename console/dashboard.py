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
from console.messages import labels, message

ROLES = ("editor", "admin")


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
    channels, reasons = labels("labels.dashboard_channels"), labels("labels.dashboard_handoff_reasons")
    for row in data["by_channel"]:
        row["label"] = channels.get(row["channel"], row["channel"])
    for row in data["handoff_reasons"]:
        row["label"] = reasons.get(row["reason"], row["reason"])


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
    named, rated, timed = labels("csv.totals"), labels("csv.rates_table"), labels("csv.times")
    rows: list[list[Any]] = [[message("csv.group"), message("csv.item"), message("csv.value")],
                             [message("csv.range"), message("csv.from"), data["from"]],
                             [message("csv.range"), message("csv.to"), data["to"]]]
    rows += [[message("csv.overview"), named[key], totals[key]] for key in (
        "conversations", "turns", "questions", "answered", "fallback", "handoff_conversations", "useful", "useless",
        "progress_queries", "progress_applications", "progress_overdue")]
    rows += [[message("csv.rates"), rated[key], _percent(totals[key])] for key in (
        "answered_rate", "fallback_rate", "handoff_rate", "usefulness_rate", "overdue_share")]
    rows += [[message("csv.response_ms"), key.upper() if key.startswith("p") else timed[key],
              "" if value is None else value] for key, value in times.items()]
    rows += [[message("csv.by_channel_turns"), r["label"], r["turns"]] for r in data["by_channel"]]
    rows += [[message("csv.by_channel_conversations"), r["label"], r["conversations"]] for r in data["by_channel"]]
    rows += [[message("csv.by_district"), r["district"], r["turns"]] for r in data["by_district"]]
    rows += [[message("csv.by_hour"), message("csv.hour", hour=f"{r['hour']:02d}"), r["turns"]] for r in data["by_hour"]]
    rows += [[message("csv.by_day_turns"), r["day"], r["turns"]] for r in data["by_day"]]
    rows += [[message("csv.by_day_conversations"), r["day"], r["conversations"]] for r in data["by_day"]]
    rows += [[message("csv.top_items"), message("csv.top_item", name=r["item_name"], code=r["item_code"]), r["answers"]]
             for r in data["top_items"]]
    rows += [[message("csv.handoff_reasons"), r["label"], r["turns"]] for r in data["handoff_reasons"]]
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
