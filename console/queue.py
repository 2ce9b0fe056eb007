"""The curation queue (待处理问题, docs/console.md): questions the assistant could not answer well.

GET  /queue?from=&to=         the page (editor, admin)
GET  /api/queue?from=&to=     the open groups as JSON
GET  /api/queue/suggest?q=    catalog candidates for a question (to pick the item for an alias)
POST /api/queue/alias         {"key", "item_code", "alias"}: add the alias (live for search at once,
                              through console.curation.add_alias) and close the group
POST /api/queue/resolve       {"key"}: close the group without an alias
Dates are local days (Asia/Shanghai), inclusive; the default is the last 30 days.
"""
from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from aiohttp import web

from console.analytics import curation_queue
from console.analytics.events import local_minute, local_today
from console.analytics.queries import DayRange, RangeError
from console.analytics.service import ANALYTICS, install
from console.appkeys import CATALOG, SETTINGS
from console.assist import in_search_worker, query_text
from console.auth import current_user, require_role
from console.curation import add_alias
from console.errors import ConsoleError, json_response
from console.templating import render
from knowledge.errors import ItemNotFoundError
from console.messages import labels, message

ROLES = ("editor", "admin")
DEFAULT_DAYS = 30


def queue_range(request: web.Request) -> DayRange:
    today = local_today(request.app[SETTINGS].now())
    start = request.query.get("from") or (today - timedelta(days=DEFAULT_DAYS - 1)).isoformat()
    try:
        return DayRange.parse(start, request.query.get("to") or None, today)
    except RangeError as error:
        raise ConsoleError(400, "bad_range", str(error)) from None


async def open_groups(request: web.Request, days: DayRange) -> list[dict[str, Any]]:
    service = request.app[ANALYTICS]
    await service.refresh()
    groups = await service.query(curation_queue.groups, days, service.settings.low_confidence)
    result = []
    for group in groups:
        data = group.as_dict()
        data["channel_labels"] = [labels("labels.dashboard_channels").get(c, c) for c in group.channels]
        data["first_seen_local"] = local_minute(group.first_seen)
        data["last_seen_local"] = local_minute(group.last_seen)
        result.append(data)
    return result


@require_role(*ROLES)
async def queue_page(request: web.Request) -> web.Response:
    days = queue_range(request)
    groups = await open_groups(request, days)
    return render(request, "queue.html", groups=groups, days=days, reasons=labels("labels.queue_reasons"),
                  ingestion_error=request.app[ANALYTICS].last_error)


@require_role(*ROLES)
async def api_queue(request: web.Request) -> web.Response:
    days = queue_range(request)
    return json_response({"from": days.start.isoformat(), "to": days.end.isoformat(),
                          "groups": await open_groups(request, days)})


@require_role(*ROLES)
async def api_suggest(request: web.Request) -> web.Response:
    query = query_text(request)
    result = await in_search_worker(request, request.app[CATALOG].search, query, 8)
    return json_response({"query": query, "core": result.core or query, "decision": result.decision,
                          "candidates": [{"code": c.code, "name": c.name, "score": round(c.score, 4)}
                                         for c in result.candidates]})


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ConsoleError(400, "bad_request", message("api.body_not_json")) from None
    if not isinstance(body, dict):
        raise ConsoleError(400, "bad_request", message("api.body_not_object"))
    return body


def _text(body: dict[str, Any], name: str, limit: int = 200) -> str:
    label = labels("labels.fields")[name]
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ConsoleError(400, f"bad_{name}", message("api.missing_field", field=label))
    if len(value) > limit:
        raise ConsoleError(400, f"bad_{name}", message("api.field_too_long", field=label, limit=limit))
    return value.strip()


async def _known_key(request: web.Request, body: dict[str, Any]) -> str:
    key = _text(body, "key")
    if not await request.app[ANALYTICS].query(curation_queue.is_known_key, key):
        raise ConsoleError(404, "queue_item_not_found", message("api.queue_item_gone"))
    return key


@require_role(*ROLES)
async def api_alias(request: web.Request) -> web.Response:
    body = await _body(request)
    key = await _known_key(request, body)
    code = _text(body, "item_code", 40)
    catalog = request.app[CATALOG]
    alias = await asyncio.to_thread(add_alias, catalog.store, code, _text(body, "alias"))
    try:
        name = (await asyncio.to_thread(catalog.store.get, code)).name
    except ItemNotFoundError:  # removed by a publish in between
        name = code
    service = request.app[ANALYTICS]
    await service.write(curation_queue.mark, key, "alias", current_user(request).username,
                        request.app[SETTINGS].now(), code, alias)
    return json_response({"key": key, "item_code": code, "item_name": name, "alias": alias}, status=201)


@require_role(*ROLES)
async def api_resolve(request: web.Request) -> web.Response:
    key = await _known_key(request, await _body(request))
    await request.app[ANALYTICS].write(curation_queue.mark, key, "resolved", current_user(request).username,
                                       request.app[SETTINGS].now())
    return json_response({"key": key, "status": "resolved"})


def setup(app: web.Application) -> None:
    install(app)
    app.router.add_get("/queue", queue_page)
    app.router.add_get("/api/queue", api_queue)
    app.router.add_get("/api/queue/suggest", api_suggest)
    app.router.add_post("/api/queue/alias", api_alias)
    app.router.add_post("/api/queue/resolve", api_resolve)
