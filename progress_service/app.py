"""The aiohttp application factory and the blocking `serve` used by the command line.

`create_app` does no I/O: the engine is created when the app starts (cleanup
context) and disposed when it stops, so tests can build apps freely.
"""
from __future__ import annotations

import asyncio
import logging
from typing import AsyncIterator

from aiohttp import web

from monitoring.aiohttp_ops import setup_ops
from progress_service import api
from progress_service.ratelimit import SlidingWindow
from progress_service.repository import ProgressRepository, create_schema, make_engine
from progress_service.settings import Settings

logger = logging.getLogger(__name__)
# No request line: paths carry application numbers, which must not reach logs.
ACCESS_LOG_FORMAT = '%a %t %s %b %Tf'


def create_app(settings: Settings | None = None) -> web.Application:
    settings = settings or Settings.from_env()
    app = web.Application(middlewares=[api.errors_middleware])
    app[api.SETTINGS] = settings
    app[api.CLIENT_LIMIT] = SlidingWindow(settings.requests_per_minute, 60, settings.monotonic)
    app[api.FAILURE_LIMIT] = SlidingWindow(settings.failed_verifications_per_hour, 3600, settings.monotonic)
    app.cleanup_ctx.append(_database)
    api.setup_routes(app)
    setup_ops(app, "progress", {"database": lambda: _ping_database(app)}, health_route=False)
    return app


async def _ping_database(app: web.Application) -> None:
    if api.REPOSITORY not in app:
        raise RuntimeError("database not opened yet")
    await asyncio.to_thread(app[api.REPOSITORY].ping)


async def _database(app: web.Application) -> AsyncIterator[None]:
    engine = make_engine(app[api.SETTINGS].database_url)
    await asyncio.to_thread(create_schema, engine)
    app[api.REPOSITORY] = ProgressRepository.for_engine(engine)
    app[api.ENGINE] = engine
    yield
    engine.dispose()


def serve(settings: Settings) -> None:
    """Seed an empty database if asked, then serve until interrupted."""
    if settings.seed_if_empty:
        from progress_service.seed import ensure_seeded

        engine = make_engine(settings.database_url)
        try:
            report = ensure_seeded(engine, settings.catalog_dir)
        finally:
            engine.dispose()
        if report:
            logger.info("seeded %d demonstration applications", report.count)
    web.run_app(create_app(settings), host=settings.host, port=settings.port,
                access_log_format=ACCESS_LOG_FORMAT, print=None)
