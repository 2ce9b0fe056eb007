"""The app backend's callback (docs/app-api.yaml, `ProgressReminder`): a signed POST.

Signed like the app channel's requests, in the other direction (channels/app/auth.py):
`X-Yuban-Timestamp`, `X-Yuban-Nonce` and `X-Yuban-Signature` = hex HMAC-SHA256 with
YUBAN_APP_HMAC_SECRET over `timestamp + "\\n" + nonce + "\\n" + body`. The delivery id is
sent as `Idempotency-Key`, so a callback retried after a timeout is recognised by the
backend; any 2xx means delivered. 408, 429 and 5xx, timeouts and connection errors are
retried; 410 means the user wants no more reminders (the app's own unsubscribe); another
4xx is a refusal for good.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import secrets
import time
from typing import Any, Callable

import aiohttp

from reminders.http import HttpClient
from reminders.outcome import Outcome

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({408, 425, 429})


def signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    message = timestamp.encode("ascii") + b"\n" + nonce.encode("ascii") + b"\n" + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


class AppCallbackSender(HttpClient):
    def __init__(self, url: str, secret: str, timeout: float = 10.0, clock: Callable[[], float] = time.time):
        super().__init__(timeout)
        self.url, self.secret, self._clock = url, secret, clock

    async def send(self, body: dict[str, Any], delivery_id: int) -> Outcome:
        raw = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        timestamp, nonce = str(int(self._clock())), secrets.token_urlsafe(24)
        headers = {"Content-Type": "application/json; charset=utf-8", "X-Yuban-Timestamp": timestamp,
                   "X-Yuban-Nonce": nonce, "X-Yuban-Signature": signature(self.secret, timestamp, nonce, raw),
                   "Idempotency-Key": f"reminder-{delivery_id}"}
        try:
            async with self.session.post(self.url, data=raw, headers=headers, allow_redirects=False) as response:
                status = response.status
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            logger.warning("reminders: app callback for delivery %s failed (%s)", delivery_id, type(error).__name__)
            return Outcome.RETRY  # safe: the backend deduplicates by Idempotency-Key
        if 200 <= status < 300:
            return Outcome.SENT
        logger.warning("reminders: app callback for delivery %s answered %s", delivery_id, status)
        if status == 410:
            return Outcome.GONE
        return Outcome.RETRY if status >= 500 or status in RETRY_STATUSES else Outcome.FAILED
