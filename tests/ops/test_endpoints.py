"""Health, readiness and metrics of every process: live on the suite's stack, and the
not-ready answers with a dependency down."""
from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
import uuid

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from tooling import services
from monitoring.aiohttp_ops import setup_ops
from tests.ops.stack import ACTIONS_PORT, PROGRESS_PORT, RASA_PORT, SPARE_PORT

RASA = f"http://127.0.0.1:{RASA_PORT}"
ACTIONS = f"http://127.0.0.1:{ACTIONS_PORT}"
PROGRESS = f"http://127.0.0.1:{PROGRESS_PORT}"


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def samples(url: str) -> dict[tuple[str, tuple], float]:
    status, text = get(url)
    assert status == 200
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(text) for sample in family.samples}


def value(metrics: dict, name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in metrics.items() if n == name and set(labels.items()) <= set(ls))


def say(sender: str, text: str) -> list[dict]:
    request = urllib.request.Request(f"{RASA}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": text}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


@pytest.mark.parametrize("base, health, ready, checks", [
    (RASA, "/webhooks/ops/health", "/webhooks/ops/ready", {"model", "tracker_store", "lock_store", "event_broker"}),
    (ACTIONS, "/health", "/ready", {"catalog", "search_index"}),
    (PROGRESS, "/health", "/ready", {"database"}),
])
def test_every_process_is_healthy_and_ready(ops_stack, base, health, ready, checks):
    assert get(base + health)[0] == 200
    status, body = get(base + ready)
    answer = json.loads(body)
    assert status == 200 and answer["status"] == "ready" and set(answer["checks"]) == checks
    assert set(answer["checks"].values()) == {"ok"}


def test_requests_handoffs_fallbacks_and_progress_are_counted(ops_stack):
    before = {name: samples(url + path) for name, url, path in
              [("rasa", RASA, "/webhooks/ops/metrics"), ("actions", ACTIONS, "/metrics"),
               ("progress", PROGRESS, "/metrics")]}
    sender = f"metrics-{uuid.uuid4().hex[:6]}"
    say(sender, "转人工")
    say(sender, "阿巴阿巴咕噜咕噜")
    number, factor = ops_stack["examples"][0][:2]
    for text in ("查办件进度", number, factor):
        say(sender, text)
    after = {"rasa": samples(RASA + "/webhooks/ops/metrics"), "actions": samples(ACTIONS + "/metrics"),
             "progress": samples(PROGRESS + "/metrics")}

    def grew(process: str, name: str, by: float = 1, **labels: str) -> bool:
        return value(after[process], name, **labels) - value(before[process], name, **labels) >= by

    assert grew("rasa", "yuban_http_requests_total", 5, route="/webhooks/rest/webhook", status="200")
    assert grew("rasa", "yuban_http_request_duration_seconds_count", 5, route="/webhooks/rest/webhook")
    assert grew("actions", "yuban_http_requests_total", 3, route="/webhook")
    assert grew("actions", "yuban_handoffs_total", reason="user_request")
    assert grew("actions", "yuban_fallbacks_total")
    assert grew("actions", "yuban_action_runs_total", action="action_progress_answer", status="200")
    assert grew("actions", "yuban_progress_queries_total", kind="number", outcome="ok")
    assert grew("progress", "yuban_progress_lookups_total", kind="number", outcome="found")
    assert grew("progress", "yuban_http_requests_total", route="/v1/applications/{number}", status="200")


def test_metrics_carry_route_patterns_not_personal_data(ops_stack):
    say(f"metrics-{uuid.uuid4().hex[:6]}", "CQ202605140001233")
    get(f"{PROGRESS}/v1/applications/CQ202605140001233")
    for url in (RASA + "/webhooks/ops/metrics", ACTIONS + "/metrics", PROGRESS + "/metrics"):
        assert "CQ2026" not in get(url)[1]


def test_an_action_server_without_its_catalog_is_up_but_not_ready(tmp_path):
    env = {**services.base_env(), "YUBAN_DATABASE_URL": "postgresql://yuban:secret@127.0.0.1:1/unreachable"}
    log = open(tmp_path / "actions.log", "wb")
    process = subprocess.Popen([str(services.VENVS / "actions" / "bin" / "python"), "-m", "actions.server",
                                "--port", str(SPARE_PORT)], cwd=services.ROOT, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        services.wait_http(f"http://127.0.0.1:{SPARE_PORT}/health", 60, process)
        status, body = get(f"http://127.0.0.1:{SPARE_PORT}/ready")
        answer = json.loads(body)
        assert status == 503 and answer["status"] == "not_ready"
        assert "Connection refused" in answer["checks"]["catalog"] and "secret" not in body
    finally:
        process.terminate()
        process.wait(timeout=15)
        log.close()


async def test_aiohttp_ops_reports_failing_checks_and_counts_by_route_pattern():
    async def broken() -> None:
        raise ConnectionRefusedError("database at 13812345678 refused")

    async def fine() -> None:
        return None

    async def item(request: web.Request) -> web.Response:
        return web.json_response({"code": request.match_info["code"]})

    app = web.Application()
    app.router.add_get("/items/{code}", item)
    setup_ops(app, "unit", {"database": broken, "cache": fine})
    async with TestClient(TestServer(app)) as client:
        assert (await client.get("/health")).status == 200
        ready = await client.get("/ready")
        answer = await ready.json()
        assert ready.status == 503 and answer["checks"]["cache"] == "ok"
        assert answer["checks"]["database"].startswith("ConnectionRefusedError") and "13812345678" not in str(answer)
        await client.get("/items/CQ202605140001233")
        await client.get("/no/such/CQ202605140001233")
        text = await (await client.get("/metrics")).text()
    assert 'route="/items/{code}"' in text and 'route="unmatched"' in text and "CQ2026" not in text


async def test_the_console_serves_readiness_and_metrics(ops_stack):
    from console.app import create_app
    from console.settings import Settings

    env = ops_stack["env"]
    settings = Settings(catalog_url=env["YUBAN_DATABASE_URL"], tracker_url=f"sqlite:///{env['YUBAN_TRACKER_DB']}",
                        events_url=f"sqlite:///{env['YUBAN_EVENTS_DB']}")
    async with TestClient(TestServer(create_app(settings))) as client:
        ready = await client.get("/ready")
        assert ready.status == 200 and (await ready.json())["checks"] == {"catalog": "ok"}
        await client.get("/login")
        text = await (await client.get("/metrics")).text()
    assert 'service="console"' in text and 'route="/login"' in text
