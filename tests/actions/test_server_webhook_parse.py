"""The action server reads the webhook's body once (actions/server.py): the action's name and
the conversation for metrics and logs come from Sanic's parsed `request.json`, which
rasa_sdk's webhook then reads without parsing the body again."""
from __future__ import annotations

import json
import zlib

import pytest
from sanic import Sanic
from sanic.exceptions import SanicException

from actions import server
from monitoring import logs


@pytest.fixture(scope="module")
def app():
    return Sanic("yuban_test_webhook_parse")


def webhook_request(app, body: bytes, headers: dict | None = None, path: bytes = b"/webhook", method: str = "POST"):
    from sanic.compat import Header
    from sanic.request import Request

    request = Request(path, Header(headers or {}), "1.1", method, None, app)
    request.body = body
    return request


def test_the_body_is_parsed_once_and_rasa_sdk_reads_the_same_object(app, monkeypatch):
    call = {"next_action": "action_answer_guide", "sender_id": "user-1", "tracker": {"events": []}}
    request = webhook_request(app, json.dumps(call).encode())
    parses = []
    real_loads = json.loads
    monkeypatch.setattr(json, "loads", lambda *a, **k: parses.append(1) or real_loads(*a, **k))
    server._on_request(request)
    assert request.ctx.yuban_action == "action_answer_guide"
    assert logs.sender_id.get() == "user-1"
    parsed = request.parsed_json
    assert parsed == call
    assert request.json is parsed  # what rasa_sdk's webhook reads: no second parse
    assert parses == []  # no parse of its own besides Sanic's (which rasa_sdk reuses)


@pytest.mark.parametrize("body, headers", [
    (b"{not json", {}),
    (b"", {}),
    (b"[1, 2]", {}),
    (zlib.compress(json.dumps({"next_action": "action_x"}).encode()), {"Content-Encoding": "deflate"}),
])
def test_bodies_it_cannot_read_leave_the_action_unknown(app, body, headers):
    request = webhook_request(app, body, headers)
    server._on_request(request)
    assert request.ctx.yuban_action is None


def test_invalid_json_is_still_refused_by_the_webhook_read(app):
    request = webhook_request(app, b"{not json")
    server._on_request(request)
    with pytest.raises(SanicException):
        _ = request.json


def test_other_routes_are_not_read(app):
    request = webhook_request(app, b"{}", path=b"/health", method="GET")
    server._on_request(request)
    assert request.parsed_json is None
