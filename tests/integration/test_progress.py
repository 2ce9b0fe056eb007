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
    from progress_api.numbers import luhn_digit

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


def test_invalid_number_is_asked_again_once_with_the_way_out(rest):
    user = f"pg-{uuid.uuid4().hex[:8]}"
    rest.send(user, "查办件进度")
    replies = rest.send(user, "CQ123")
    assert len(replies) == 1 and "CQ 开头的 17 位" in texts(replies) and "不记得编号" in texts(replies)


def _post_raw(body: dict) -> list[dict]:
    from tests.integration.conftest import RASA_PORT

    request = urllib.request.Request(f"http://127.0.0.1:{RASA_PORT}/webhooks/rest/webhook",
                                     data=json.dumps(body, ensure_ascii=False).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def test_a_rest_caller_cannot_claim_to_be_a_verified_app_user(stack):
    """Issue #16 finding 1, the exact attack: no list, no number-free answer, just the form."""
    replies = _post_raw({"sender": "x", "message": "查办件进度", "input_channel": "app",
                         "metadata": {"verified_identity": {"channel": "app", "subject": "demo-app-user-001"}}})
    assert not any((m.get("custom") or {}).get("type") == "progress_list" for m in replies)
    assert "办件编号" in texts(replies) and "您名下" not in texts(replies)


def test_a_rest_caller_cannot_step_into_an_app_users_conversation(stack):
    """A sender `app:<id>` over REST is a conversation of its own, even with a claim attached."""
    sender = "app:demo-app-user-001"
    replies = _post_raw({"sender": sender, "message": "我的办件到哪一步了", "input_channel": "app",
                         "metadata": {"verified_identity": {"channel": "app", "subject": "demo-app-user-001",
                                                            "method": "signature", "signature": "0" * 64}}})
    assert all(m.get("recipient_id") == f"rest:{sender}" for m in replies)
    assert not any((m.get("custom") or {}).get("type") == "progress_list" for m in replies)
    assert "办件编号" in texts(replies)


def test_number_and_digits_pasted_in_one_sentence(rest, demo_application):
    number, factor = demo_application
    spaced = f"{number[:6].lower()} {number[6:10]} {number[10:]}"
    replies = rest.send(f"pg-{uuid.uuid4().hex[:8]}", f"麻烦看下 {spaced} 走到哪了，手机尾号{factor}")
    assert "【办件进度】" in texts(replies) and "办件编号" not in texts(replies).replace("【办件进度】", "")


def test_a_bare_number_starts_the_query_and_only_the_digits_are_asked(rest, demo_application):
    number, factor = demo_application
    user = f"pg-{uuid.uuid4().hex[:8]}"
    asked = rest.send(user, number)
    assert len(asked) == 1 and "后四位" in texts(asked)
    assert "【办件进度】" in texts(rest.send(user, f"138{'0000'}{factor}"))  # a whole phone: its last four


def test_the_right_digits_after_wrong_ones_are_checked(rest, demo_applications):
    number, factor = demo_applications[2]
    wrong = f"{(int(factor) + 1) % 10000:04d}"
    user = f"pg-{uuid.uuid4().hex[:8]}"
    rest.send(user, f"我的件 {number} 到哪一步了")
    retry = rest.send(user, wrong)
    assert len(retry) == 1 and "没有查到" in texts(retry) and "再发一次" in texts(retry)
    assert "【办件进度】" in texts(rest.send(user, factor))


def test_without_a_number_the_ways_to_find_it_are_offered(rest):
    user = f"pg-{uuid.uuid4().hex[:8]}"
    rest.send(user, "查办件进度")
    answer = texts(rest.send(user, "我不记得编号了"))
    assert all(way in answer for way in ("我的办件", "短信", "窗口", "12345")) and "格式不对" not in answer
    assert "材料" in texts(rest.send(user, "补办身份证要什么材料"))  # the form is over


def test_a_progress_query_in_the_middle_of_a_guide_keeps_the_guide_context(rest, demo_application):
    number, factor = demo_application
    user = f"pg-{uuid.uuid4().hex[:8]}"
    first = texts(rest.send(user, "渝北区开公司要什么材料"))
    assert "材料" in first
    assert "【办件进度】" in texts(rest.send(user, f"顺便查下进度 {number} 尾号{factor}"))
    follow = texts(rest.send(user, "要多久"))
    assert "【办件进度】" not in follow and ("工作日" in follow or "办结" in follow or "时限" in follow), follow


FORM_DOMAIN = {"forms": {"progress_form": {"required_slots": ["application_number", "verification_factor"]}},
               "slots": {name: {"type": "text", "mappings": [{"type": "custom"}]}
                         for name in ("application_number", "verification_factor", "progress_outcome")}}


def _run_form(port: int, sender: str, number: str, factor: str, action: str = "validate_progress_form") -> str:
    """One turn of the progress form in the action server on `port`: the outcome it comes to
    (with `action="action_progress_answer"`: what the answer after the form says)."""
    text = f"{number} 尾号{factor}"
    tracker = {
        "sender_id": sender, "paused": False, "followup_action": None, "active_loop": {},
        "slots": {"application_number": None, "verification_factor": None, "requested_slot": None},
        "latest_message": {"text": text, "intent": {"name": "query_progress"}, "entities": []},
        "events": [{"event": "user", "text": text, "input_channel": "rest"},
                   {"event": "action", "name": "progress_form"}], "latest_action_name": "progress_form",
    }
    body = json.dumps({"next_action": action, "sender_id": sender, "tracker": tracker,
                       "domain": FORM_DOMAIN, "version": "3.6.21"}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:  # a fresh process warms up first
        result = json.loads(response.read())
    if action != "validate_progress_form":
        return "\n".join(r.get("text") or "" for r in result["responses"])
    events = result["events"]
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}.get("progress_outcome")


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
        outcomes = [_run_form(ports[i % 2], sender, number, wrong) for i in range(5)]
        assert outcomes == ["retry"] * 4 + ["locked"]
        # now even the right factor is refused, in both processes: the form asks nothing, the answer says why
        for port in ports:
            assert _run_form(port, sender, number, factor) is None
            assert "暂停" in _run_form(port, sender, number, factor, action="action_progress_answer")
        assert _run_form(ports[0], f"other-{sender}", number, factor) == "locked"  # the number, for anybody
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
