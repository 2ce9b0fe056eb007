"""Progress-specific metrics: lookups by kind and outcome (docs/operations.md)."""
from __future__ import annotations

import functools

from prometheus_client import Counter

LOOKUPS = Counter("yuban_progress_lookups_total",
                  "Progress API lookups by kind (number, identity, changes) and outcome (found or the error code)",
                  ["kind", "outcome"])


def counted(kind: str):
    """Counts a handler's outcome: "found" when it answers, else the ApiError's code."""
    def decorate(handler):
        @functools.wraps(handler)
        async def wrapper(request):
            from progress_service.api import ApiError

            try:
                response = await handler(request)
            except ApiError as error:
                LOOKUPS.labels(kind, error.code).inc()
                raise
            except Exception:
                LOOKUPS.labels(kind, "error").inc()
                raise
            LOOKUPS.labels(kind, "found").inc()
            return response
        return wrapper
    return decorate
