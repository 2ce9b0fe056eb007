"""Nonces already seen, so a signed request cannot be sent twice.

`MemoryNonces` serves one Rasa process; `RedisNonces` lets several processes share what
they have seen (`SET NX` with a TTL, atomic across processes). A nonce must be kept at
least as long as a request carrying it could still pass the timestamp check: twice the
window, since timestamps are accepted that far either side of our clock.
"""
from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import Any, Callable

from channels.plumbing import LazyRedis


class NonceStore(ABC):
    @abstractmethod
    async def first_use(self, nonce: str, ttl: float) -> bool:
        """True the first time `nonce` is seen within `ttl` seconds, False for a replay."""

    async def close(self) -> None:
        """Release connections (nothing to do in memory)."""


class MemoryNonces(NonceStore):
    """One process: a dict of nonce → expiry, purged as it grows."""

    def __init__(self, clock: Callable[[], float] = time.time, purge_every: int = 1024) -> None:
        self._clock = clock
        self._seen: dict[str, float] = {}
        self._purge_every = purge_every
        self._writes = 0

    async def first_use(self, nonce: str, ttl: float) -> bool:
        now = self._clock()
        expiry = self._seen.get(nonce)
        if expiry is not None and expiry > now:
            return False
        self._seen[nonce] = now + ttl
        self._writes += 1
        if self._writes % self._purge_every == 0:
            self._seen = {key: until for key, until in self._seen.items() if until > now}
        return True

    def __len__(self) -> int:
        return len(self._seen)


class RedisNonces(LazyRedis, NonceStore):
    """Several processes: `SET prefix+nonce 1 NX PX ttl`; the client is created on first use."""

    def __init__(self, url: str, prefix: str = "yuban:app:nonce:", client: Any = None) -> None:
        super().__init__(url, client)
        self.prefix = prefix

    async def first_use(self, nonce: str, ttl: float) -> bool:
        return bool(await self.redis.set(self.prefix + nonce, b"1", px=max(1, int(ttl * 1000)), nx=True))
