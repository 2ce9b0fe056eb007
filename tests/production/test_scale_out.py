"""Two Rasa servers and two action servers share conversations (PostgreSQL tracker store,
Redis lock store): a conversation moves between servers, survives one of them being killed,
and the tracker store holds every message exactly once, in order."""
from __future__ import annotations

import json
import threading
import uuid

import pytest

from tests.production.conftest import broker_events, item_of, kinds, send, stored_events, texts, user_texts

pytestmark = pytest.mark.integration

def without_ids(events: list[dict]) -> list[str]:
    return [json.dumps({k: v for k, v in e.items() if k not in ("id", "type", "sender_id")}, sort_keys=True)
            for e in events]


def assert_stored_exactly_once(prod_settings, sender: str, sent: list[str]) -> None:
    events = stored_events(prod_settings.tracker_url, sender)
    assert user_texts(events) == sent  # every message once, in the order sent
    assert len(set(without_ids(events))) == len(events)  # no event written twice
    # the event broker (the dashboard's source) got the same events, each once, in the same order
    assert without_ids(broker_events(prod_settings.events_url, sender)) == without_ids(events)


def test_a_conversation_alternating_between_two_servers_keeps_its_context(prod_stack, prod_settings):
    first, second = prod_settings.rasa_ports
    user = f"so-{uuid.uuid4().hex[:8]}"
    turns = [(first, "开公司要什么材料"), (second, "在哪办"), (first, "渝北区的呢"), (second, "要多久")]
    answers = []
    for port, text in turns:
        status, messages = send(port, user, text)
        assert status == 200
        answers.append(messages)
    item = item_of(answers[0])
    assert "材料" in texts(answers[0])
    for messages in answers[1:]:
        assert item_of(messages) == item  # the follow-ups on the other server refer to the same item
        assert "guide" in kinds(messages)
    assert "办理" in texts(answers[1])
    assert "渝北区" in texts(answers[2])  # district switched, item kept
    assert_stored_exactly_once(prod_settings, user, [text for _, text in turns])


def test_a_killed_server_leaves_the_conversation_to_the_other(prod_stack, prod_settings):
    first, second = prod_settings.rasa_ports
    user = f"kill-{uuid.uuid4().hex[:8]}"
    sent: list[str] = []

    def turn(port: int, text: str) -> list[dict]:
        status, messages = send(port, user, text)
        assert status == 200 and messages
        sent.append(text)
        return messages

    item = item_of(turn(first, "补办身份证要什么材料"))
    assert item_of(turn(second, "在哪办")) == item
    prod_stack.kill(f"rasa-{second}")  # SIGKILL in the middle of the conversation
    try:
        answer = turn(first, "渝北区的呢")
        assert item_of(answer) == item and "渝北区" in texts(answer)
        assert item_of(turn(first, "要钱吗")) == item
    finally:
        prod_stack.start_process(f"rasa-{second}")
    # the restarted server picks the conversation up where the other one left it
    answer = turn(second, "要多久")
    assert item_of(answer) == item
    assert_stored_exactly_once(prod_settings, user, sent)


def test_simultaneous_messages_of_one_conversation_are_serialised_through_redis(prod_stack, prod_settings,
                                                                                private_redis):
    """Both servers get a message of the same user at once; the Redis lock makes them take turns."""
    first, second = prod_settings.rasa_ports
    user = f"lock-{uuid.uuid4().hex[:8]}"
    send(first, user, "开公司要什么材料")
    locks_before = private_redis.command_count("set")
    results: dict[int, tuple[int, list[dict]]] = {}
    barrier = threading.Barrier(2)

    def post(port: int, text: str) -> None:
        barrier.wait()
        results[port] = send(port, user, text)

    threads = [threading.Thread(target=post, args=(first, "在哪办")), threading.Thread(target=post, args=(second, "要多久"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert {status for status, _ in results.values()} == {200}
    assert all("guide" in kinds(messages) for _, messages in results.values()), results
    assert private_redis.command_count("set") > locks_before  # the lock store used Redis
    events = stored_events(prod_settings.tracker_url, user)
    assert sorted(user_texts(events)) == sorted(["开公司要什么材料", "在哪办", "要多久"])
    # serialised: each user message is followed by its own answer before the next user message
    sequence = [e["event"] for e in events if e["event"] in ("user", "bot")]
    turns = [kind for index, kind in enumerate(sequence) if index == 0 or sequence[index - 1] != kind]
    assert turns == ["user", "bot"] * 3
    assert len(set(without_ids(events))) == len(events)
