"""Fixtures for the reminders: the real progress service on a seeded database, the
catalog database migrated by Alembic (0006 creates the reminder tables), a fake WeChat
API and a fake app backend — all real HTTP on 127.0.0.1."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, AsyncIterator, Iterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from core.sealing import Sealer
from knowledge.db import make_engine as make_catalog_engine, upgrade_schema
from progress_service.app import create_app
from progress_service.models import ApplicationRow
from progress_service.repository import make_engine as make_progress_engine
from progress_service.seed import now_local, seed_url
from progress_service.settings import Settings
from reminders.notifier import Notifier
from reminders.settings import NotifierSettings
from reminders.store import ReminderStore, user_hash
from tests.strict import unavailable

APP_SECRET = "app-callback-secret-for-tests"
TEMPLATE = "tmpl-progress-1"


@dataclass
class FakeWeChat:
    """/cgi-bin/stable_token and /cgi-bin/message/subscribe/bizsend, recording each message."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)
    errcode: int = 0
    server: TestServer | None = None

    def app(self) -> web.Application:
        async def token(request: web.Request) -> web.Response:
            body = await request.json()
            assert body["appid"] == "wx-app" and body["secret"] == "wx-secret"
            return web.json_response({"access_token": "TOKEN", "expires_in": 7200})

        async def send(request: web.Request) -> web.Response:
            assert request.query.get("access_token") == "TOKEN"
            if self.errcode:
                return web.json_response({"errcode": self.errcode, "errmsg": "refused"})
            self.messages.append(await request.json())
            self.arrivals.append(time.perf_counter())
            return web.json_response({"errcode": 0, "errmsg": "ok"})

        app = web.Application()
        app.router.add_post("/cgi-bin/stable_token", token)
        app.router.add_post("/cgi-bin/message/subscribe/bizsend", send)
        return app


@dataclass
class FakeApp:
    """The app backend's callback URL: checks the signature, accepts each Idempotency-Key once."""

    accepted: list[dict[str, Any]] = field(default_factory=list)
    requests: int = 0
    keys: list[str] = field(default_factory=list)
    failures_left: int = 0
    gone: bool = False  # answer 410: the user wants no more reminders
    bad_signatures: int = 0
    arrivals: list[float] = field(default_factory=list)

    def app(self) -> web.Application:
        async def callback(request: web.Request) -> web.Response:
            raw = await request.read()
            self.requests += 1
            timestamp, nonce = request.headers["X-Yuban-Timestamp"], request.headers["X-Yuban-Nonce"]
            expected = hmac.new(APP_SECRET.encode(), timestamp.encode() + b"\n" + nonce.encode() + b"\n" + raw,
                                hashlib.sha256).hexdigest()
            if not hmac.compare_digest(expected, request.headers["X-Yuban-Signature"]):
                self.bad_signatures += 1
                return web.json_response({"error": "signature"}, status=401)
            if self.gone:
                return web.json_response({"error": "gone"}, status=410)
            if self.failures_left > 0:
                self.failures_left -= 1
                return web.json_response({"error": "busy"}, status=503)
            key = request.headers["Idempotency-Key"]
            if key not in self.keys:
                self.keys.append(key)
                self.accepted.append(json.loads(raw))
                self.arrivals.append(time.perf_counter())
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post("/reminders", callback)
        return app


async def serve(app: web.Application, port: int | None = None) -> TestServer:
    server = TestServer(app, host="127.0.0.1", **({"port": port} if port else {}))
    await server.start_server()
    return server


