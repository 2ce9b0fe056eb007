"""Faults on the production profile, each with what the user sees and the recovery — without
restarting the assistant: PostgreSQL restarted during traffic, Redis unavailable, action
servers down, the progress service down."""
from __future__ import annotations

import os
import subprocess
import threading
import time
import urllib.request
import uuid

import pytest

from actions.progress import UNAVAILABLE as PROGRESS_UNAVAILABLE
from tests.production.conftest import (ensure_postgres_running, item_of, kinds, postgres_is_ready, send, stored_events,
                                       texts, user_texts)
from tests.strict import unavailable

pytestmark = pytest.mark.integration

BUSY = "系统暂时繁忙"  # channels/guard.py UNAVAILABLE_TEXT
QUESTIONS = ["开公司要什么材料", "在哪办", "渝北区的呢", "要多久", "要钱吗", "能网上办吗"]


def log_text(stack, name: str) -> str:
    return (stack.log_dir / f"{name}.log").read_text(encoding="utf-8", errors="replace")


def rasa_logs(stack, ports) -> str:
    return "".join(log_text(stack, f"rasa-{port}") for port in ports)


def pids(stack) -> dict[str, int]:
    return {name: process.pid for name, process in stack.processes.items()}


def ready(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/webhooks/ops/ready", timeout=5) as response:
            return response.status == 200
    except OSError:
        return False


def answered(messages: list[dict]) -> bool:
    """A real answer (not the "busy, try again" message)."""
    return bool(messages) and "unavailable" not in kinds(messages)


def assert_turns_stored(outcomes: list[tuple[str, int, list[dict]]], stored: list[str]) -> None:
    """Every answered turn is stored once, in order; a turn answered "busy" at most once: not at
    all when the conversation store failed, once when it was the action server (whose catalog
    database restarted too) that could not answer."""
    position = 0
    for text, _, messages in outcomes:
        if position < len(stored) and stored[position] == text:
            position += 1
        else:
            assert not answered(messages), f"answered turn {text!r} missing from the tracker store"
    assert position == len(stored), f"stored but never sent (or stored twice): {stored[position:]}"


@pytest.fixture
def restore(prod_stack):
    """Whatever a test stopped is started again afterwards."""
    yield
    for name in [name for name, up in prod_stack.alive().items() if not up]:
        prod_stack.start_process(name)
    for name in set(prod_stack.commands()) - set(prod_stack.processes):
        prod_stack.start_process(name)


def test_postgresql_restart_during_traffic(prod_stack, prod_settings, restore):
    """Turns during the restart are answered (retries) or told to try again; none is lost or doubled."""
    if not os.path.isdir("/etc/postgresql") or subprocess.run(["which", "pg_ctlcluster"],
                                                              capture_output=True).returncode:
        unavailable("no local PostgreSQL cluster to restart")
    before = pids(prod_stack)
    ports = prod_settings.rasa_ports
    users = [f"pgr-{index}-{uuid.uuid4().hex[:6]}" for index in range(3)]
    outcomes: dict[str, list[tuple[str, int, list[dict]]]] = {user: [] for user in users}
    stop = threading.Event()

    def talk(index: int, user: str) -> None:
        turn = 0
        while not stop.is_set() and turn < 60:
            text = QUESTIONS[turn % len(QUESTIONS)]
            status, messages = send(ports[(turn + index) % 2], user, text)
            outcomes[user].append((text, status, messages))
            turn += 1
            time.sleep(0.05)

    threads = [threading.Thread(target=talk, args=(i, user)) for i, user in enumerate(users)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(2)
        version = sorted(os.listdir("/etc/postgresql"))[-1]
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"], check=True,
                       capture_output=True, timeout=120)
        time.sleep(3)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        ensure_postgres_running()
    assert postgres_is_ready()
    every = [outcome for user in users for outcome in outcomes[user]]
    assert every and {status for _, status, _ in every} == {200}  # no 5xx, no dropped request
    assert all(messages for _, _, messages in every)  # never an empty answer
    busy = [messages for _, _, messages in every if not answered(messages)]
    assert all(BUSY in texts(messages) for messages in busy)  # a failed turn is told clearly
    logs = rasa_logs(prod_stack, ports)
    assert busy or "conversation store: retrieve failed" in logs or "conversation store: save failed" in logs, \
        "the restart did not hit any turn; nothing was tested"
    for user in users:
        assert_turns_stored(outcomes[user], user_texts(stored_events(prod_settings.tracker_url, user)))
    # recovery without a restart: the same processes answer, with context
    assert pids(prod_stack) == before and all(prod_stack.alive().values())
    user = users[0]
    item = item_of(send(ports[0], user, "开公司要什么材料")[1])
    assert item_of(send(ports[1], user, "在哪办")[1]) == item
    assert all(ready(port) for port in ports)


def test_redis_unavailable_conversations_go_on_and_return_to_redis(prod_stack, prod_settings, private_redis,
                                                                   restore):
    first, second = prod_settings.rasa_ports
    user = f"redis-{uuid.uuid4().hex[:8]}"
    item = item_of(send(first, user, "开公司要什么材料")[1])
    private_redis.stop()
    try:
        for turn, text in enumerate(["在哪办", "渝北区的呢", "要多久"]):
            status, messages = send([second, first][turn % 2], user, text)
            assert status == 200 and answered(messages)  # the user notices nothing
            assert item_of(messages) == item  # context kept across both servers
        assert not ready(first)  # readiness reports the missing lock store to the load balancer
        assert "Redis unreachable" in rasa_logs(prod_stack, [first, second])
    finally:
        private_redis.start()
    for turn in range(4):  # the first turn on each server may still meet its broken connection
        status, messages = send([first, second][turn % 2], user, "要钱吗")
        assert status == 200 and answered(messages)
    assert private_redis.command_count("set") > 0  # locks are in Redis again
    assert "Redis answers again" in rasa_logs(prod_stack, [first, second])
    assert all(prod_stack.alive().values())
    expected = ["开公司要什么材料", "在哪办", "渝北区的呢", "要多久"] + ["要钱吗"] * 4
    assert user_texts(stored_events(prod_settings.tracker_url, user)) == expected


def test_action_servers_down(prod_stack, prod_settings, restore):
    first, second = prod_settings.rasa_ports
    user = f"act-{uuid.uuid4().hex[:8]}"
    item = item_of(send(first, user, "开公司要什么材料")[1])
    # one of the two action servers down: the kernel sends every call to the other one
    prod_stack.kill("actions-1")
    for port in (first, second, first, second):
        status, messages = send(port, user, "在哪办")
        assert status == 200 and item_of(messages) == item
    # all of them down: a clear message, not silence and not a 5xx — for a new conversation's
    # greeting too (every turn, greetings included, is read by the actions' turn handler)
    prod_stack.kill("actions-2")
    status, messages = send(second, user, "要多久")
    assert status == 200 and BUSY in texts(messages) and "12345" in texts(messages)
    assert kinds(messages) == {"unavailable"}
    status, messages = send(first, f"act-hello-{uuid.uuid4().hex[:6]}", "你好")
    assert status == 200 and BUSY in texts(messages) and kinds(messages) == {"unavailable"}
    # back again: the same Rasa servers go on with the conversation's context
    prod_stack.start_process("actions-1")
    prod_stack.start_process("actions-2")
    status, messages = send(second, user, "要多久")
    assert status == 200 and item_of(messages) == item


def test_progress_service_down(prod_stack, prod_settings, progress_examples, restore):
    first, second = prod_settings.rasa_ports
    number, factor, _stage, _late = progress_examples[0]

    def ask(user: str) -> list[dict]:
        send(first, user, "帮我查一下办件进度")
        send(second, user, number)
        status, messages = send(first, user, factor)
        assert status == 200
        return messages

    prod_stack.kill("progress")
    messages = ask(f"prog-{uuid.uuid4().hex[:8]}")
    assert PROGRESS_UNAVAILABLE in texts(messages)  # clear message with a retry hint
    prod_stack.start_process("progress")
    messages = ask(f"prog-{uuid.uuid4().hex[:8]}")
    assert "【办件进度】" in texts(messages) and "当前环节" in texts(messages)
