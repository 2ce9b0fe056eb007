"""Shared state of the channel: message claims and finished replies, per-user choices,
the access token. `MemoryStore` serves one process; `RedisStore` (redis_store.py) lets
several Rasa processes agree on who answers a message WeChat sent more than once.

Claims and deliveries are atomic "set if absent" operations, so however many copies of
a message arrive, in however many processes, one computes the answer and one delivers it.
"""
from __future__ import annotations

import asyncio
import time
from abc import ABC, abstractmethod
from typing import Any


class ReplyStore(ABC):
    """Async key/value operations the dispatcher and the token cache need."""

    @abstractmethod
    async def claim(self, key: str, ttl: float) -> bool:
        """True for the first caller for `key` within `ttl` seconds, False for the others."""

    @abstractmethod
    async def finish(self, key: str, parts: list[str], ttl: float) -> None:
        """Publish the finished reply of a claimed message."""

    @abstractmethod
    async def wait_done(self, key: str, timeout: float) -> list[str] | None:
        """The finished reply, waiting up to `timeout` seconds for it; None if not ready."""

    @abstractmethod
    async def add_waiter(self, key: str, deadline: float, ttl: float) -> None:
        """Note that a request waits for `key` until `deadline` (epoch seconds)."""

    @abstractmethod
    async def waiter_deadline(self, key: str) -> float | None:
        """The latest deadline of a request waiting for `key`."""

    @abstractmethod
    async def claim_delivery(self, key: str, ttl: float) -> bool:
        """True for the one caller that delivers the reply of `key`."""

    @abstractmethod
    async def remember_choices(self, openid: str, choices: dict[str, Any], ttl: float) -> None:
        """What each digit meant in the last numbered list offered to a user."""

    @abstractmethod
    async def recall_choices(self, openid: str) -> dict[str, Any]:
        """The mapping saved by remember_choices ({} when none)."""

    @abstractmethod
    async def cached_token(self) -> str | None:
        """The cached access token, if still valid."""

    @abstractmethod
    async def cache_token(self, token: str, ttl: float) -> None:
        """Cache an access token for `ttl` seconds."""

    @abstractmethod
    async def drop_token(self, token: str) -> None:
        """Forget `token` if it is still the cached one (WeChat said it expired)."""

    @abstractmethod
    async def lock(self, name: str, ttl: float) -> bool:
        """A short lock (e.g. one process fetches the token); False if someone holds it."""

    @abstractmethod
    async def unlock(self, name: str) -> None:
        """Release a lock taken with lock()."""

    async def close(self) -> None:
        """Release connections (nothing to do for the in-memory store)."""


class MemoryStore(ReplyStore):
    """One process: dicts with expiry times and asyncio events."""

    def __init__(self, clock: Any = time.time) -> None:
        self._clock = clock
        self._values: dict[str, tuple[Any, float]] = {}
        self._events: dict[str, asyncio.Event] = {}
        self._writes = 0

    def _get(self, key: str) -> Any:
        entry = self._values.get(key)
        if entry is None:
            return None
        if entry[1] <= self._clock():
            self._values.pop(key, None)
            return None
        return entry[0]

    def _set(self, key: str, value: Any, ttl: float, only_if_absent: bool = False) -> bool:
        if only_if_absent and self._get(key) is not None:
            return False
        self._values[key] = (value, self._clock() + ttl)
        self._writes += 1
        if self._writes % 256 == 0:
            self._purge()
        return True

    def _purge(self) -> None:
        now = self._clock()
        for key in [k for k, (_, expiry) in self._values.items() if expiry <= now]:
            self._values.pop(key, None)
            self._events.pop(key, None)

    async def claim(self, key: str, ttl: float) -> bool:
        return self._set(f"claim:{key}", True, ttl, only_if_absent=True)

    async def finish(self, key: str, parts: list[str], ttl: float) -> None:
        self._set(f"done:{key}", list(parts), ttl)
        self._events.setdefault(f"done:{key}", asyncio.Event()).set()

    async def wait_done(self, key: str, timeout: float) -> list[str] | None:
        parts = self._get(f"done:{key}")
        if parts is None and timeout > 0:
            event = self._events.setdefault(f"done:{key}", asyncio.Event())
            try:
                await asyncio.wait_for(event.wait(), timeout)
            except asyncio.TimeoutError:
                return None
            parts = self._get(f"done:{key}")
        return list(parts) if parts is not None else None

    async def add_waiter(self, key: str, deadline: float, ttl: float) -> None:
        current = self._get(f"waiter:{key}")
        self._set(f"waiter:{key}", max(deadline, current or 0.0), ttl)

    async def waiter_deadline(self, key: str) -> float | None:
        return self._get(f"waiter:{key}")

    async def claim_delivery(self, key: str, ttl: float) -> bool:
        return self._set(f"delivered:{key}", True, ttl, only_if_absent=True)

    async def remember_choices(self, openid: str, choices: dict[str, Any], ttl: float) -> None:
        self._set(f"choices:{openid}", dict(choices), ttl)

    async def recall_choices(self, openid: str) -> dict[str, Any]:
        return dict(self._get(f"choices:{openid}") or {})

    async def cached_token(self) -> str | None:
        return self._get("token")

    async def cache_token(self, token: str, ttl: float) -> None:
        self._set("token", token, ttl)

    async def drop_token(self, token: str) -> None:
        if self._get("token") == token:
            self._values.pop("token", None)

    async def lock(self, name: str, ttl: float) -> bool:
        return self._set(f"lock:{name}", True, ttl, only_if_absent=True)

    async def unlock(self, name: str) -> None:
        self._values.pop(f"lock:{name}", None)
