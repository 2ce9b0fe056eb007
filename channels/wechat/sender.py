"""The customer-service message API (客服消息), for answers slower than the reply budget.

Uses aiohttp (wechatpy's client is synchronous and would block the server). The access
token is cached in the store until shortly before it expires, so several processes share
one token through Redis; when WeChat says a token is invalid or expired (40001, 42001,
40014) it is dropped, fetched again and the send is retried once.
"""
from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

import aiohttp

from channels.wechat.config import WeChatConfig
from channels.wechat.errors import WeChatAPIError
from channels.wechat.store import ReplyStore

logger = logging.getLogger(__name__)

TOKEN_ERRORS = frozenset({40001, 40014, 42001})
TOKEN_MARGIN_SECONDS = 300
TOKEN_LOCK_SECONDS = 10.0
HTTP_TIMEOUT = aiohttp.ClientTimeout(total=10)


class CustomerServiceClient:
    """Sends text messages to a user through WeChat's customer-service API."""

    def __init__(self, config: WeChatConfig, store: ReplyStore) -> None:
        self.config = config
        self.store = store
        self._session: aiohttp.ClientSession | None = None
        self._token_lock: asyncio.Lock | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=HTTP_TIMEOUT)
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def send_texts(self, openid: str, texts: list[str]) -> int:
        """Send the texts in order; stop at the first failure. Returns how many were sent."""
        sent = 0
        for text in texts:
            try:
                await self.send_text(openid, text)
            except (WeChatAPIError, aiohttp.ClientError, asyncio.TimeoutError, ValueError) as error:
                logger.error("wechat: customer-service message to %s failed: %s", openid, error)
                break
            sent += 1
        return sent

    async def send_text(self, openid: str, text: str) -> None:
        payload = {"touser": openid, "msgtype": "text", "text": {"content": text}}
        for attempt in (1, 2):
            token = await self.access_token()
            result = await self._post("/cgi-bin/message/custom/send", token, payload)
            errcode = int(result.get("errcode") or 0)
            if errcode == 0:
                return
            if errcode in TOKEN_ERRORS and attempt == 1:
                logger.info("wechat: access token rejected (%s), fetching a new one", errcode)
                await self.store.drop_token(token)
                continue
            raise WeChatAPIError(errcode, str(result.get("errmsg", "")))

    async def access_token(self) -> str:
        """The cached token, or a new one (one fetch at a time per process, and across
        processes while another holds the fetch lock)."""
        token = await self.store.cached_token()
        if token:
            return token
        if self._token_lock is None:
            self._token_lock = asyncio.Lock()
        async with self._token_lock:
            token = await self.store.cached_token()
            if token:
                return token
            locked = await self.store.lock("token", TOKEN_LOCK_SECONDS)
            if not locked:
                token = await self._wait_for_other_process()
                if token:
                    return token
            try:
                return await self._fetch_token()
            finally:
                if locked:
                    await self.store.unlock("token")

    async def _wait_for_other_process(self) -> str | None:
        for _ in range(30):
            await asyncio.sleep(0.1)
            token = await self.store.cached_token()
            if token:
                return token
        return None

    async def _fetch_token(self) -> str:
        params = {"grant_type": "client_credential", "appid": self.config.appid, "secret": self.config.appsecret}
        async with self.session.get(self.config.api_base_url + "/cgi-bin/token", params=params) as response:
            result = await _json(response)
        token = result.get("access_token")
        if not isinstance(token, str) or not token:
            raise WeChatAPIError(int(result.get("errcode") or -1), str(result.get("errmsg", "no access_token")))
        expires_in = int(result.get("expires_in") or 7200)
        await self.store.cache_token(token, max(expires_in - TOKEN_MARGIN_SECONDS, 60))
        return token

    async def _post(self, path: str, token: str, payload: dict[str, Any]) -> dict[str, Any]:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        async with self.session.post(self.config.api_base_url + path, params={"access_token": token}, data=body,
                                     headers={"Content-Type": "application/json; charset=utf-8"}) as response:
            return await _json(response)


async def _json(response: aiohttp.ClientResponse) -> dict[str, Any]:
    if response.status >= 400:
        raise WeChatAPIError(-response.status, f"HTTP {response.status}")
    try:
        result = json.loads(await response.read())
    except ValueError:
        raise WeChatAPIError(-1, "the API did not answer JSON") from None
    if not isinstance(result, dict):
        raise WeChatAPIError(-1, "the API did not answer a JSON object")
    return result
