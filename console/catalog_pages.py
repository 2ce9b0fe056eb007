"""Curation pages for editors: catalog browse, item view with aliases, the check report."""
from __future__ import annotations

import asyncio
from typing import AsyncIterator

from aiohttp import web

from console.appkeys import CATALOG, CATALOG_SESSIONS
from console.auth import require_role
from console.curation import CheckCache, add_alias, browse
from console.errors import ConsoleError, json_response, wants_json
from console.templating import render
from knowledge.check import KINDS
from knowledge.errors import ItemNotFoundError
from knowledge.regions import load_regions
from console.messages import message

ROLES = ("editor", "admin")
CHECK_CACHE = web.AppKey("check_cache", CheckCache)
EXAMPLES_PER_KIND = 200


@require_role(*ROLES)
async def catalog_page(request: web.Request) -> web.Response:
    text = request.query.get("q", "").strip()[:100]
    department = request.query.get("department", "").strip()
    try:
        page = int(request.query.get("page", "1"))
    except ValueError:
        page = 1
    result = await asyncio.to_thread(browse, request.app[CATALOG_SESSIONS], text, department, page)
    return render(request, "catalog.html", result=result, q=text, department=department)


@require_role(*ROLES)
async def item_page(request: web.Request) -> web.Response:
    code = request.match_info["code"]
    try:
        item = await asyncio.to_thread(request.app[CATALOG].store.get, code)
    except ItemNotFoundError:
        raise ConsoleError(404, "item_not_found", message("api.no_item", code=code[:60])) from None
    report = await asyncio.to_thread(request.app[CHECK_CACHE].report)
    findings = [f for f in report.findings if f.code == code]
    return render(request, "item.html", item=item, regions=load_regions().by_code, findings=findings, kinds=KINDS,
                  added=request.query.get("added"))


@require_role(*ROLES)
async def check_page(request: web.Request) -> web.Response:
    report = await asyncio.to_thread(request.app[CHECK_CACHE].report)
    grouped = report.by_kind()
    return render(request, "check.html", report=report, kinds=KINDS, grouped=grouped, limit=EXAMPLES_PER_KIND)


@require_role(*ROLES)
async def alias_endpoint(request: web.Request) -> web.StreamResponse:
    """POST /api/items/{code}/aliases with {"alias": "…"} (JSON) or a form field `alias`."""
    code = request.match_info["code"]
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise ConsoleError(400, "bad_request", message("api.invalid_json")) from None
        alias = body.get("alias") if isinstance(body, dict) else None
    else:
        alias = (await request.post()).get("alias")
    if not isinstance(alias, str):
        raise ConsoleError(400, "bad_alias", message("api.missing_alias"))
    cleaned = await asyncio.to_thread(add_alias, request.app[CATALOG].store, code, alias)
    if wants_json(request) or request.content_type == "application/json":
        return json_response({"code": code, "alias": cleaned}, status=201)
    raise web.HTTPFound(f"/catalog/items/{code}?added=1")


async def _check_cache(app: web.Application) -> AsyncIterator[None]:
    app[CHECK_CACHE] = CheckCache(app[CATALOG].store)
    yield


def setup(app: web.Application) -> None:
    app.cleanup_ctx.append(_check_cache)
    app.router.add_get("/catalog", catalog_page)
    app.router.add_get("/catalog/check", check_page)
    app.router.add_get("/catalog/items/{code}", item_page)
    app.router.add_post("/api/items/{code}/aliases", alias_endpoint)
    app.router.add_post("/catalog/items/{code}/aliases", alias_endpoint)
