"""/health, /ready and /metrics for an aiohttp application (progress service, console).

    setup_ops(app, "console", {"catalog": check_catalog})

adds the three routes and a middleware that counts requests by route pattern and
status and times them (monitoring.metrics), and puts a request id into the log context.
/health says the process is up; /ready runs the readiness checks (monitoring.readiness).
"""
from __future__ import annotations

import time
import uuid
from typing import Mapping

from aiohttp import web

from monitoring import logs, metrics
from monitoring.readiness import Check, run_checks



def setup_ops(app: web.Application, service_name: str, readiness_checks: Mapping[str, Check] | None = None,
              health_route: bool = True) -> None:
    """Adds the ops routes and the metrics middleware; call before the app is frozen.

    `health_route=False` when the app serves its own /health (it is then still counted).
    """
    checks = dict(readiness_checks or {})

    async def health(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "service": service_name})

    async def ready(_request: web.Request) -> web.Response:
        ok, report = await run_checks(checks)
        return web.json_response({"status": "ready" if ok else "not_ready", "service": service_name,
                                  "checks": report}, status=200 if ok else 503)

    async def metrics_view(_request: web.Request) -> web.Response:
        body, content_type = metrics.exposition()
        return web.Response(body=body, headers={"Content-Type": content_type})

    if health_route:
        app.router.add_get("/health", health)
    app.router.add_get("/ready", ready)
    app.router.add_get("/metrics", metrics_view)
    app.middlewares.insert(0, _metrics_middleware(service_name))


def _route_of(request: web.Request) -> str:
    resource = request.match_info.route.resource if request.match_info.route else None
    return resource.canonical if resource is not None else metrics.UNMATCHED_ROUTE


def _metrics_middleware(service: str):
    @web.middleware
    async def middleware(request: web.Request, handler) -> web.StreamResponse:
        started = time.perf_counter()
        token = logs.request_id.set(request.headers.get("X-Request-ID") or uuid.uuid4().hex[:16])
        status = 500
        try:
            response = await handler(request)
            status = response.status
            return response
        except web.HTTPException as error:
            status = error.status
            raise
        finally:
            logs.request_id.reset(token)
            metrics.observe_request(service, request.method, _route_of(request), status,
                                    time.perf_counter() - started)

    return middleware
