"""Fixtures of the WeChat channel tests (loaded by conftest.py in the Rasa environment):
the real Sanic app with the channel, served on 127.0.0.1 from a background event loop,
a fake bot, a fake WeChat API, and WeChat's side of the webhook built with wechatpy."""
from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable, Iterator

import aiohttp
import pytest

from channels.wechat import WeChatConfig, WeChatInput
from channels.wechat.reminder_events import ReminderTables
from tests.channels.wechat_support import (AES_KEY, APPID, SECRET, TOKEN, WEBHOOK, BackgroundLoop, FakeBot,
                                           FakeWeChatAPI, ServedApp, WeChatSide)
from tests.strict import unavailable

REDIS_URL = os.environ.get("YUBAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@dataclass
class Reply:
    status: int
    text: str
    seconds: float


@dataclass
class Harness:
    """One served channel and WeChat's side of it."""

    url: str
    channel: WeChatInput
    bot: FakeBot
    api: FakeWeChatAPI
    side: WeChatSide
    http: aiohttp.ClientSession
    mode: str

    async def post(self, xml: str, *, encrypted: bool | None = None, params: dict[str, str] | None = None,
                   body: bytes | None = None, headers: dict[str, str] | None = None) -> Reply:
        """Send a message as WeChat would in this channel's mode (override pieces to attack it)."""
        encrypted = self.mode == "safe" if encrypted is None else encrypted
        query, data = self.side.encrypted(xml, self.mode == "compatible") if encrypted else self.side.plaintext(xml)
        query.update(params or {})
        started = time.monotonic()
        async with self.http.post(self.url + WEBHOOK, params=query, data=data if body is None else body,
                                  headers=headers) as response:
            return Reply(response.status, await response.text(), time.monotonic() - started)

    async def get(self, params: dict[str, str]) -> Reply:
        started = time.monotonic()
        async with self.http.get(self.url + WEBHOOK, params=params) as response:
            return Reply(response.status, await response.text(), time.monotonic() - started)

    def opened(self, reply: Reply) -> dict[str, Any]:
        assert reply.status == 200, reply
        return self.side.open_reply(reply.text)

    async def wait_for_sends(self, count: int, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Customer-service messages WeChat accepted, once there are `count` of them."""
        deadline = time.monotonic() + timeout
        while len(self.api.delivered) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        return self.api.delivered


@pytest.fixture(scope="session")
def server_loop() -> Iterator[BackgroundLoop]:
    from sanic import Sanic

    Sanic.test_mode = True  # several apps in one process, as sanic-testing does
    loop = BackgroundLoop()
    yield loop
    loop.close()


def in_server(server_loop: BackgroundLoop, coroutine: Any) -> Any:
    return asyncio.wrap_future(asyncio.run_coroutine_threadsafe(coroutine, server_loop.loop))


@pytest.fixture
async def wechat_api(server_loop: BackgroundLoop) -> AsyncIterator[FakeWeChatAPI]:
    api = FakeWeChatAPI()
    await in_server(server_loop, api.start())
    yield api
    await in_server(server_loop, api.stop())


def credentials(mode: str = "plaintext", **extra: Any) -> dict[str, Any]:
    creds: dict[str, Any] = {"token": TOKEN, "appid": APPID, "appsecret": SECRET, "mode": mode}
    if mode != "plaintext":
        creds["encoding_aes_key"] = AES_KEY
    creds.update(extra)
    return creds


@pytest.fixture
async def start_wechat(server_loop: BackgroundLoop, wechat_api: FakeWeChatAPI,
                       tmp_path_factory) -> AsyncIterator[Callable]:
    """start_wechat(mode=..., budget=..., store=..., clock=..., bot=..., reminders=..., **credentials) -> Harness.

    Without `reminders` the channel's reminder tables point at a database that does not
    exist (never the developer's var/yuban.db)."""
    served: list[ServedApp] = []
    sessions: list[aiohttp.ClientSession] = []

    async def start(mode: str = "plaintext", budget: float = 2.0, store: Any = None,
                    clock: Callable[[], float] = time.time, side: WeChatSide | None = None,
                    bot: Any = None, reminders: ReminderTables | None = None, **extra: Any) -> Harness:
        config = WeChatConfig.from_credentials(
            credentials(mode, reply_budget_seconds=budget, api_base_url=wechat_api.url, **extra))
        reminders = reminders or ReminderTables(f"sqlite:///{tmp_path_factory.mktemp('reminders') / 'none.db'}")
        channel = WeChatInput(config, store=store, clock=clock, reminders=reminders)
        bot = bot or FakeBot()
        app = ServedApp(channel, bot)
        await in_server(server_loop, app.start())
        served.append(app)
        http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=15))
        sessions.append(http)
        return Harness(app.url, channel, bot, wechat_api, side or WeChatSide(clock=clock), http, mode)

    yield start
    for http in sessions:
        await http.close()
    for app in served:
        await in_server(server_loop, app.stop())


def redis_available(url: str = REDIS_URL) -> bool:
    try:
        import redis

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # noqa: BLE001 - any failure means: no Redis here
        return False


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The test Redis (database 15 by default); skipped when Redis is not reachable."""
    if not redis_available():
        unavailable(f"Redis is not reachable at {REDIS_URL}")
    yield REDIS_URL


def delete_keys(url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
    try:
        keys = list(client.scan_iter(match=prefix + "*", count=500))
        if keys:
            client.delete(*keys)
    finally:
        client.close()
