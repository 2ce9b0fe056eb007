"""The console application: `create_app(settings)` and the blocking `serve` of the command line.

`create_app` does no I/O: the catalog engine, the account store and the search service
are made when the app starts (cleanup context), so tests can build apps freely.
"""
from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import AsyncIterator

from aiohttp import web
from aiohttp.abc import AbstractAccessLogger

from monitoring.aiohttp_ops import setup_ops
from console import auth, headers
from console.accounts import AccountStore
from console.appkeys import ACCOUNTS, CATALOG, CATALOG_ENGINE, CATALOG_SESSIONS, LOGIN_LIMITER, SETTINGS
from console.errors import errors_middleware, json_response
from console.ratelimit import FailureLimiter
from console.settings import Settings

logger = logging.getLogger(__name__)
STATIC = Path(__file__).with_name("static")
MAX_UPLOAD_BYTES = 50 * 1024 * 1024


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or Settings.from_env()
    app = web.Application(middlewares=[errors_middleware, auth.session_middleware], client_max_size=MAX_UPLOAD_BYTES)
    app[SETTINGS] = settings
    app[LOGIN_LIMITER] = FailureLimiter(settings.login_failures, settings.login_window_seconds, settings.monotonic)
    app.cleanup_ctx.append(_catalog_database)
    app.router.add_get("/health", health)
    app.router.add_get("/", home)
    app.router.add_static("/static/", STATIC, name="static")
    auth.setup(app)
    headers.setup(app)
    from console import accounts_pages, assist, catalog_pages, dashboard, handoffs, queue, upload

    assist.setup(app)
    handoffs.setup(app)
    catalog_pages.setup(app)
    upload.setup(app)
    accounts_pages.setup(app)
    dashboard.setup(app)
    queue.setup(app)
    setup_ops(app, "console", {"catalog": lambda: _catalog_ready(app)}, health_route=False)  # /ready, /metrics
    return app


async def _catalog_ready(app: web.Application) -> None:
    if CATALOG not in app:
        raise RuntimeError("catalog not loaded yet")
    await asyncio.to_thread(app[CATALOG].store.version)


async def _catalog_database(app: web.Application) -> AsyncIterator[None]:
    from knowledge.db import get_engine, session_factory
    from console.catalog import ConsoleCatalog

    settings = app[SETTINGS]
    engine = await asyncio.to_thread(get_engine, settings.catalog_url)
    sessions = session_factory(engine)
    app[CATALOG_ENGINE] = engine
    app[CATALOG_SESSIONS] = sessions
    app[ACCOUNTS] = AccountStore(sessions)
    service = ConsoleCatalog(sessions, settings.catalog_reload_seconds)
    await asyncio.to_thread(service.engine)  # build the search index before the first agent types
    app[CATALOG] = service
    yield


async def health(_request: web.Request) -> web.Response:
    return json_response({"status": "ok"})


async def home(request: web.Request) -> web.StreamResponse:
    user = auth.current_user(request)
    if user is None:
        raise web.HTTPFound("/login")
    if user.must_change_password:
        raise web.HTTPFound(auth.PASSWORD_PAGE)
    raise web.HTTPFound("/assist" if user.role == "agent" else "/catalog")


class PathAccessLogger(AbstractAccessLogger):
    """Method, path, status and time; never the query string (agents type callers' words into it)."""

    def log(self, request, response, time: float) -> None:
        self.logger.info("%s %s %s %d %.1fms", request.remote, request.method, request.path, response.status,
                         time * 1000)


def serve(settings: Settings) -> None:
    web.run_app(create_app(settings), host=settings.host, port=settings.port, access_log_class=PathAccessLogger,
                print=None)
