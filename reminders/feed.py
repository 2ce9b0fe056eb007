"""Reading the progress API's change feed (docs/progress-api.yaml, `GET /v1/changes`)."""
from __future__ import annotations

import asyncio
import json

import aiohttp

from progress_api.changes import ChangePage, FeedFormatError, parse_page
from reminders.http import HttpClient


class FeedUnavailable(Exception):
    """The feed could not be read now (connection, timeout, non-200); `reason` is safe to log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class FeedClient(HttpClient):
    def __init__(self, base_url: str, token: str | None = None, timeout: float = 10.0, limit: int = 100):
        super().__init__(timeout)
        self.base_url, self.token, self.limit = base_url.rstrip("/"), token, limit

    async def page(self, since: str | None) -> ChangePage:
        params = {"limit": str(self.limit), **({"since": since} if since else {})}
        headers = {"Accept": "application/json", **({"Authorization": f"Bearer {self.token}"} if self.token else {})}
        try:
            async with self.session.get(f"{self.base_url}/v1/changes", params=params, headers=headers,
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
