"""/health, /ready and /metrics for Sanic applications (Sanic 21.12 in both environments).

`install_middleware(app, service)` counts and times every request of the app by route
pattern (monitoring.metrics) and puts a request id into the log context; `ops_blueprint`
serves the three endpoints. The action server (actions/server.py) mounts them at the root;
Rasa gets them at /webhooks/ops/ through the channels.ops input channel.
"""
from __future__ import annotations

import time
import uuid
from typing import Callable, Mapping

from sanic import Blueprint, response
from sanic.request import Request

from monitoring import logs, metrics
from monitoring.readiness import Check, run_checks

RequestHook = Callable[[Request], None]


def route_of(request: Request) -> str:
    route = getattr(request, "route", None)
    path = getattr(route, "path", None) if route is not None else None
    return "/" + path.lstrip("/") if path is not None else metrics.UNMATCHED_ROUTE


def install_middleware(app, service: str, on_request: RequestHook | None = None,
                       on_response: Callable[[Request, object], None] | None = None) -> None:
    """Registers app-level request/response middleware once (before the server starts)."""
    if getattr(app.ctx, "yuban_ops_installed", False):
        return
    app.ctx.yuban_ops_installed = True

    async def started(request: Request) -> None:
        request.ctx.yuban_started = time.perf_counter()
        logs.request_id.set(request.headers.get("X-Request-ID") or uuid.uuid4().hex[:16])
        logs.set_conversation(None)
        if on_request is not None:
            on_request(request)

    async def finished(request: Request, result) -> None:
        began = getattr(request.ctx, "yuban_started", None)
        seconds = time.perf_counter() - began if began is not None else 0.0
        metrics.observe_request(service, request.method, route_of(request), getattr(result, "status", 500), seconds)
        if on_response is not None:
            on_response(request, result)

    app.register_middleware(started, "request")
    app.register_middleware(finished, "response")


def ops_blueprint(name: str, service: str, checks: Mapping[str, Check] | Callable[[Request], Mapping[str, Check]],
                  url_prefix: str | None = None, blueprint_class: type[Blueprint] = Blueprint,
                  with_health: bool = True) -> Blueprint:
    """A blueprint serving health (process up), ready (checks pass) and metrics.

    `checks` may be a function of the request when the checks need the running app.
    """
    blueprint = blueprint_class(name, url_prefix=url_prefix)

    if with_health:  # the action server has rasa_sdk's own /health
        @blueprint.get("/health")
        async def health(_request: Request):
            return response.json({"status": "ok", "service": service})

    @blueprint.get("/ready")
    async def ready(request: Request):
        named = checks(request) if callable(checks) else checks
        ok, report = await run_checks(named)
        return response.json({"status": "ready" if ok else "not_ready", "service": service, "checks": report},
                             status=200 if ok else 503)

    @blueprint.get("/metrics")
    async def metrics_view(_request: Request):
        body, content_type = metrics.exposition()
        return response.raw(body, content_type=content_type)

    return blueprint
