"""Action calls over kept connections (bot/ops/action_session.py), against a real HTTP server
in the test (Rasa environment): the same bytes, headers and answers as Rasa's own request,
one connection for calls in a row, a new one after the keep-alive, Rasa's errors."""
from __future__ import annotations

import asyncio
import json

import pytest

from bot.ops import action_payload, action_session


class Recorder:
    """An aiohttp server that records each request's peer port, headers and body."""

    def __init__(self, status: int = 200):
        self.status, self.seen = status, []

    async def handle(self, request):
        from aiohttp import web

        self.seen.append({"port": request.transport.get_extra_info("peername")[1], "body": await request.read(),
                          "type": request.headers.get("Content-Type"), "query": dict(request.query)})
        return web.json_response({"events": [], "responses": []}, status=self.status)

    async def __aenter__(self):
        from aiohttp import web

        app = web.Application()
        app.router.add_post("/webhook", self.handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.url = f"http://127.0.0.1:{self.runner.addresses[0][1]}/webhook"
        return self

    async def __aexit__(self, *exc):
        await self.runner.cleanup()


def _body():
    from bench.turn_fixtures import turn_events
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("session-test", slots=None)
    for turn in range(3):
        for event in turn_events(turn):
            tracker.update(event)
    return action_payload.action_call_format(RemoteAction("action_guide", None), tracker, Domain.empty())


@pytest.fixture
def installed():
    action_session.install()
    yield
    action_session.uninstall()


def test_calls_in_a_row_share_a_connection_and_send_rasas_bytes(installed, monkeypatch):
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    monkeypatch.setattr(action_session, "KEEPALIVE_SECONDS", 0.3)

    async def scenario():
        async with Recorder() as server:
            endpoint = EndpointConfig(server.url, params={"p": "1"}, token="t")
            action = RemoteAction("action_guide", endpoint)
            assert isinstance(action.action_endpoint, action_session.KeptConnectionsEndpoint)
            assert action.action_endpoint.kwargs == endpoint.kwargs
            body = _body()
            answers = [await action.action_endpoint.request(json=body, method="post") for _ in range(3)]
            await asyncio.sleep(0.6)  # past the keep-alive: the next call connects again
            answers.append(await action.action_endpoint.request(json=body, method="post"))
            rasas = await endpoint.request(json=body, method="post")  # Rasa's own request, for comparison
            await action_session.close_pool()
            return server.seen, answers, rasas, body

    seen, answers, rasas, body = asyncio.run(scenario())
    assert answers == [rasas] * 4
    assert all(call["body"] == json.dumps(body).encode("utf-8") for call in seen)
    assert all(call["type"] == "application/json" and call["query"] == {"p": "1", "token": "t"} for call in seen)
    ports = [call["port"] for call in seen]
    assert ports[0] == ports[1] == ports[2] and len(set(ports)) == 3


def test_errors_are_rasas(installed):
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import ClientResponseError, EndpointConfig

    async def scenario():
        async with Recorder(status=500) as server:
            action = RemoteAction("action_guide", EndpointConfig(server.url))
            with pytest.raises(ClientResponseError):
                await action.action_endpoint.request(json={"next_action": "x"}, method="post")
            await action_session.close_pool()

    asyncio.run(scenario())


def test_each_event_loop_has_its_own_pool(installed):
    async def pool():
        return action_session.connection_pool()

    first, second = asyncio.run(pool()), asyncio.run(pool())
    assert first is not second
    assert len(action_session._pools) == 1  # the first loop is closed: its pool is dropped


def test_no_endpoint_and_uninstall_are_rasas():
    from rasa.core.actions.action import RemoteAction
    from rasa.utils.endpoints import EndpointConfig

    action_session.install()
    assert RemoteAction("a", None).action_endpoint is None
    action_session.uninstall()
    endpoint = EndpointConfig("http://127.0.0.1:1/webhook")
    assert RemoteAction("a", endpoint).action_endpoint is endpoint
