"""Client of the approval platform's progress API (docs/progress-api.yaml) for the actions.

A user waits on the other side of every call, so each call has a hard budget (under
3 s including retries): a slow or broken platform must give a clear "try later",
never a hanging conversation. Only GETs exist, so retrying is always safe; the
circuit breaker stops a dead platform from costing every user the full budget.
Logs carry error types and reason codes only — never numbers, digits or names, and
errors are raised `from None` so no URL (which holds the number) rides along.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import os
import random
import time
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable

import aiohttp

from actions.metrics import record_progress_query
from answers.templates import say
from progress_api import numbers
from progress_api.masking import mask_name, mask_phone
from progress_api.records import Application, TimelineStep

logger = logging.getLogger(__name__)

DEFAULT_URL = "http://127.0.0.1:8100"
FACTOR_HEADER = "X-Verification-Factor"
END_USER_HEADER = "X-End-User"  # whom a call is for: the platform limits per citizen, not per action server
CHINA = timezone(timedelta(hours=8))
MIN_ATTEMPT = 0.25  # seconds; a retry with less time left than this is not worth starting


class ProgressError(Exception):
    """Base of the client's errors; `reason` is a short code that is safe to log."""
    reason = "error"

    def __init__(self, reason: str | None = None):
        super().__init__(reason or self.reason)
        if reason:
            self.reason = reason


class NotFoundOrUnverified(ProgressError):
    """Unknown number or wrong verification factor — deliberately indistinguishable."""
    reason = "not_found"


