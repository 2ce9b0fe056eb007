"""Failures at the edge: JSON `{"error": {"code", "message"}}` for the API, a page for people."""
from __future__ import annotations

import json
import logging
from typing import Awaitable, Callable

from aiohttp import web

from console.templating import render
from console.messages import message

logger = logging.getLogger(__name__)


def wants_json(request: web.Request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def json_response(data, status: int = 200) -> web.Response:
    return web.Response(status=status, text=json.dumps(data, ensure_ascii=False, default=str),
                        content_type="application/json")


def api_error(request: web.Request, status: int, code: str, message: str) -> web.Response:
    if wants_json(request):
        return json_response({"error": {"code": code, "message": message}}, status)
    return render(request, "error.html", status=status, status_code=status, message=message)


class ConsoleError(Exception):
    """Raised by handlers for a clear refusal: bad input, unknown item…"""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


@web.middleware
async def errors_middleware(request: web.Request,
                            handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
    try:
        return await handler(request)
    except ConsoleError as error:
        return api_error(request, error.status, error.code, error.message)
    except web.HTTPException as error:
        if error.status >= 400 and wants_json(request):
            return json_response({"error": {"code": error.reason.lower().replace(" ", "_"), "message": error.reason}},
                                 error.status)
        raise
    except Exception:  # noqa: BLE001 - the edge: log, answer 500, keep serving
        logger.exception("console handler failed: %s %s", request.method, request.path)
        return api_error(request, 500, "internal", message("api.internal"))
