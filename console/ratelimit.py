"""Counting failed logins per key (account, address, both) in a sliding window (in memory).

One console process serves the console, so memory is the right place; a restart
forgets the counts, which only ever helps a legitimate user.
"""
from __future__ import annotations

from collections import deque
from typing import Callable, Hashable


class FailureLimiter:
    def __init__(self, limit: int, window_seconds: float, clock: Callable[[], float]):
        self.limit, self.window, self._clock = limit, window_seconds, clock
        self._failures: dict[Hashable, deque[float]] = {}

    def _recent(self, key: Hashable) -> deque[float]:
        stamps = self._failures.get(key) or deque()
        cutoff = self._clock() - self.window
        while stamps and stamps[0] <= cutoff:
            stamps.popleft()
        if not stamps:
            self._failures.pop(key, None)  # forget quiet keys: memory stays bounded by recent failures
        return stamps

    def retry_after(self, *keys: Hashable, limit: int | None = None) -> int:
        """Seconds until another attempt is allowed for all keys (0 when allowed now); `limit`
        replaces the limiter's own for these keys (a key counting several sources together)."""
        limit = self.limit if limit is None else limit
        wait = 0.0
        for key in keys:
            stamps = self._recent(key)
            if len(stamps) >= limit:
                wait = max(wait, stamps[-limit] + self.window - self._clock())
        return int(wait) + 1 if wait > 0 else 0

    def fail(self, *keys: Hashable) -> None:
        now = self._clock()
        for key in keys:
            self._failures[key] = self._recent(key)
            self._failures[key].append(now)

    def reset(self, key: Hashable) -> None:
        self._failures.pop(key, None)
