"""The action server as a process: several on one port (--reuse-port) with metrics summed
over them, and a failing action answered without echoing the conversation."""
from __future__ import annotations

import json
import signal
import subprocess
import urllib.error
import urllib.request

from prometheus_client.parser import text_string_to_metric_families

from tooling import services
from tests.ops.stack import SHARED_PORT

URL = f"http://127.0.0.1:{SHARED_PORT}"


def start(metrics_dir, log, *extra: str) -> subprocess.Popen:
    env = {**services.base_env(), "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
    return subprocess.Popen([str(services.VENVS / "actions" / "bin" / "python"), "-m", "actions.server",
                             "--port", str(SHARED_PORT), *extra], cwd=services.ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def health_requests_counted() -> float:
    with urllib.request.urlopen(URL + "/metrics", timeout=10) as response:
        text = response.read().decode()
    return sum(sample.value for family in text_string_to_metric_families(text) for sample in family.samples
               if sample.name == "yuban_http_requests_total" and sample.labels.get("route") == "/health")


def test_two_processes_share_a_port_and_one_survives_the_other(tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    with open(tmp_path / "actions.log", "wb") as log:
        first = start(metrics_dir, log, "--reuse-port")
        services.wait_http(URL + "/health", 60, first)
        second = start(metrics_dir, log, "--reuse-port")
        try:
            services.wait_http(URL + "/ready", 90, second)
            assert second.poll() is None and first.poll() is None  # both bound the same port
            before = health_requests_counted()
            sent = 0
            # The kernel spreads new connections over both listeners; each process writes its own
            # metrics file when it serves its first request.
            while sent < 20 or (len(list(metrics_dir.glob("counter_*.db"))) < 2 and sent < 200):
                with urllib.request.urlopen(URL + "/health", timeout=10) as response:
                    assert response.status == 200
                sent += 1
            assert len(list(metrics_dir.glob("counter_*.db"))) == 2
            assert health_requests_counted() - before == sent  # /metrics on either one sums both
            first.send_signal(signal.SIGTERM)
            first.wait(timeout=15)
            for _ in range(5):
                with urllib.request.urlopen(URL + "/health", timeout=10) as response:
                    assert response.status == 200
        finally:
            for process in (first, second):
                if process.poll() is None:
                    process.terminate()
                    process.wait(timeout=15)


def test_a_failing_action_is_answered_without_the_conversation_and_logged_masked(tmp_path):
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    with open(tmp_path / "actions.log", "wb") as log:
        server = start(metrics_dir, log, "--actions", "tests.ops.failing_actions")
        try:
            services.wait_http(URL + "/health", 60, server)
            call = {"next_action": "action_that_fails", "sender_id": "fail-user-1", "version": "3.6.2", "domain": {},
                    "tracker": {"sender_id": "fail-user-1", "slots": {}, "events": [], "paused": False,
                                "latest_message": {"text": "我叫张三，电话13812345678"}, "active_loop": {},
                                "followup_action": None, "latest_action_name": None}}
            request = urllib.request.Request(URL + "/webhook", data=json.dumps(call).encode(),
                                             headers={"Content-Type": "application/json"})
            try:
                urllib.request.urlopen(request, timeout=10)
                raise AssertionError("the failing action answered 200")
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read().decode()
            with urllib.request.urlopen(URL + "/metrics", timeout=10) as response:
                metrics = response.read().decode()
        finally:
            server.terminate()
            server.wait(timeout=15)
    assert status == 500 and json.loads(body)["code"] == "internal"
    assert 'yuban_log_errors_total{logger="actions.server",service="actions"} 1.0' in metrics
    assert 'yuban_http_errors_total{route="/webhook",service="actions"} 1.0' in metrics
    assert "13812345678" not in body and "fail-user-1" not in body
    lines = [json.loads(line) for line in (tmp_path / "actions.log").read_text().splitlines() if line.startswith("{")]
    [failure] = [line for line in lines if line["level"] == "ERROR" and "ValueError" in line["message"]]
    assert "ValueError: cannot handle 我叫[姓名]，电话[手机号]" in failure["exc"]
    assert failure["sender"] and "fail-user-1" not in json.dumps(lines)
