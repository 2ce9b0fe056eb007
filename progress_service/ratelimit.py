"""Sliding-window counters that protect the service from guessing.

Two uses: requests per client address, and failed verifications per application
number. The second counts misses for unknown numbers too, so a 429 never tells a
guesser that a number exists. State is in process memory on purpose: this is the
platform's own last line of defence, not the assistant's per-conversation lock.
"""
from __future__ import annotations

import math
import time
from collections import OrderedDict, deque
from typing import Callable


class SlidingWindow:
    def __init__(self, limit: int, window: float, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 100_000):
        self.limit, self.window, self._clock, self._max_keys = limit, window, clock, max_keys
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str) -> deque[float]:
        hits = self._hits.get(key)
        if hits is None:
            return deque()
        cutoff = self._clock() - self.window
        while hits and hits[0] <= cutoff:
            hits.popleft()
        if not hits:
            del self._hits[key]
        return hits

    def retry_after(self, key: str) -> int | None:
        """Seconds until ``key`` may try again, or None when it is under the limit."""
        hits = self._recent(key)
        if len(hits) < self.limit:
            return None
        return max(1, math.ceil(hits[0] + self.window - self._clock()))

    def hit(self, key: str) -> None:
        hits = self._recent(key)
        hits.append(self._clock())
        self._hits[key] = hits
        self._hits.move_to_end(key)
        while len(self._hits) > self._max_keys:  # bounded memory under a flood of random numbers
            self._hits.popitem(last=False)
