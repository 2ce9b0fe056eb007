"""Progress queries through the REST channel, and the lock across two action servers."""
from __future__ import annotations

import json
import urllib.request
import uuid

import pytest

from tooling import services
from tests.integration.conftest import PORT_OFFSET, PROGRESS_PORT

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def demo_applications(progress_seed) -> list[tuple[str, str]]:
    """(number, last four phone digits) of the seeded demonstration applications."""
    return [(number, factor) for number, factor, _stage, _late in progress_seed[1].examples]


@pytest.fixture
def demo_application(demo_applications) -> tuple[str, str]:
    return demo_applications[0]


def unknown_number() -> str:
    from progress_service.numbers import luhn_digit

    body = "20260101" + "999999"
    return f"CQ{body}{luhn_digit(body)}"


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def test_progress_form_answers_with_stage_and_masked_data(rest, demo_application):
    number, factor = demo_application
    user = f"pg-{uuid.uuid4().hex[:8]}"
    assert "办件编号" in texts(rest.send(user, "帮我查一下办件进度"))
    assert "后四位" in texts(rest.send(user, number))
    answer = rest.send(user, factor)
    text = texts(answer)
    assert "【办件进度】" in text and "当前环节" in text and "*" in text
    assert number not in text  # the number is shown masked
    assert any(m.get("custom", {}).get("type") == "progress" for m in answer)


def test_wrong_verification_reads_exactly_like_an_unknown_number(rest, demo_application):
    number, factor = demo_application
    wrong = f"{(int(factor) + 1) % 10000:04d}"
    replies = []
    for candidate in (number, unknown_number()):
        user = f"pg-{uuid.uuid4().hex[:8]}"
        rest.send(user, "查进度")
        rest.send(user, candidate)
        replies.append(texts(rest.send(user, wrong)))
    assert replies[0] == replies[1] and "没有查到" in replies[0]


def test_the_form_can_be_left_at_any_time(rest):
    user = f"pg-{uuid.uuid4().hex[:8]}"
    rest.send(user, "我的办件到哪一步了")
    assert "退出" in texts(rest.send(user, "算了"))
    assert "材料" in texts(rest.send(user, "补办身份证要什么材料"))


def test_invalid_number_is_asked_again(rest):
    user = f"pg-{uuid.uuid4().hex[:8]}"
    rest.send(user, "查办件进度")
    assert "格式不对" in texts(rest.send(user, "CQ123"))


def _run_action(port: int, sender: str, number: str, factor: str) -> str:
    tracker = {
        "sender_id": sender, "paused": False, "followup_action": None, "active_loop": {},
        "slots": {"application_number": number, "verification_factor": factor, "requested_slot": None},
        "latest_message": {"text": factor, "intent": {"name": "inform"}, "entities": []},
        "events": [{"event": "user", "text": factor, "input_channel": "rest"}], "latest_action_name": "progress_form",
    }
    body = json.dumps({"next_action": "action_progress_answer", "sender_id": sender, "tracker": tracker,
                       "domain": {}, "version": "3.6.21"}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return "\n".join(r.get("text") or "" for r in json.loads(response.read())["responses"])


def test_lock_holds_across_two_action_server_processes(stack, catalog_url, demo_applications):
    """Five failures spread over two processes lock the sender in both."""
    number, factor = demo_applications[1]  # its own application: the lock also covers the number
    wrong = f"{(int(factor) + 1) % 10000:04d}"
    second = services.Stack(rasa_port=5106 + PORT_OFFSET, actions_port=5158 + PORT_OFFSET, progress_port=None,
                            extra_env={"YUBAN_DATABASE_URL": catalog_url,
                                       "YUBAN_PROGRESS_URL": f"http://127.0.0.1:{PROGRESS_PORT}"})
    try:
        second.start_action_server()
        sender = f"lock-{uuid.uuid4().hex[:8]}"
        ports = [stack.actions_port, 5158 + PORT_OFFSET]
        answers = [_run_action(ports[i % 2], sender, number, wrong) for i in range(5)]
        assert all("没有查到" in a for a in answers[:4]) and "暂停" in answers[4]
        # now even the right factor is refused, in both processes
        assert "暂停" in _run_action(5158 + PORT_OFFSET, sender, number, factor)
        assert "暂停" in _run_action(stack.actions_port, sender, number, factor)
    finally:
        second.stop()


def test_no_application_number_or_phone_digits_in_the_service_logs(rest, stack, demo_applications):
    """After the progress conversations above, the logs of all three processes hold none of it."""
    number, factor = demo_applications[0]
    user = f"pg-{uuid.uuid4().hex[:8]}"
    rest.send(user, "查进度")
    rest.send(user, number)
    rest.send(user, factor)
    logs = [path for path in stack.log_dir.glob(f"*-{stack.rasa_port}.log")]
    assert {p.name.split("-")[0] for p in logs} >= {"rasa", "actions", "progress"}
    for path in logs:
        content = path.read_text(encoding="utf-8", errors="replace")
        assert number not in content and number[2:] not in content, path.name
        assert f"尾号{factor}" not in content and f"'{factor}'" not in content and f'"{factor}"' not in content, path.name
