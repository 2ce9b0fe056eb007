"""Agent assist (docs/console.md, issue #6): the page and its JSON API.

`GET /api/assist/search?q=…&district=…` answers the top candidates of the assistant's
own search, each with its complete guide for the district and the answer text;
`GET /api/assist/items/{code}?district=…` one item. Agents use their session, other
systems an `X-API-Key` from configuration. Search is synchronous CPU work of a few
milliseconds: it runs on one worker thread so the event loop stays free for other
requests and the search engine is never used by two threads at once.
"""
from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import AsyncIterator

from aiohttp import web

from console.appkeys import CATALOG
from console.auth import require_role
from console.errors import ConsoleError, json_response
from console.guide_text import GuideCache, bundle_answer
from console.templating import render
from knowledge.errors import ItemNotFoundError
from knowledge.regions import Region, load_regions
from knowledge.service import CatalogService
from console.messages import message

ROLES = ("agent", "editor", "admin")
MAX_QUERY = 200
MAX_TOP = 10
DEFAULT_TOP = 5
SEARCH_WORKER = web.AppKey("search_worker", ThreadPoolExecutor)
GUIDES = web.AppKey("guides", GuideCache)


def resolve_district(raw: str | None) -> Region | None:
    if not raw or not raw.strip():
        return None
    region = load_regions().resolve(raw)
    if region is None:
        raise ConsoleError(400, "bad_district", message("api.unknown_district", district=raw.strip()[:20]))
    return region


def search_with_guides(catalog: CatalogService, guides: GuideCache, query: str, district: Region | None,
                       top: int) -> dict:
    result = catalog.search(query, top=top)
    district = district or result.district
    candidates = []
    for candidate in result.candidates:
        try:
            item = catalog.item(candidate.code)
        except ItemNotFoundError:  # deleted by a publish since the index was built
            continue
        guide, text = guides.get(item, district)
        candidates.append({"code": candidate.code, "name": candidate.name, "score": round(candidate.score, 4),
                           "matched": candidate.matched, "guide": guide, "answer_text": text})
    bundle = result.bundle  # a life event (一件事一次办) that fits at least as well as any item
    return {"query": query, "district": district.name if district else None, "decision": result.decision,
            "candidates": candidates, "bundle": bundle_answer(catalog, bundle.code, district) if bundle else None}


def item_with_guide(catalog: CatalogService, guides: GuideCache, code: str, district: Region | None) -> dict:
    try:
        item = catalog.item(code)
    except ItemNotFoundError:
        raise ConsoleError(404, "item_not_found", message("api.no_item", code=code[:60])) from None
    guide, text = guides.get(item, district)
    return {"code": item.code, "name": item.name, "district": district.name if district else None,
            "guide": guide, "answer_text": text}


async def in_search_worker(request: web.Request, function, *args):
    """Run a catalog search (or anything touching the search index) on the console's one search thread."""
    return await asyncio.get_running_loop().run_in_executor(request.app[SEARCH_WORKER], function, *args)


def query_text(request: web.Request) -> str:
    """The request's `q`, present and at most MAX_QUERY characters, else a 400."""
    query = request.query.get("q", "").strip()
    if not query:
        raise ConsoleError(400, "bad_query", message("api.missing_query"))
    if len(query) > MAX_QUERY:
        raise ConsoleError(400, "bad_query", message("api.query_too_long", limit=MAX_QUERY))
    return query


@require_role(*ROLES, api_key=True)
async def api_search(request: web.Request) -> web.Response:
    query = query_text(request)
    try:
        top = int(request.query.get("top", DEFAULT_TOP))
    except ValueError:
        raise ConsoleError(400, "bad_top", message("api.bad_top")) from None
    if not 1 <= top <= MAX_TOP:
        raise ConsoleError(400, "bad_top", message("api.bad_top"))
    district = resolve_district(request.query.get("district"))
    return json_response(await in_search_worker(request, search_with_guides, request.app[CATALOG], request.app[GUIDES],
                                          query, district, top))


@require_role(*ROLES, api_key=True)
async def api_item(request: web.Request) -> web.Response:
    district = resolve_district(request.query.get("district"))
    code = request.match_info["code"]
    return json_response(await in_search_worker(request, item_with_guide, request.app[CATALOG], request.app[GUIDES], code,
                                          district))


@require_role(*ROLES)
async def assist_page(request: web.Request) -> web.Response:
    regions = load_regions()
    return render(request, "assist.html", city=regions.city(), districts=regions.local())


async def _worker(app: web.Application) -> AsyncIterator[None]:
    app[SEARCH_WORKER] = ThreadPoolExecutor(max_workers=1, thread_name_prefix="assist-search")
    app[GUIDES] = GuideCache()
    yield
    app[SEARCH_WORKER].shutdown(wait=False)


def setup(app: web.Application) -> None:
    app.cleanup_ctx.append(_worker)
    app.router.add_get("/assist", assist_page)
    app.router.add_get("/api/assist/search", api_search)
    app.router.add_get("/api/assist/items/{code}", api_item)
