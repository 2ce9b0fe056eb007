"""Action calls over kept connections, with the request encoded from the kept event texts.

Rasa 3.6's `EndpointConfig.request` opens a new aiohttp session for every call, so every action
call made a new TCP connection to the action server (1.7% of the Rasa process's samples under
load), and aiohttp encoded the whole request with `json.dumps`, the session's events included
(the largest cost left that grows with a long conversation; docs/performance.md).

Here RemoteAction's endpoint is wrapped (`KeptConnectionsEndpoint`): the request is Rasa's own
`EndpointConfig.request`, given
- sessions that share one connection pool per event loop (`aiohttp.TCPConnector`, not owned
  by the session, so Rasa's `async with` closes each session and leaves the pool). An idle
  connection is closed after `KEEPALIVE_SECONDS`, well before the action server's own
  keep-alive (Sanic: 5 s) would close it under a request; the pool opens more connections
  when calls overlap (aiohttp's limit, 100, as Rasa's sessions);
- the body as bytes from bot/ops/action_payload.py's `encode_body` (exactly aiohttp's
  `json.dumps(body)` in UTF-8) instead of `json=`, with Rasa's JSON content type.
Several action servers behind one address (the production profile: SO_REUSEPORT) share
connections, not requests: the kernel picks a server per connection, so a burst of calls over
one kept connection goes to one server, and overlapping calls open more connections, each
placed by the kernel; a connection idle for `KEEPALIVE_SECONDS` is gone.
Every other attribute of the endpoint is the wrapped one's. The pool belongs to the loop that
created it; another loop (a test, a new server) gets its own, and a pool whose loop is closed
is dropped; `close_pool()` closes the running loop's pool. A pool left open when the process
ends (its connections idle for less than `KEEPALIVE_SECONDS`) is closed with the process.

Installed by bot/ops/rasa_speedups.py. Rasa environment only.
"""
from __future__ import annotations

import asyncio
from typing import Any, Optional

import aiohttp
from rasa.core.actions.action import RemoteAction
from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

from bot.ops import action_payload
from bot.ops.patching import Patch

KEEPALIVE_SECONDS = 2.0

_pools: dict[asyncio.AbstractEventLoop, aiohttp.TCPConnector] = {}


def connection_pool() -> aiohttp.TCPConnector:
    """The connection pool of the running event loop (made on first use)."""
    loop = asyncio.get_running_loop()
    for other in [other for other in _pools if other.is_closed()]:
        del _pools[other]
    pool = _pools.get(loop)
    if pool is None or pool.closed:
        pool = _pools[loop] = aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS)
    return pool


async def close_pool() -> None:
    """Close the running loop's pool and its connections (a server or test that ends its loop)."""
    pool = _pools.pop(asyncio.get_running_loop(), None)
    if pool is not None:
        await pool.close()


class KeptConnectionsEndpoint:
    """An EndpointConfig whose requests use the loop's kept connections and the kept event texts."""

    def __init__(self, endpoint: EndpointConfig):
        self.endpoint = endpoint

    def __getattr__(self, name: str) -> Any:
        return getattr(self.endpoint, name)

    def session(self) -> aiohttp.ClientSession:
        """As EndpointConfig.session, over the loop's connection pool (which it does not close)."""
        auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"]) if self.basic_auth \
            else None
        return aiohttp.ClientSession(headers=self.headers, auth=auth,
                                     timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                                     connector=connection_pool(), connector_owner=False)

    async def request(self, method: str = "post", subpath: Optional[str] = None,
                      content_type: Optional[str] = "application/json", compress: bool = False,
                      **kwargs: Any) -> Optional[Any]:
        """Rasa's EndpointConfig.request, with a JSON body sent as its encoded bytes."""
        if "json" in kwargs and "data" not in kwargs and content_type == "application/json":
            kwargs["data"] = action_payload.encode_body(kwargs.pop("json")).encode("utf-8")
        return await EndpointConfig.request(self, method, subpath, content_type, compress, **kwargs)


def _init(self: RemoteAction, name: str, action_endpoint: Optional[EndpointConfig]) -> None:
    if type(action_endpoint) is EndpointConfig:
        action_endpoint = KeptConnectionsEndpoint(action_endpoint)
    _patch.original(self, name, action_endpoint)


_patch = Patch(lambda: RemoteAction, "__init__", _init)


def install() -> None:
    _patch.install()


def uninstall() -> None:
    _patch.uninstall()
