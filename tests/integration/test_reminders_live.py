"""Progress reminders through the running assistant: the app channel, the real Rasa model,
the action server, the local progress service and a notifier process (`python -m
reminders`), with a fake app backend receiving the signed callback over real HTTP."""
from __future__ import annotations

import hashlib
import hmac
import json
import socket
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tooling import services
from tooling.processes import command
from tests.integration.app_channel import APP_HMAC_SECRET
from tests.integration.test_app_channel_live import documented, post

pytestmark = pytest.mark.integration


class Backend:
    """The app backend's callback URL: checks the signature, records each Idempotency-Key once."""

    def __init__(self):
        self.bodies: list[dict] = []
        self.arrived: list[float] = []
        self.bad = 0
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                stamp, nonce = self.headers["X-Yuban-Timestamp"], self.headers["X-Yuban-Nonce"]
                expected = hmac.new(APP_HMAC_SECRET.encode(), f"{stamp}\n{nonce}\n".encode() + raw,
                                    hashlib.sha256).hexdigest()
                if hmac.compare_digest(expected, self.headers["X-Yuban-Signature"]):
                    backend.bodies.append(json.loads(raw))
                    backend.arrived.append(time.perf_counter())
                    self.send_response(200)
                else:
                    backend.bad += 1
                    self.send_response(401)
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/reminders"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def notifier(stack):
    backend = Backend()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**stack.environment(), "YUBAN_APP_CALLBACK_URL": backend.url, "YUBAN_REMINDER_POLL_SECONDS": "0.2"}
    with open(stack.log_dir / "reminders-test.log", "ab") as log:
        process = subprocess.Popen(command("reminders", port), cwd=services.ROOT, env=env, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    services.wait_http(f"http://127.0.0.1:{port}/health", 60, process)
    yield backend
    process.terminate()
    process.wait(timeout=20)
    backend.server.shutdown()


def texts(reply: dict) -> str:
    return "\n".join(m.get("text", "") for m in reply["messages"])


def test_verify_subscribe_advance_one_callback(stack, notifier, progress_seed):
    from progress_service.changes import advance
    from progress_service.repository import make_engine
    from progress_service.seed import now_local

    # the last application at 受理 (it moves to 审查): the other tests use the first of each stage
    number, factor = [(n, f) for n, f, stage, _late in progress_seed[1].examples if stage == "accepted"][-1]
    conversation = f"reminders-{uuid.uuid4().hex[:10]}"
    answered = documented(post({"conversation_id": conversation, "message": f"{number} 手机尾号{factor}"}))
    assert any(m["type"] == "progress" for m in answered["messages"])
    assert "回复“提醒我”" in texts(answered)
    subscribed = documented(post({"conversation_id": conversation, "message": "提醒我"}))
    masked = f"{number[:6]}****{number[-4:]}"
    assert masked in texts(subscribed) and "有进展时会通知您" in texts(subscribed)
    listed = documented(post({"conversation_id": conversation, "message": "我的提醒"}))
    assert masked in texts(listed)

    engine = make_engine(progress_seed[0])
    started = time.perf_counter()
    advance(engine, number, now_local())
    engine.dispose()
    deadline = time.monotonic() + 30
    while not notifier.bodies and time.monotonic() < deadline:
        time.sleep(0.02)
    assert notifier.bodies, "no callback arrived"
    print(f"\nadvance → app callback through the running notifier: {(notifier.arrived[0] - started) * 1000:.0f} ms")
    time.sleep(1.5)  # several more rounds: nothing is sent twice
    assert len(notifier.bodies) == 1 and notifier.bad == 0
    body = notifier.bodies[0]
    assert body["conversation_id"] == conversation and body["application"]["stage"] == "review"
    assert body["application"]["number_masked"] == masked and number not in json.dumps(body)

    cancelled = documented(post({"conversation_id": conversation, "message": "取消提醒"}))
    assert "已取消 1 个" in texts(cancelled)