@dataclass
class Stack:
    progress_url: str
    progress_db: str
    catalog_db: str
    sealer: Sealer
    wechat: FakeWeChat
    backend: FakeApp
    wechat_url: str
    app_url: str

    def store(self) -> ReminderStore:
        """A store on its own engine, as a separate notifier process would have."""
        return ReminderStore(make_catalog_engine(self.catalog_db), self.sealer)

    def settings(self, **overrides) -> NotifierSettings:
        values = dict(progress_url=self.progress_url, poll_seconds=0.05, backoff_seconds=0.05, max_attempts=8,
                      lease_seconds=30, wechat_appid="wx-app", wechat_secret="wx-secret",
                      wechat_template_id=TEMPLATE, wechat_api_base_url=self.wechat_url,
                      app_callback_url=self.app_url, app_hmac_secret=APP_SECRET)
        values.update(overrides)
        return NotifierSettings(**values)

    def numbers(self, count: int) -> list[tuple[str, str]]:
        """(number, item name) of demo applications that can move twice more (not yet decided)."""
        engine = make_progress_engine(self.progress_db)
        with Session(engine) as session:
            rows = session.scalars(select(ApplicationRow).where(ApplicationRow.decided_at.is_(None))
                                   .order_by(ApplicationRow.id)).all()
            picked = [(row.number, row.item_name) for row in rows[:count]]
        engine.dispose()
        return picked

    def advance(self, number: str) -> float:
        from progress_service.changes import advance

        engine = make_progress_engine(self.progress_db)
        try:
            started = time.perf_counter()
            advance(engine, number, now_local())
            return started
        finally:
            engine.dispose()

    def subscribe(self, store: ReminderStore, sender: str, channel: str, number: str, item: str,
                  consents: int = 0) -> None:
        store.offer(sender, channel, number, item)
        assert store.subscribe(sender) is not None
        if consents:
            store.add_consents(user_hash(sender), consents)


POSTGRES_ADMIN = os.environ.get("YUBAN_TEST_POSTGRES", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def catalog_db(request, tmp_path) -> Iterator[str]:
    """The reminder tables' database: SQLite, or (parametrised "postgresql") a fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "sqlite":
        yield f"sqlite:///{tmp_path / 'catalog.db'}"
        return
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    name = f"yuban_reminders_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:  # noqa: BLE001 - no server to test against
        admin.dispose()
        unavailable("PostgreSQL is not reachable (YUBAN_TEST_POSTGRES)")
    yield str(make_url(POSTGRES_ADMIN).set(database=name).render_as_string(hide_password=False))
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
async def stack(tmp_path, catalog_db) -> AsyncIterator[Stack]:
    progress_db = f"sqlite:///{tmp_path / 'progress.db'}"
    seed_url(progress_db)
    engine = make_catalog_engine(catalog_db)
    upgrade_schema(engine)
    engine.dispose()
    wechat, backend = FakeWeChat(), FakeApp()
    servers = [await serve(create_app(Settings(database_url=progress_db, seed_if_empty=False, requests_per_minute=1_000_000))),
               await serve(wechat.app()), await serve(backend.app())]
    yield Stack(str(servers[0].make_url("")).rstrip("/"), progress_db, catalog_db, Sealer(Fernet.generate_key()),
                wechat, backend, str(servers[1].make_url("")).rstrip("/"), str(servers[2].make_url("/reminders")))
    for server in servers:
        await server.close()


class Running:
    """Notifiers running their loop in this event loop until the test ends."""

    def __init__(self):
        self.stop = asyncio.Event()
        self.tasks: list[asyncio.Task] = []
        self.notifiers: list[Notifier] = []

    def start(self, notifier: Notifier) -> Notifier:
        self.notifiers.append(notifier)
        self.tasks.append(asyncio.create_task(notifier.run(self.stop)))
        return notifier

    async def close(self) -> None:
        self.stop.set()
        await asyncio.gather(*self.tasks)
        for notifier in self.notifiers:
            await notifier.close()


@pytest.fixture
async def running() -> AsyncIterator[Running]:
    handle = Running()
    yield handle
    await handle.close()


async def eventually(check, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


async def rounds(notifiers: list[Notifier], count: int = 3) -> None:
    """Let every notifier finish `count` more rounds (nothing else is coming)."""
    targets = [n.rounds + count for n in notifiers]
    await eventually(lambda: all(n.rounds >= t for n, t in zip(notifiers, targets)))


LEASE = timedelta(seconds=30)
