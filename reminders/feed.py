"""Reading the progress API's change feed (docs/progress-api.yaml, `GET /v1/changes`)."""
from __future__ import annotations

import asyncio
import json

import aiohttp

from progress_api.changes import ChangePage, FeedFormatError, parse_page


class FeedUnavailable(Exception):
    """The feed could not be read now (connection, timeout, non-200); `reason` is safe to log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class FeedClient:
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 10.0, limit: int = 100):
        self.base_url, self.token, self.limit = base_url.rstrip("/"), token, limit
        self.timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def page(self, since: str | None) -> ChangePage:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self.timeout)
        params = {"limit": str(self.limit), **({"since": since} if since else {})}
        headers = {"Accept": "application/json", **({"Authorization": f"Bearer {self.token}"} if self.token else {})}
        try:
            async with self._session.get(f"{self.base_url}/v1/changes", params=params, headers=headers,
                                         allow_redirects=False) as response:
                status, body = response.status, await response.read()
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            raise FeedUnavailable(type(error).__name__) from None
        if status != 200:
            raise FeedUnavailable(f"http_{status}")
        try:
            return parse_page(json.loads(body))
        except (ValueError, FeedFormatError):
            raise FeedUnavailable("malformed") from None
