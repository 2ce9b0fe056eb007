"""Console fixtures: a demonstration catalog with one account per role, Rasa-written
conversations, apps on aiohttp test servers and logged-in HTTP sessions.

The pristine catalog is built once per session; tests that change the catalog (aliases,
uploads) get their own copy of the file and their own app. Async test modules here set
`pytestmark = pytest.mark.asyncio(loop_scope="session")` so session-scoped apps serve them.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestServer

from tooling import services
from console.app import create_app
from console.settings import Settings, utcnow
from tests.strict import unavailable

PASSWORD = "correct-horse-battery"
ROLES = ("agent", "editor", "admin")
API_KEY = "test-integration-key-0123456789"
TRACKER_WRITER = Path(__file__).with_name("write_tracker.py")


@dataclass
class FakeClock:
    """Wall clock and monotonic clock that tests can move forward."""

    offset: timedelta = field(default_factory=timedelta)

    def now(self) -> datetime:
        return utcnow() + self.offset

    def monotonic(self) -> float:
        import time

        return time.monotonic() + self.offset.total_seconds()

    def advance(self, **delta) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture(scope="session")
def pristine_catalog(tmp_path_factory) -> Path:
    """The demonstration catalog plus accounts agent/editor/admin (password PASSWORD) and a
    `newbie` agent whose one-time password must be changed."""
    from console.accounts import AccountStore
    from knowledge.db import get_engine, session_factory
    from knowledge.importer import import_catalog
    from knowledge.store import CatalogStore

    path = tmp_path_factory.mktemp("console-catalog") / "catalog.db"
    url = f"sqlite:///{path}"
    engine = get_engine(url)
    sessions = session_factory(engine)
    import_catalog([services.ROOT / "data" / "catalog"], CatalogStore(sessions))
    accounts = AccountStore(sessions)
    for role in ROLES:
        accounts.create(role, role, PASSWORD)
    accounts.create("newbie", "agent", "one-time-password-1", must_change=True)
    engine.dispose()
    return path


@pytest.fixture
def catalog_copy(pristine_catalog, tmp_path) -> str:
    """A private copy of the pristine catalog (for tests that change it): its URL."""
    target = tmp_path / "catalog.db"
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(pristine_catalog) + suffix)
        if source.exists():
            shutil.copy(source, str(target) + suffix)
    return f"sqlite:///{target}"


@pytest.fixture(scope="session")
def tracker_db(tmp_path_factory) -> Path:
    """A tracker store written by Rasa's own SQLTrackerStore (two handoffs, one ordinary)."""
    python = services.VENVS / "rasa" / "bin" / "python"
    if not python.exists():
        unavailable("the Rasa environment (.venvs/rasa) is not built")
    path = tmp_path_factory.mktemp("tracker") / "conversations.db"
    subprocess.run([str(python), str(TRACKER_WRITER), str(path)], env=services.base_env(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def make_settings(catalog_url: str, tracker: Path | str, clock: FakeClock | None = None, **overrides) -> Settings:
    clock = clock or FakeClock()
    values = dict(catalog_url=catalog_url, tracker_url=f"sqlite:///{tracker}", events_url=f"sqlite:///{tracker}.events",
                  api_keys=(API_KEY,), now=clock.now, monotonic=clock.monotonic)
    values.update(overrides)
    return Settings(**values)


class Console:
    """A running console app and helpers to talk to it as a browser would."""

    def __init__(self, server: TestServer, clock: FakeClock):
        self.server, self.clock = server, clock
        self.app = server.app

    def url(self, path: str) -> str:
        return str(self.server.make_url(path))

    def client(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def login(self, username: str, password: str = PASSWORD) -> tuple[aiohttp.ClientSession, str]:
        """A logged-in HTTP session and its CSRF token (read from the page, as scripts do)."""
        http = self.client()
        response = await self.post_login(http, username, password)
        assert response.status == 200, await response.text()
        page = await (await http.get(self.url("/account/password"))).text()
        return http, csrf_from(page)

    async def post_login(self, http: aiohttp.ClientSession, username: str, password: str, next_path: str = "/"):
        page = await (await http.get(self.url("/login"))).text()
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        return await http.post(self.url("/login"), data={"csrf_token": token, "username": username,
                                                         "password": password, "next": next_path})


def csrf_from(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]*)"', page).group(1)


async def start_console(settings: Settings, clock: FakeClock) -> Console:
    server = TestServer(create_app(settings))
    await server.start_server()
    return Console(server, clock)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def console(pristine_catalog, tracker_db):
    """The shared console on the pristine catalog: for tests that do not change the catalog."""
    clock = FakeClock()
    running = await start_console(make_settings(f"sqlite:///{pristine_catalog}", tracker_db, clock), clock)
    yield running
    await running.server.close()


@pytest_asyncio.fixture(loop_scope="session")
async def private_console(catalog_copy, tracker_db):
    """A console of its own, on a private catalog copy and with its own clocks and limits."""
    clock = FakeClock()
    running = await start_console(make_settings(catalog_copy, tracker_db, clock), clock)
    yield running
    await running.server.close()


@pytest_asyncio.fixture(loop_scope="session")
async def sessions(console):
    """Logged-in sessions of the shared console by role: {role: (http, csrf)}."""
    opened = {role: await console.login(role) for role in ROLES}
    yield opened
    for http, _csrf in opened.values():
        await http.close()
