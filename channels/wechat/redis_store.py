"""`ReplyStore` on Redis, so several Rasa processes share claims, replies and the token.

Claims are `SET NX` with a TTL; a finished reply is stored under the message's key and
waiters poll for it (a GET every few tens of milliseconds for at most the reply budget).
The client is created on first use, in the running event loop.
"""
from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from channels.plumbing import LazyRedis
from channels.wechat.store import ReplyStore

_DROP_IF_EQUAL = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
_RAISE_DEADLINE = """
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > current then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1
"""
POLL_SECONDS = (0.02, 0.05, 0.1)


class RedisStore(LazyRedis, ReplyStore):
    """The reply store shared by several Rasa processes; the client is created on first use."""

    def __init__(self, url: str, prefix: str, client: Any = None) -> None:
        super().__init__(url, client)
        self.prefix = prefix

    def _key(self, *parts: str) -> str:
        return self.prefix + ":".join(parts)

    async def claim(self, key: str, ttl: float) -> bool:
        return bool(await self.redis.set(self._key("claim", key), b"1", px=_ms(ttl), nx=True))

    async def finish(self, key: str, parts: list[str], ttl: float) -> None:
        await self.redis.set(self._key("done", key), json.dumps(parts, ensure_ascii=False), px=_ms(ttl))

    async def wait_done(self, key: str, timeout: float) -> list[str] | None:
        deadline = time.monotonic() + max(timeout, 0.0)
        attempt = 0
        while True:
            raw = await self.redis.get(self._key("done", key))
            if raw is not None:
                return [str(part) for part in json.loads(raw)]
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            await asyncio.sleep(min(POLL_SECONDS[min(attempt, len(POLL_SECONDS) - 1)], left))
            attempt += 1

    async def add_waiter(self, key: str, deadline: float, ttl: float) -> None:
        await self.redis.eval(_RAISE_DEADLINE, 1, self._key("waiter", key), repr(deadline), _ms(ttl))

    async def waiter_deadline(self, key: str) -> float | None:
        raw = await self.redis.get(self._key("waiter", key))
        return float(raw) if raw is not None else None

    async def claim_delivery(self, key: str, ttl: float) -> bool:
        return bool(await self.redis.set(self._key("delivered", key), b"1", px=_ms(ttl), nx=True))

    async def remember_choices(self, openid: str, choices: dict[str, Any], ttl: float) -> None:
        await self.redis.set(self._key("choices", openid), json.dumps(choices, ensure_ascii=False), px=_ms(ttl))

    async def recall_choices(self, openid: str) -> dict[str, Any]:
        raw = await self.redis.get(self._key("choices", openid))
        return dict(json.loads(raw)) if raw is not None else {}

    async def cached_token(self) -> str | None:
        raw = await self.redis.get(self._key("token"))
        return raw.decode("utf-8") if raw is not None else None

    async def cache_token(self, token: str, ttl: float) -> None:
        await self.redis.set(self._key("token"), token, px=_ms(ttl))

    async def drop_token(self, token: str) -> None:
        await self.redis.eval(_DROP_IF_EQUAL, 1, self._key("token"), token)

    async def lock(self, name: str, ttl: float) -> bool:
        return bool(await self.redis.set(self._key("lock", name), b"1", px=_ms(ttl), nx=True))

    async def unlock(self, name: str) -> None:
        await self.redis.delete(self._key("lock", name))


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))
