"""HTTP routes and the translation of failures into typed JSON errors.

Every failure leaves as {"error": {"code", "message"}}. "Not found" and "wrong
verification" share one pre-rendered body, status and headers, so the two cannot
be told apart by the response. Logs carry error codes only: never paths, numbers,
factors, identities or names.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re

from aiohttp import web
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from progress_service import changes as feed
from progress_service.metrics import counted
from progress_api.numbers import is_valid, is_verification_factor
from progress_service.ratelimit import SlidingWindow
from progress_service.repository import ProgressRepository
from progress_service.settings import Settings
from progress_service.views import public_view

logger = logging.getLogger(__name__)

SETTINGS = web.AppKey("settings", Settings)
REPOSITORY = web.AppKey("repository", ProgressRepository)
ENGINE = web.AppKey("engine", Engine)
CLIENT_LIMIT = web.AppKey("client_limit", SlidingWindow)
FAILURE_LIMIT = web.AppKey("failure_limit", SlidingWindow)

FACTOR_HEADER = "X-Verification-Factor"
# The caller is the assistant's action server, on behalf of many citizens: it names the
# citizen (an opaque hash) so the per-client limit holds per end user, not per server.
END_USER_HEADER = "X-End-User"
_END_USER = re.compile(r"^[A-Za-z0-9_\-]{8,128}$")
CHANNELS = ("app", "wechat")
_SUBJECT = re.compile(r"^[A-Za-z0-9_.:@\-]{1,100}$")
_DUMMY_FACTOR = b"\x00\x00\x00\x00"

MESSAGES = {
    "not_found": "未找到该办件，或验证信息不匹配",
    "bad_request": "请求格式不正确",
    "unauthorized": "缺少或错误的服务凭据",
    "rate_limited": "请求过于频繁，请稍后再试",
    "unavailable": "办件进度服务暂时不可用，请稍后再试",
    "internal": "办件进度服务内部错误",
}
STATUS = {"not_found": 404, "bad_request": 400, "unauthorized": 401, "rate_limited": 429, "unavailable": 503,
          "internal": 500}


class ApiError(Exception):
    def __init__(self, code: str, message: str | None = None, retry_after: int | None = None,
                 status: int | None = None):
        super().__init__(code)
        self.code, self.message, self.retry_after = code, message or MESSAGES[code], retry_after
        self.status = status or STATUS[code]


def error_response(error: ApiError) -> web.Response:
    body = json.dumps({"error": {"code": error.code, "message": error.message}}, ensure_ascii=False)
    headers = {"Retry-After": str(error.retry_after)} if error.retry_after else None
    return web.Response(status=error.status, text=body, content_type="application/json", headers=headers)


@web.middleware
async def errors_middleware(request: web.Request, handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as error:
        if error.code not in ("not_found", "bad_request"):
            logger.info("progress api: %s", error.code)
        return error_response(error)
    except web.HTTPNotFound:
        return error_response(ApiError("not_found"))
    except web.HTTPMethodNotAllowed:
        return error_response(ApiError("bad_request", "不支持该请求方法", status=405))
    except web.HTTPException as error:  # other framework errors (e.g. 413) keep their status
        return error_response(ApiError("bad_request", status=error.status))
    except (SQLAlchemyError, OSError) as error:
        logger.error("progress api: unavailable (%s)", type(error).__name__)
        return error_response(ApiError("unavailable"))
    except Exception as error:  # noqa: BLE001 - the edge: answer typed JSON, never a stack trace
        logger.error("progress api: internal error (%s)", type(error).__name__)
        return error_response(ApiError("internal"))


def _authorize(request: web.Request) -> None:
    settings, app = request.app[SETTINGS], request.app
    if settings.token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {settings.token}".encode()):
            raise ApiError("unauthorized")
    limiter = app[CLIENT_LIMIT]
    end_user = request.headers.get(END_USER_HEADER, "")
    if end_user and not _END_USER.match(end_user):
        raise ApiError("bad_request", f"{END_USER_HEADER} 应为 8-128 个字母、数字、_ 或 - 字符")
    key = f"user:{end_user}" if end_user else f"address:{request.remote or 'unknown'}"
    if (wait := limiter.retry_after(key)) is not None:
        raise ApiError("rate_limited", retry_after=wait)
    limiter.hit(key)


async def health(request: web.Request) -> web.Response:
    await asyncio.to_thread(request.app[REPOSITORY].ping)
    return web.json_response({"status": "ok"})


@counted("number")
async def lookup(request: web.Request) -> web.Response:
    """One application by number, shown only when the verification factor matches."""
    _authorize(request)
    number = request.match_info["number"]
    factor = request.headers.get(FACTOR_HEADER, "")
    if not is_valid(number):
        raise ApiError("bad_request", "办件编号格式不正确")
    if not is_verification_factor(factor):
        raise ApiError("bad_request", f"{FACTOR_HEADER} 应为申请人手机号后四位数字")
    failures = request.app[FAILURE_LIMIT]
    if (wait := failures.retry_after(number)) is not None:
        raise ApiError("rate_limited", retry_after=wait)
    app = await asyncio.to_thread(request.app[REPOSITORY].get, number)
    expected = app.phone_last4.encode() if app else _DUMMY_FACTOR
    # Compare even for unknown numbers so both paths do the same work.
    matches = hmac.compare_digest(factor.encode(), expected)
    if app is None or not matches:
        failures.hit(number)
        raise ApiError("not_found")
    today = request.app[SETTINGS].now().date()
    return web.json_response(public_view(app, today), dumps=_dumps)


@counted("identity")
async def for_identity(request: web.Request) -> web.Response:
    """Applications of an identity the calling channel has already verified."""
    _authorize(request)
    channel = request.query.get("channel", "")
    subject = request.query.get("subject", "")
    if channel not in CHANNELS:
        raise ApiError("bad_request", f"channel 应为 {'、'.join(CHANNELS)} 之一")
    if not _SUBJECT.match(subject):
        raise ApiError("bad_request", "subject 应为 1-100 个字母、数字或 _.:@- 字符")
    apps = await asyncio.to_thread(request.app[REPOSITORY].for_identity, channel, subject)
    today = request.app[SETTINGS].now().date()
    return web.json_response({"applications": [public_view(a, today) for a in apps]}, dumps=_dumps)


@counted("changes")
async def changes(request: web.Request) -> web.Response:
    """Stage changes after the `since` cursor, oldest first (the reminders follow this feed)."""
    _authorize(request)
    raw_limit = request.query.get("limit", str(feed.DEFAULT_LIMIT))
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= feed.MAX_LIMIT:
        raise ApiError("bad_request", f"limit 应为 1 到 {feed.MAX_LIMIT} 之间的整数")
    try:
        since = feed.decode_cursor(request.query.get("since"))
    except feed.CursorError:
        raise ApiError("bad_request", "since 不是本服务给出的游标") from None
    found, position, more = await asyncio.to_thread(feed.read, request.app[ENGINE], since, int(raw_limit))
    return web.json_response({"changes": found, "next_cursor": feed.encode_cursor(position), "has_more": more},
                             dumps=_dumps)


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def setup_routes(app: web.Application) -> None:
    app.router.add_get("/health", health)
    app.router.add_get("/v1/applications", for_identity)
    app.router.add_get("/v1/applications/{number}", lookup)
    app.router.add_get("/v1/changes", changes)
