"""JSON logs (core.logs) for a process that also serves /metrics: error records are counted.

Processes call `monitoring.logs.configure(service)` at start; the formatter, the sender
hash and the conversation context are core.logs' own (re-exported so callers need one
import).
"""
from __future__ import annotations

import logging

from core import logs as _core_logs
from core.logs import (
    JsonFormatter,
    hash_id,
    json_handler,
    request_id,
    sender_id,
    set_conversation,
)

__all__ = ["JsonFormatter", "configure", "hash_id", "json_handler", "request_id", "sender_id", "set_conversation"]


def configure(service: str, level: str | int | None = None, stream=None) -> None:
    """core.logs.configure plus a handler counting error records for /metrics."""
    handlers: list[logging.Handler] = []
    try:  # prometheus_client is in both environments; a bare interpreter still gets JSON logs
        from monitoring.metrics import ErrorLogCounter

        handlers.append(ErrorLogCounter(service))
    except ImportError:
        pass
    _core_logs.configure(service, level, stream, extra_handlers=handlers)
