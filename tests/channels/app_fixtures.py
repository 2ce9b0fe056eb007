"""Fixtures of the app channel tests: the real Sanic app with `channels.app.AppInput`
served on 127.0.0.1 (the WeChat tests' server loop), and a fake bot behind it."""
from __future__ import annotations

import secrets
import time
from typing import Any, AsyncIterator, Callable

import aiohttp
import pytest

from channels.app import AppConfig, AppInput
from tests.channels.app_support import AppHarness, credentials
from tests.channels.wechat_fixtures import in_server
from tests.channels.wechat_support import BackgroundLoop, FakeBot, ServedApp

IDENTITY_KEY = secrets.token_hex(32).encode()  # what the channel signs verified identities with


@pytest.fixture
async def start_app(server_loop: BackgroundLoop) -> AsyncIterator[Callable]:
    """start_app(clock=..., nonces=..., bot=..., **credentials) -> AppHarness."""
    served: list[ServedApp] = []
    sessions: list[aiohttp.ClientSession] = []

    async def start(clock: Callable[[], float] = time.time, nonces: Any = None, bot: Any = None,
                    **extra: Any) -> AppHarness:
        channel = AppInput(AppConfig.from_credentials(credentials(**extra)), nonces=nonces, clock=clock,
                           identity_key=IDENTITY_KEY)
        bot = bot or FakeBot()
        app = ServedApp(channel, bot)
        await in_server(server_loop, app.start())
        served.append(app)
        http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        sessions.append(http)
        return AppHarness(app.url, channel, bot, http)

    yield start
    for http in sessions:
        await http.close()
    for app in served:
        await in_server(server_loop, app.stop())
