"""Two server processes sharing Redis: a message WeChat delivers to both (its retry landed
on the other process) is computed once and answered once. Skipped without Redis."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.channels.wechat_fixtures import delete_keys
from tests.channels.wechat_support import OPENID, WEBHOOK, FakeWeChatAPI, WeChatSide, free_port, message_xml, unique

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT = 60


def wait_until_serving(urls: list[str], processes: list[subprocess.Popen], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pending = set(urls)
    while pending:
        for process in processes:
            if process.poll() is not None:
                raise AssertionError(f"server process exited with {process.returncode}")
        for url in list(pending):
            try:
                if requests.get(url + "/webhooks/wechat/", timeout=1).status_code == 200:
                    pending.discard(url)
            except requests.RequestException:
                pass
        if time.monotonic() > deadline:
            raise AssertionError(f"servers not up after {timeout} s: {pending}")
        time.sleep(0.2)


@pytest.fixture
def two_processes(redis_url, server_loop, tmp_path):
    appid = unique("wxproc")
    api = FakeWeChatAPI(appid=appid)
    server_loop.run(api.start())
    log_path = tmp_path / "bot.log"
    log_path.touch()
    urls, processes, outputs = [], [], []
    env = dict(os.environ, PYTHONPATH=str(ROOT), RASA_TELEMETRY_ENABLED="false")
    try:
        for index in range(2):
            port = free_port()
            output = open(tmp_path / f"server{index}.log", "wb")
            outputs.append(output)
            processes.append(subprocess.Popen(
                [sys.executable, "-m", "tests.channels.wechat_process", str(port), redis_url, appid, api.url,
                 str(log_path)], cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL))
            urls.append(f"http://127.0.0.1:{port}")
        wait_until_serving(urls, processes, START_TIMEOUT)
        yield urls, api, log_path
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        for output in outputs:
            output.close()
        server_loop.run(api.stop())
        delete_keys(redis_url, f"yuban:wechat:{appid}:")


def post(url: str, xml: str, delay: float = 0.0) -> requests.Response:
    time.sleep(delay)
    params, body = WeChatSide().plaintext(xml)
    return requests.post(url + WEBHOOK, params=params, data=body, timeout=10)


def answers_in(responses: list[requests.Response]) -> list[str]:
    assert all(r.status_code == 200 for r in responses)
    return [WeChatSide().open_reply(r.text)["Content"] for r in responses if r.text != "success"]


def bot_lines(log_path: Path) -> list[list[str]]:
    return [line.split("\t") for line in log_path.read_text(encoding="utf-8").splitlines()]


def wait_for_delivery(api: FakeWeChatAPI, count: int, timeout: float = 8.0) -> None:
    deadline = time.monotonic() + timeout
    while len(api.delivered) < count and time.monotonic() < deadline:
        time.sleep(0.05)


def test_the_same_message_in_two_processes_is_answered_once(two_processes):
    urls, api, log_path = two_processes
    cases = [("fast", 0.0), ("slow:3.0:retry-gives-up", 0.2), ("slow:2.0:retry-waits", 1.0)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        futures = []
        for number, (text, retry_after) in enumerate(cases):
            xml = message_xml(Content=text, msg_id=str(8_000_000 + number))
            futures.append((text, pool.submit(post, urls[0], xml), pool.submit(post, urls[1], xml, retry_after)))
        passive = {text: answers_in([first.result(20), second.result(20)]) for text, first, second in futures}
    wait_for_delivery(api, 1)
    time.sleep(1.5)  # anything sent twice would arrive by now
    delivered = [send["payload"]["text"]["content"] for send in api.delivered]
    for text, _ in cases:
        answer = f"收到：{text}"
        assert passive[text].count(answer) + delivered.count(answer) == 1, (text, passive, delivered)
    assert passive["fast"] == ["收到：fast"]
    assert "收到：slow:3.0:retry-gives-up" in delivered
    assert all(send["payload"]["touser"] == OPENID for send in api.delivered)
    assert sorted(line[2] for line in bot_lines(log_path)) == sorted(text for text, _ in cases)
    assert len(api.token_requests) == 1  # the token is shared through Redis too
