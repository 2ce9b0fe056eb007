"""Fixtures for the progress service and client: a seeded database, a running service,
and small misbehaving servers. Everything listens on 127.0.0.1 with a free port."""
from __future__ import annotations

from datetime import datetime
from typing import AsyncIterator, Awaitable, Callable

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from progress_service.app import ACCESS_LOG_FORMAT, create_app
from progress_service.models import ApplicationRow
from progress_service.repository import make_engine
from progress_service.seed import seed_url
from progress_service.settings import Settings

REFERENCE = datetime(2026, 5, 14, 8, 0)  # a Thursday; the demo's "now" in these tests


@pytest.fixture(scope="session")
def database(tmp_path_factory) -> str:
    """A seeded SQLite database shared by the session (tests only read it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('progress') / 'progress.db'}"
    seed_url(url, reference=REFERENCE)
    return url


@pytest.fixture(scope="session")
def rows(database) -> list[ApplicationRow]:
    engine: Engine = make_engine(database)
    with Session(engine, expire_on_commit=False) as session:
        result = list(session.scalars(select(ApplicationRow).order_by(ApplicationRow.id)))
        session.expunge_all()
    engine.dispose()
    return result


def pick(rows: list[ApplicationRow], *, stage: str, overdue: bool | None = None) -> ApplicationRow:
    """The first demo application in `stage` (and with the given overdue state)."""
    attribute = {"submitted": None, "accepted": "accepted_at", "review": "review_at", "decision": "decided_at",
                 "delivery": "delivered_at"}
    order = list(attribute)
    for row in rows:
        reached = [s for s in order[1:] if getattr(row, attribute[s]) is not None]
        current = reached[-1] if reached else "submitted"
        late = row.promised_date is not None and \
            (row.delivered_at.date() if row.delivered_at else REFERENCE.date()) > row.promised_date
        if current == stage and (overdue is None or late == overdue):
            return row
    raise LookupError(stage)


def wrong_factor(row: ApplicationRow) -> str:
    return f"{(int(row.applicant_phone[-4:]) + 1) % 10000:04d}"


def settings_for(database: str, **overrides) -> Settings:
    values = dict(database_url=database, now=lambda: REFERENCE, seed_if_empty=False)
    values.update(overrides)
    return Settings(**values)


async def start(app: web.Application) -> TestServer:
    server = TestServer(app, host="127.0.0.1")
    await server.start_server(access_log_format=ACCESS_LOG_FORMAT)
    return server


@pytest.fixture
async def make_service(database) -> AsyncIterator[Callable[..., Awaitable[TestServer]]]:
    """Start the real service with settings overrides; stopped after the test."""
    servers: list[TestServer] = []

    async def factory(**overrides) -> TestServer:
        server = await start(create_app(settings_for(database, **overrides)))
        servers.append(server)
        return server

    yield factory
    for server in servers:
        await server.close()


@pytest.fixture
async def service(make_service) -> TestServer:
    return await make_service()


@pytest.fixture
async def fake_platform() -> AsyncIterator[Callable[..., Awaitable[TestServer]]]:
    """Start a server whose every request is answered by the given handler."""
    servers: list[TestServer] = []

    async def factory(handler) -> TestServer:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handler)
        server = await start(app)
        servers.append(server)
        return server

    yield factory
    for server in servers:
        await server.close()
