"""Operations endpoints for the Rasa server, as an input channel (no fork of Rasa).

Enable it in credentials.yml with an empty block:

    channels.ops.OpsInput:

and Rasa serves /webhooks/ops/health (process up), /webhooks/ops/ready (model loaded,
tracker store, lock store and event broker reachable) and /webhooks/ops/metrics
(Prometheus). When Rasa registers the channel's blueprint, the blueprint adds app-level
middleware that counts and times every request of the server by route pattern, and the
channel makes JSON lines with personal data masked the only log output (monitoring.logs;
Rasa installs coloredlogs after reading --logging-config-file, so it is done again here).
"""
from __future__ import annotations

import asyncio
import inspect
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint
from sanic.request import Request

from monitoring import logs
from monitoring.sanic_ops import install_middleware, ops_blueprint
from channels.messages import say

SERVICE = "rasa"


class _AppWideBlueprint(Blueprint):
    """A blueprint that, once registered, instruments the whole application."""

    def register(self, app, options):
        super().register(app, options)
        install_middleware(app, SERVICE, on_request=_remember_sender)


def _remember_sender(request: Request) -> None:
    """The conversation a webhook request is about, so its logs show hashes, not ids:
    REST's `sender`, the app's `conversation_id`/`user_id`, WeChat's `openid` (query)."""
    if request.method != "POST" or not request.path.endswith("/webhook"):
        return
    openid = request.args.get("openid")
    body = None
    if "json" in (request.content_type or ""):
        try:
            body = request.json
        except Exception:  # noqa: BLE001 — the channel itself answers malformed JSON
            body = None
    if not isinstance(body, dict):
        body = {}
    logs.set_conversation(body.get("sender") or openid, body.get("conversation_id"), body.get("user_id"), openid)


def _unwrap(store: Any) -> Any:
    """Rasa wraps stores (fail-safe, awaitable); readiness checks the real one."""
    seen = 0
    while hasattr(store, "_tracker_store") and seen < 5:
        store, seen = store._tracker_store, seen + 1
    return store


async def ping_backend(component: Any) -> None:
    """Raises unless the component's database or Redis answers (in-memory ones always do)."""
    component = _unwrap(component)
    if getattr(component, "engine", None) is not None:
        import sqlalchemy as sa

        def select_one() -> None:
            with component.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))

        await asyncio.to_thread(select_one)
    elif getattr(component, "red", None) is not None:
        await asyncio.to_thread(component.red.ping)


def readiness_checks(request: Request) -> dict[str, Callable[[], Awaitable[None]]]:
    agent = getattr(request.app.ctx, "agent", None)

    async def model() -> None:
        if agent is None or not agent.is_ready():
            raise RuntimeError("model not loaded yet")

    async def tracker_store() -> None:
        await model()
        await ping_backend(agent.tracker_store)

    async def lock_store() -> None:
        await model()
        await ping_backend(agent.lock_store)

    async def event_broker() -> None:
        await model()
        broker = getattr(_unwrap(agent.tracker_store), "event_broker", None)
        if broker is not None:
            await ping_backend(broker)
            ready = broker.is_ready() if hasattr(broker, "is_ready") else True
            if inspect.isawaitable(ready):
                ready = await ready
            if not ready:
                raise RuntimeError("event broker not ready")

    return {"model": model, "tracker_store": tracker_store, "lock_store": lock_store, "event_broker": event_broker}


class OpsInput(InputChannel):
    """/webhooks/ops/health|ready|metrics, request metrics for the server, JSON logs."""

    @classmethod
    def name(cls) -> str:
        return "ops"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        unknown = set(credentials) - {"log_level"}
        if unknown:
            raise ValueError(say("operator.unknown_ops_keys", keys=", ".join(sorted(unknown))))
        return cls(log_level=credentials.get("log_level"))

    def __init__(self, log_level: str | None = None) -> None:
        self.log_level = log_level

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        logs.configure(SERVICE, self.log_level)
        return ops_blueprint("yuban_ops", SERVICE, readiness_checks, blueprint_class=_AppWideBlueprint)
