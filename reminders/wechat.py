"""WeChat subscribe messages (订阅消息) for an official account: `subscribe/bizsend`.

The access token comes from `/cgi-bin/stable_token`, which does not invalidate the token
the WeChat channel (the Rasa processes) fetched through `/cgi-bin/token`; a token WeChat
rejects (40001, 40014, 42001) is fetched again with force_refresh and the send retried
once. The template (WECHAT_REMINDER_TEMPLATE_ID) must have the four keywords below:
item (thing1), masked number (character_string2), stage (phrase3), time (time4).
Logs name the delivery id and WeChat's error code, never the openid.
"""
from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

import aiohttp

from reminders.http import HttpClient
from reminders.outcome import Outcome

logger = logging.getLogger(__name__)

TOKEN_ERRORS = frozenset({40001, 40014, 42001})
NO_CONSENT = 43101  # "user refuse to accept the msg": no subscription consent left
BUSY = frozenset({-1, 45009, 45011})  # system busy, API frequency limits: later
TOKEN_MARGIN_SECONDS = 300


class SubscribeMessageSender(HttpClient):
    def __init__(self, appid: str, secret: str, template_id: str, api_base_url: str = "https://api.weixin.qq.com",
                 page: str | None = None, timeout: float = 10.0):
        super().__init__(timeout)
        self.appid, self.secret, self.template_id, self.page = appid, secret, template_id, page
        self.api_base_url = api_base_url.rstrip("/")
        self._token: tuple[str, float] | None = None

    @staticmethod
    def data(item: str, number_masked: str, stage_name: str, when: str) -> dict[str, dict[str, str]]:
        """The template's keywords (WeChat limits: thing 20 characters, phrase 5)."""
        return {"thing1": {"value": item[:20]}, "character_string2": {"value": number_masked},
                "phrase3": {"value": stage_name[:5]}, "time4": {"value": when}}

    async def send(self, openid: str, data: dict[str, Any], delivery_id: int) -> Outcome:
        payload = {"touser": openid, "template_id": self.template_id, "data": data,
                   **({"page": self.page} if self.page else {})}
        for attempt in (1, 2):
            try:
                token = await self._access_token(force=attempt == 2)
            except (aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                logger.warning("reminders: wechat token unavailable for delivery %s (%s)", delivery_id,
                               type(error).__name__)
                return Outcome.RETRY  # nothing was sent
            try:
                async with self.session.post(f"{self.api_base_url}/cgi-bin/message/subscribe/bizsend",
                                             params={"access_token": token},
                                             data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                                             headers={"Content-Type": "application/json; charset=utf-8"}) as response:
                    status, body = response.status, await response.read()
            except aiohttp.ClientConnectionError as error:
                if isinstance(error, aiohttp.ServerDisconnectedError):
                    return Outcome.UNKNOWN  # the request may have been read
                logger.warning("reminders: wechat unreachable for delivery %s", delivery_id)
                return Outcome.RETRY
            except asyncio.TimeoutError:
                logger.warning("reminders: wechat timed out on delivery %s; not resending", delivery_id)
                return Outcome.UNKNOWN
            if status >= 500:
                return Outcome.RETRY
            errcode = _errcode(body)
            if errcode == 0:
                return Outcome.SENT
            if errcode in TOKEN_ERRORS and attempt == 1:
                self._token = None
                continue
            logger.warning("reminders: wechat refused delivery %s (errcode %s)", delivery_id, errcode)
            if errcode == NO_CONSENT:
                return Outcome.NO_CONSENT
            return Outcome.RETRY if errcode in BUSY else Outcome.FAILED
        return Outcome.FAILED

    async def _access_token(self, force: bool = False) -> str:
        if self._token and not force and self._token[1] > time.monotonic():
            return self._token[0]
        body = {"grant_type": "client_credential", "appid": self.appid, "secret": self.secret,
                "force_refresh": force}
        async with self.session.post(f"{self.api_base_url}/cgi-bin/stable_token", json=body) as response:
            result = json.loads(await response.read())
        token = result.get("access_token") if isinstance(result, dict) else None
        if not isinstance(token, str) or not token:
            raise ValueError(f"no access_token (errcode {result.get('errcode') if isinstance(result, dict) else '?'})")
        lifetime = int(result.get("expires_in") or 7200)
        self._token = (token, time.monotonic() + max(lifetime - TOKEN_MARGIN_SECONDS, 60))
        return token


def _errcode(body: bytes) -> int:
    try:
        result = json.loads(body)
        return int(result.get("errcode") or 0)
    except (ValueError, AttributeError, TypeError):
        return -1
