"""Analytics inside the console: ingestion on a timer and before each query, and the queries.

`install(app)` is called by both the dashboard and the queue; the first call adds one
`AnalyticsService` to the app (created at start-up, stopped at clean-up).

| variable | default | meaning |
|---|---|---|
| YUBAN_ANALYTICS_INTERVAL | 15 | seconds between background ingestion runs |
| YUBAN_ANALYTICS_BATCH | 5000 | events per ingestion batch (one transaction) |
| YUBAN_LOW_CONFIDENCE | 0.6 | intent confidence below which a question enters the queue |
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, TypeVar

from aiohttp import web
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from console.analytics.ingest import DEFAULT_BATCH, BatchReport, IngestionError, Ingestor
from console.analytics.tables import CursorRow
from console.appkeys import CATALOG_SESSIONS, SETTINGS
from console.settings import SettingsError
from core.env import env_float

logger = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True)
class AnalyticsSettings:
    interval_seconds: float = 15.0
    batch_size: int = DEFAULT_BATCH
    low_confidence: float = 0.6
    # Before a query: at most this many batches, so a large backlog never holds up a page
    # (the timer catches up in the background).
    query_batches: int = 2

    @classmethod
    def from_env(cls) -> AnalyticsSettings:
        return cls(interval_seconds=_number("YUBAN_ANALYTICS_INTERVAL", 15.0, 0.1, 3600),
                   batch_size=int(_number("YUBAN_ANALYTICS_BATCH", DEFAULT_BATCH, 1, 1_000_000)),
                   low_confidence=_number("YUBAN_LOW_CONFIDENCE", 0.6, 0.0, 1.0))


def _number(name: str, default: float, low: float, high: float) -> float:
    return env_float(name, default, low, high, error=SettingsError)


class AnalyticsService:
    """Keeps the turns table current and runs queries off the event loop."""

    def __init__(self, sessions: sessionmaker[Session], ingestor: Ingestor, settings: AnalyticsSettings):
        self.sessions = sessions
        self.ingestor = ingestor
        self.settings = settings
        self._lock = asyncio.Lock()
        self._timer: asyncio.Task | None = None
        self.last_error: str | None = None

    async def refresh(self, max_batches: int | None = None) -> BatchReport:
        """Ingest what is new (bounded); a failure is logged and the last data still served."""
        async with self._lock:
            try:
                report = await asyncio.to_thread(self.ingestor.run, max_batches or self.settings.query_batches)
            except (IngestionError, OperationalError) as error:
                self.last_error = str(error)
                logger.warning("analytics ingestion failed: %s", error)
                return BatchReport()
            self.last_error = None
            return report

    def freshness(self, session: Session) -> dict[str, Any]:
        """How far ingestion got: the broker id and when (shown on the pages)."""
        cursor = session.get(CursorRow, self.ingestor.source)
        if cursor is None:
            return {"last_event_id": 0, "updated_at": None}
        return {"last_event_id": cursor.last_event_id, "updated_at": cursor.updated_at}

    async def query(self, function: Callable[..., T], *args) -> T:
        """Run `function(session, *args)` in a worker thread."""
        def run() -> T:
            with self.sessions() as session:
                return function(session, *args)

        return await asyncio.to_thread(run)

    async def write(self, function: Callable[..., T], *args) -> T:
        def run() -> T:
            with self.sessions.begin() as session:
                return function(session, *args)

        return await asyncio.to_thread(run)

    def start(self) -> None:
        self._timer = asyncio.create_task(self._run_timer())

    async def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            try:
                await self._timer
            except asyncio.CancelledError:
                pass
        self.ingestor.dispose()

    async def _run_timer(self) -> None:
        while True:
            try:
                await self.refresh(max_batches=10)
            except Exception:  # noqa: BLE001 - the timer must outlive any one failure
                logger.exception("analytics timer run failed")
            await asyncio.sleep(self.settings.interval_seconds)


ANALYTICS = web.AppKey("analytics", AnalyticsService)
_INSTALLED = web.AppKey("analytics_installed", bool)


def install(app: web.Application, settings: AnalyticsSettings | None = None) -> None:
    """Add the analytics service to the app once (the dashboard and the queue both ask)."""
    if app.get(_INSTALLED):
        return
    app[_INSTALLED] = True
    analytics_settings = settings or AnalyticsSettings.from_env()

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        ingestor = Ingestor(app[CATALOG_SESSIONS], app[SETTINGS].events_url, analytics_settings.batch_size)
        service = AnalyticsService(app[CATALOG_SESSIONS], ingestor, analytics_settings)
        app[ANALYTICS] = service
        service.start()
        yield
        await service.stop()

    app.cleanup_ctx.append(lifecycle)