class RateLimited(ProgressError):
    reason = "rate_limited"

    def __init__(self, reason: str | None = None, retry_after: int | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class PlatformUnavailable(ProgressError):
    """Timeout, connection failure, 5xx, refused credentials or an open circuit breaker."""
    reason = "unavailable"


class MalformedResponse(ProgressError):
    """The platform answered, but not with the documented JSON."""
    reason = "malformed"


class InvalidQuery(ProgressError):
    """The number or factor is not well formed (checked before any request, or a 400)."""
    reason = "invalid_query"


class CircuitBreaker:
    """Closed → open after `threshold` consecutive failed calls → half-open after `reset_after`.

    Half-open lets exactly one probe call through; its outcome closes or re-opens the
    breaker. The clock is injectable so tests need not wait 30 seconds.
    """

    def __init__(self, threshold: int = 5, reset_after: float = 30.0, clock: Callable[[], float] = time.monotonic):
        self.threshold, self.reset_after, self._clock = threshold, reset_after, clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probing = False

    @property
    def state(self) -> str:
        if self._opened_at is None:
            return "closed"
        return "half_open" if self._clock() - self._opened_at >= self.reset_after else "open"

    def allow(self) -> bool:
        state = self.state
        if state == "closed":
            return True
        if state == "half_open" and not self._probing:
            self._probing = True
            return True
        return False

    def success(self) -> None:
        self._failures, self._opened_at, self._probing = 0, None, False

    def failure(self) -> None:
        self._failures += 1
        if self._probing or self._failures >= self.threshold:
            self._opened_at = self._clock()
        self._probing = False

    def release(self) -> None:
        """A call ended without an outcome (cancelled): let another probe try."""
        self._probing = False


class _Retryable(Exception):
    """A transient failure worth another attempt: timeout, connection error, 5xx."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class ProgressClient:
    """One aiohttp session for the life of the process, created on first use."""

    def __init__(self, base_url: str | None = None, *, token: str | None = None, timeout: float = 2.0,
                 retries: int = 2, backoff: float = 0.1, budget: float = 2.5, breaker: CircuitBreaker | None = None):
        self.base_url = (base_url or DEFAULT_URL).rstrip("/")
        self.token, self.timeout, self.retries, self.backoff, self.budget = token, timeout, retries, backoff, budget
        self.breaker = breaker or CircuitBreaker()
        self._session: aiohttp.ClientSession | None = None

    @classmethod
    def from_env(cls) -> ProgressClient:
        raw = os.environ.get("YUBAN_PROGRESS_TIMEOUT", "2")
        try:
            timeout = float(raw)
        except ValueError:
            raise ValueError(say("action_server.timeout_not_seconds", value=repr(raw))) from None
        if not 0 < timeout <= 2.5:
            raise ValueError(say("action_server.timeout_out_of_range", value=repr(raw)))
        return cls(os.environ.get("YUBAN_PROGRESS_URL") or DEFAULT_URL,
                   token=os.environ.get("YUBAN_PROGRESS_TOKEN") or None, timeout=timeout)

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def lookup(self, number: str, factor: str, end_user: str | None = None) -> Application:
        """The application `number`, if `factor` (last four phone digits) verifies it.

        `end_user` is an opaque id of the citizen asking (see `end_user_id`)."""
        number = numbers.normalize(number)
        if not numbers.is_valid(number):
            raise InvalidQuery("invalid_number")
        if not numbers.is_verification_factor(factor):
            raise InvalidQuery("invalid_factor")
        headers = {FACTOR_HEADER: factor, **({END_USER_HEADER: end_user} if end_user else {})}
        data = await self._get(f"/v1/applications/{number}", headers=headers)
        app = _parse(data)
        if app.number != number:  # never show an application that was not asked for
            self._log(MalformedResponse("wrong_application"))
            raise MalformedResponse("wrong_application")
        return app

    async def applications_of(self, channel: str, subject: str, end_user: str | None = None) -> list[Application]:
        """Applications of an identity the channel has verified (e.g. channel "app")."""
        data = await self._get("/v1/applications", params={"channel": channel, "subject": subject},
                               headers={END_USER_HEADER: end_user} if end_user else None)
        if not isinstance(data, dict) or not isinstance(data.get("applications"), list):
            self._log(MalformedResponse("schema"))
            raise MalformedResponse("schema")
        return [_parse(entry) for entry in data["applications"]]

    async def _get(self, path: str, headers: dict[str, str] | None = None,
                   params: dict[str, str] | None = None) -> Any:
        if not self.breaker.allow():
            error = PlatformUnavailable("circuit_open")
            self._log(error)
            raise error
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.budget
        attempt, settled = 0, False
        try:
            while True:
                try:
                    result = await self._attempt(path, headers, params, min(self.timeout, deadline - loop.time()))
                except _Retryable as failure:
                    attempt += 1
                    delay = self.backoff * 2 ** (attempt - 1) * random.uniform(0.8, 1.2)
                    if attempt <= self.retries and deadline - loop.time() - delay >= MIN_ATTEMPT:
                        await asyncio.sleep(delay)
                        continue
                    error: ProgressError = PlatformUnavailable(failure.reason)
                except ProgressError as caught:
                    error = caught
                else:
                    settled = True
                    self.breaker.success()
                    record_progress_query(path, "ok")
                    return result
                settled = True
                # 404/429/400 come from a healthy platform; only its faults count against it.
                if isinstance(error, (PlatformUnavailable, MalformedResponse)):
                    self.breaker.failure()
                else:
                    self.breaker.success()
                record_progress_query(path, type(error).__name__)
                raise self._log(error) from None
        finally:
            if not settled:
                self.breaker.release()

    async def _attempt(self, path: str, headers: dict[str, str] | None, params: dict[str, str] | None,
                       timeout: float) -> Any:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession()
        all_headers = {"Accept": "application/json", **(headers or {})}
        if self.token:
            all_headers["Authorization"] = f"Bearer {self.token}"
        try:
            async with self._session.get(self.base_url + path, headers=all_headers, params=params,
                                         allow_redirects=False,
                                         timeout=aiohttp.ClientTimeout(total=max(timeout, 0.05))) as response:
                status, body = response.status, await response.read()
                retry_after = response.headers.get("Retry-After")
        except (asyncio.TimeoutError, TimeoutError):
            raise _Retryable("timeout") from None
        except aiohttp.ClientError:
            raise _Retryable("connection") from None
        if status >= 500:
            raise _Retryable(f"http_{status}")
        if status in (401, 403):
            raise PlatformUnavailable("unauthorized")
        data = _json(body)
        if status == 200:
            return data
        code = data.get("error", {}).get("code") if isinstance(data, dict) and isinstance(data.get("error"), dict) \
            else None
        if status == 404 and code == "not_found":
            raise NotFoundOrUnverified()
        if status == 429:
            raise RateLimited(retry_after=int(retry_after) if (retry_after or "").isdigit() else None)
        if status == 400:
            raise InvalidQuery("bad_request")
        raise MalformedResponse(f"http_{status}")

    @staticmethod
    def _log(error: ProgressError) -> ProgressError:
        level = logging.INFO if isinstance(error, (NotFoundOrUnverified, InvalidQuery)) else logging.WARNING
        logger.log(level, "progress platform: %s (%s)", type(error).__name__, error.reason)
        return error


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise MalformedResponse("bad_json") from None


def _time(value: Any) -> datetime | None:
    """Chongqing wall-clock time, whatever offset the platform wrote it in."""
    if value is None:
        return None
    moment = datetime.fromisoformat(_text(value).replace("Z", "+00:00"))
    return moment.astimezone(CHINA).replace(tzinfo=None) if moment.tzinfo else moment


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _parse(data: Any) -> Application:
    """Validate one application object; anything off schema is MalformedResponse."""
    try:
        timeline = tuple(TimelineStep(_text(s["stage"]), _text(s["name"]), _text(s["status"]), _time(s["at"]))
                         for s in data["timeline"])
        submitted = _time(data["submitted_at"])
        if submitted is None or not timeline or not isinstance(data["overdue"], bool) \
                or type(data["overdue_days"]) is not int or data["status"] not in ("in_progress", "completed"):
            raise ValueError("schema")
        promised = data.get("promised_date")
        return Application(
            number=_text(data["number"]), item_code=_text(data["item"]["code"]), item_name=_text(data["item"]["name"]),
            body_name=_text(data["handling_body"]["name"]), body_phone=_text(data["handling_body"]["phone"]),
            region=_text(data["handling_body"].get("region") or ""),
            supervision_phone=_text(data.get("supervision_phone") or "12345"),
            stage=_text(data["stage"]), stage_name=_text(data["stage_name"]),
            completed=data["status"] == "completed", timeline=timeline, submitted_at=submitted,
            promised_limit=_text(data.get("promised_limit") or ""),
            promised_date=date.fromisoformat(promised) if promised else None,
            completed_at=_time(data.get("completed_at")), overdue=data["overdue"], overdue_days=data["overdue_days"],
            # Masked again: a platform adapter that forgets must not reach the user.
            applicant_name=mask_name(_text(data["applicant"]["name"])),
            applicant_phone=mask_phone(_text(data["applicant"]["phone"])),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        ProgressClient._log(MalformedResponse("schema"))
        raise MalformedResponse("schema") from None


def end_user_id(sender_id: str) -> str:
    """An opaque, stable id of the conversation's citizen for the platform's rate limit
    (salted hash: the platform never learns the sender id)."""
    salt = os.environ.get("YUBAN_HASH_SALT", "yuban")
    return hashlib.sha256(f"{salt}|end-user|{sender_id}".encode()).hexdigest()[:32]


_default: ProgressClient | None = None


def default_progress_client() -> ProgressClient:
    """The process-wide client (lazy: no session exists until the first call)."""
    global _default
    if _default is None:
        _default = ProgressClient.from_env()
    return _default


async def close_default_client() -> None:
    """Close the process-wide session; call from the action server's shutdown hook."""
    global _default
    if _default is not None:
        await _default.close()
        _default = None
