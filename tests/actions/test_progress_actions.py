"""The progress conversation: form validation, the answer, the lock, masking, verified users."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from rasa_sdk import Tracker

from actions.progress import ActionProgressAnswer, ValidateProgressForm
from actions.progress_client import NotFoundOrUnverified, PlatformUnavailable
from progress_api.records import Application, TimelineStep
from actions.verification_lock import MAX_FAILURES, VerificationLock
from knowledge.db import make_engine
from tests.actions.conftest import run, slots_of

NUMBER = "CQ202605140001233"


def application(overdue: bool = False) -> Application:
    steps = tuple(TimelineStep(stage, name, status, datetime(2026, 5, 14, 9) if status == "done" else None)
                  for stage, name, status in (("submitted", "申请", "done"), ("accepted", "受理", "done"),
                                              ("review", "审查", "current"), ("decision", "决定", "pending"),
                                              ("delivery", "制证/送达", "pending")))
    return Application(number=NUMBER, item_code="500A9900010000", item_name="测试许可证核发", body_name="重庆市渝北区测试局",
                       body_phone="023-67800000", region="渝北区", supervision_phone="023-12345", stage="review",
                       stage_name="审查", completed=False, timeline=steps, submitted_at=datetime(2026, 5, 14, 9),
                       promised_limit="5个工作日", promised_date=date(2026, 5, 21), completed_at=None, overdue=overdue,
                       overdue_days=3 if overdue else 0, applicant_name="张*", applicant_phone="138****1234")


class FakeClient:
    def __init__(self, outcome):
        self.outcome, self.calls = outcome, []

    async def lookup(self, number, factor):
        self.calls.append((number, factor))
        if isinstance(self.outcome, Exception):
            raise self.outcome
        return self.outcome

    async def applications_of(self, channel, subject):
        self.calls.append((channel, subject))
        return [application(), application(overdue=True)]


@pytest.fixture
def lock(tmp_path) -> VerificationLock:
    return VerificationLock(make_engine(f"sqlite:///{tmp_path / 'lock.db'}"))


def tracker(text: str, slots: dict | None = None, channel: str = "rest", metadata: dict | None = None,
            sender: str = "user-1") -> Tracker:
    return Tracker.from_dict({
        "sender_id": sender, "slots": slots or {}, "paused": False, "followup_action": None, "active_loop": {},
        "latest_message": {"text": text, "intent": {"name": "query_progress"}, "entities": [], "metadata": metadata or {}},
        "events": [{"event": "user", "text": text, "input_channel": channel, "metadata": metadata or {}}],
        "latest_action_name": "action_listen",
    })


def test_number_is_validated_with_its_check_digit(catalog, lock):
    form = ValidateProgressForm(catalog, lock)
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    assert form.validate_application_number("cq 2026 0514 0001 233", dispatcher, tracker("x"), {}) == {"application_number": NUMBER}
    assert form.validate_application_number("CQ202605140001234", dispatcher, tracker("x"), {}) == {"application_number": None}
    assert "格式不对" in dispatcher.messages[-1]["text"]
    assert form.validate_verification_factor("12a4", dispatcher, tracker("x"), {}) == {"verification_factor": None}
    assert form.validate_verification_factor(" 1234 ", dispatcher, tracker("x"), {}) == {"verification_factor": "1234"}


def test_answer_shows_stage_timeline_body_and_masked_data_and_forgets_the_factor(catalog, lock):
    client = FakeClient(application(overdue=True))
    messages, events = run(ActionProgressAnswer(catalog, client, lock),
                           tracker("1234", {"application_number": NUMBER, "verification_factor": "1234",
                                            "requested_slot": "verification_factor"}))
    text = messages[0]["text"]
    assert "当前环节：审查" in text and "✓ 受理" in text and "重庆市渝北区测试局（023-67800000）" in text
    assert "承诺办结：2026-05-21" in text and "超过承诺时限 3 天" in text and "023-12345" in text
    assert "张*" in text and "138****1234" in text and NUMBER not in text
    assert {k: v for k, v in messages[0]["custom"].items() if k != "card"} == {
        "type": "progress", "item_code": "500A9900010000", "stage": "review", "overdue": True}
    assert slots_of(events) == {"application_number": None, "verification_factor": None}


def test_unknown_and_wrong_verification_get_the_same_answer_and_five_failures_lock(catalog, lock):
    client = FakeClient(NotFoundOrUnverified())
    answers = []
    for _ in range(MAX_FAILURES):
        messages, _ = run(ActionProgressAnswer(catalog, client, lock),
                          tracker("0000", {"application_number": NUMBER, "verification_factor": "0000"}))
        answers.append(messages[0]["text"])
    assert len(set(answers[:-1])) == 1 and "没有查到" in answers[0]
    assert "暂停 1 小时" in answers[-1]
    assert lock.is_locked("user-1") and lock.is_locked("someone-else", NUMBER)
    # locked: the platform is not even asked any more
    client.calls.clear()
    messages, _ = run(ActionProgressAnswer(catalog, client, lock),
                      tracker("1234", {"application_number": NUMBER, "verification_factor": "1234"}))
    assert "暂停" in messages[0]["text"] and client.calls == []


def test_platform_down_gives_a_retry_hint(catalog, lock):
    messages, _ = run(ActionProgressAnswer(catalog, FakeClient(PlatformUnavailable()), lock),
                      tracker("1234", {"application_number": NUMBER, "verification_factor": "1234"}))
    assert "稍后再试" in messages[0]["text"]


def test_channel_verified_user_is_not_asked_and_gets_the_list(catalog, lock):
    identity = {"verified_identity": {"channel": "app", "subject": "demo-app-user-001"}}
    verified = tracker("我的办件", channel="app", metadata=identity)
    assert run_required_slots(catalog, lock, verified) == []
    client = FakeClient(None)
    messages, _ = run(ActionProgressAnswer(catalog, client, lock), verified)
    assert "共有 2 件" in messages[0]["text"] and "已超期" in messages[0]["text"]
    assert client.calls == [("app", "demo-app-user-001")]


def test_identity_claimed_over_an_untrusted_channel_is_ignored(catalog, lock):
    claimed = tracker("我的办件", channel="rest", metadata={"verified_identity": {"subject": "demo-app-user-001"}})
    assert run_required_slots(catalog, lock, claimed) == ["application_number", "verification_factor"]


def run_required_slots(catalog, lock, track) -> list[str]:
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    return asyncio.run(ValidateProgressForm(catalog, lock).required_slots(
        ["application_number", "verification_factor"], CollectingDispatcher(), track, {}))
