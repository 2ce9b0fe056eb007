"""Prometheus metrics common to every process (prometheus_client, in both environments).

HTTP metrics are recorded by the web helpers (monitoring.aiohttp_ops, monitoring.sanic_ops);
the names are listed in docs/operations.md. When PROMETHEUS_MULTIPROC_DIR is set (several
worker processes behind one port), /metrics aggregates every process of that directory.
"""
from __future__ import annotations

import logging
import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)

# Buckets up to WeChat's 5-second limit, finer where answers should be.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 7.5, 10.0)

HTTP_REQUESTS = Counter("yuban_http_requests_total", "HTTP requests served, by route pattern and status",
                        ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram("yuban_http_request_duration_seconds", "Time to answer an HTTP request",
                         ["service", "method", "route"], buckets=LATENCY_BUCKETS)
HTTP_ERRORS = Counter("yuban_http_errors_total", "Requests that ended in an unhandled error or a 5xx status",
                      ["service", "route"])

LOG_ERRORS = Counter("yuban_log_errors_total",
                     "Log records at ERROR or above, by service and logger (first two name parts)",
                     ["service", "logger"])

UNMATCHED_ROUTE = "unmatched"  # 404s are not labelled by path: paths can carry personal data


def observe_request(service: str, method: str, route: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(service, method, route, str(status)).inc()
    HTTP_LATENCY.labels(service, method, route).observe(seconds)
    if status >= 500:
        HTTP_ERRORS.labels(service, route).inc()


def exposition() -> tuple[bytes, str]:
    """The text exposition of this process (or of all processes when multiprocess)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST


class ErrorLogCounter(logging.Handler):
    """Counts error records: failures that are handled (Rasa goes on after an action server
    error, a channel still acknowledges) leave no 5xx, but they do leave an error line."""

    def __init__(self, service: str) -> None:
        super().__init__(level=logging.ERROR)
        self.service = service
        self.set_name("yuban-error-counter")

    def emit(self, record: logging.LogRecord) -> None:
        LOG_ERRORS.labels(self.service, ".".join(record.name.split(".")[:2])).inc()
