"""One aiohttp session per client, opened on first use and reopened after a close: the
change feed, the WeChat API and the app backend each keep theirs."""
from __future__ import annotations

import aiohttp


class HttpClient:
    def __init__(self, timeout: float):
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
