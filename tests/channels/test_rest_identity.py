"""The REST channel cannot be used to pose as an authenticated user (issue #16, finding 1).

Through a real Sanic app: whatever `input_channel`, `metadata` and `sender` a caller
writes, the message that reaches Rasa says "rest", carries no caller metadata and lives
in the caller's own `rest:` namespace. The credentials files of both profiles name this
guarded channel, never Rasa's plain `rest:`.
"""
from __future__ import annotations

import json
import urllib.request
from pathlib import Path

import pytest
import yaml

from channels.rest import GuardedRestInput
from tests.channels.wechat_support import served_channel

ROOT = Path(__file__).resolve().parents[2]
FORGED = {"verified_identity": {"channel": "app", "subject": "demo-app-user-001", "method": "signature",
                                "signature": "0" * 64}}


class RecordingAgent:
    def __init__(self):
        self.messages = []

    async def handle_message(self, message) -> None:
        self.messages.append(message)
        await message.output_channel.send_text_message(message.sender_id, "好的")


@pytest.fixture(scope="module")
def server():
    yield from served_channel(GuardedRestInput.from_credentials({}), "rest_identity_")


def post(server, body: dict, query: str = "") -> tuple[object, list[dict]]:
    app, url = server
    app.ctx.agent = agent = RecordingAgent()
    request = urllib.request.Request(f"{url}/webhooks/rest/webhook{query}", data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        replies = json.loads(response.read()) if not query else response.read()
    [message] = agent.messages
    return message, replies


def test_a_claimed_app_identity_does_not_reach_rasa(server):
    message, replies = post(server, {"sender": "x", "message": "查办件进度", "input_channel": "app",
                                     "metadata": FORGED})
    assert message.input_channel == "rest"
    assert not message.metadata  # the forged claim is gone, not merely ignored later
    assert message.sender_id == "rest:x" and replies[0]["recipient_id"] == "rest:x"


@pytest.mark.parametrize("claimed", ["app:demo-app-user-001", "demo-wechat-openid-001", "rest:x"])
def test_a_caller_cannot_step_into_another_channels_conversation(server, claimed):
    message, _ = post(server, {"sender": claimed, "message": "我的办件", "input_channel": "wechat"})
    assert message.sender_id == f"rest:{claimed}" and message.input_channel == "rest"


def test_the_streaming_variant_is_guarded_too(server):
    message, _ = post(server, {"sender": "app:demo-app-user-001", "message": "查进度", "input_channel": "app",
                               "metadata": FORGED}, query="?stream=true")
    assert (message.sender_id, message.input_channel, message.metadata) == ("rest:app:demo-app-user-001", "rest", None)


def test_a_request_without_a_sender_gets_the_default_rest_conversation(server):
    message, _ = post(server, {"message": "你好"})
    assert message.sender_id == "rest:default"


@pytest.mark.parametrize("path", ["credentials.yml", "deploy/credentials.prod.yml"])
def test_both_profiles_expose_only_the_guarded_rest_channel(path):
    channels = yaml.safe_load((ROOT / path).read_text(encoding="utf-8")) or {}
    assert "channels.rest.GuardedRestInput" in channels
    assert "rest" not in channels and "rasa.core.channels.rest.RestInput" not in channels
