"""The progress conversation through the real form validation and actions (fake platform).

Covers: identity only from a claim signed for this channel and sender (forged metadata is
ignored); number and digits from any message; asking only for what is missing; a retry
after a wrong factor inside the form; the ways out without a number; the lock, including
a burst of simultaneous guesses; the verified user's list and picking one of it.
"""
from __future__ import annotations

import asyncio
import secrets
from datetime import date, datetime

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.progress import NO_NUMBER, ActionProgressAnswer, ActionProgressPick
from actions.progress_client import NotFoundOrUnverified, PlatformUnavailable
from actions.progress_form import (
    ASK_FACTOR,
    ASK_NUMBER,
    BAD_NUMBER,
    RETRY,
    ActionAskApplicationNumber,
    ActionAskVerificationFactor,
    ValidateProgressForm,
)
from actions.verification_lock import MAX_FAILURES
from core.verified_identity import bind
from progress_api.records import Application, TimelineStep
from tests.actions.conftest import run, slots_of

NUMBER = "CQ202605140001233"
RIGHT = "1234"
KEY = secrets.token_hex(32).encode()
DOMAIN = {"forms": {"progress_form": {"required_slots": ["application_number", "verification_factor"]}},
          "slots": {name: {"type": "text", "mappings": [{"type": "custom"}]}
                    for name in ("application_number", "verification_factor", "progress_outcome")}}


def application(overdue: bool = False, name: str = "测试许可证核发") -> Application:
    steps = tuple(TimelineStep(stage, label, status, datetime(2026, 5, 14, 9) if status == "done" else None)
                  for stage, label, status in (("submitted", "申请", "done"), ("accepted", "受理", "done"),
                                               ("review", "审查", "current"), ("decision", "决定", "pending"),
                                               ("delivery", "制证/送达", "pending")))
    return Application(number=NUMBER, item_code="500A9900010000", item_name=name, body_name="重庆市渝北区测试局",
                       body_phone="023-67800000", region="渝北区", supervision_phone="023-12345", stage="review",
                       stage_name="审查", completed=False, timeline=steps, submitted_at=datetime(2026, 5, 14, 9),
                       promised_limit="5个工作日", promised_date=date(2026, 5, 21), completed_at=None, overdue=overdue,
                       overdue_days=3 if overdue else 0, applicant_name="张*", applicant_phone="138****1234")


class FakePlatform:
    """Knows NUMBER with factor RIGHT; records every call; may be slow, to let calls overlap."""

    def __init__(self, down: bool = False, delay: float = 0.0):
        self.down, self.delay, self.calls = down, delay, []

    async def lookup(self, number, factor, end_user=None):
        self.calls.append((number, factor))
        await asyncio.sleep(self.delay)
        if self.down:
            raise PlatformUnavailable()
        if (number, factor) != (NUMBER, RIGHT):
            raise NotFoundOrUnverified()
        return application(overdue=True)

    async def applications_of(self, channel, subject, end_user=None):
        self.calls.append((channel, subject))
        return [application(), application(overdue=True, name="另一个测试证变更")]


def tracker(text: str, slots: dict | None = None, channel: str = "rest", metadata: dict | None = None,
            sender: str = "rest:user-1", intent: str = "query_progress", form_active: bool = False,
            events: list | None = None) -> Tracker:
    slots = dict(slots or {})
    return Tracker.from_dict({
        "sender_id": sender, "slots": slots, "paused": False, "followup_action": None,
        "active_loop": {"name": "progress_form"} if form_active else {},
        "latest_message": {"text": text, "intent": {"name": intent}, "entities": [], "metadata": metadata or {}},
        "events": (events or []) + [{"event": "user", "text": text, "input_channel": channel,
                                     "metadata": metadata or {}}, {"event": "action", "name": "progress_form"}],
        "latest_action_name": "action_listen",
    })


class Conversation:
    """Turns through validate_progress_form as Rasa runs it, keeping the slots between turns."""

    def __init__(self, catalog, lock, platform, sender: str = "rest:user-1"):
        self.form = ValidateProgressForm(catalog, lock, platform, identity_key=KEY)
        self.catalog, self.lock, self.platform, self.sender = catalog, lock, platform, sender
        self.slots: dict = {}
        self.active = False

    def say(self, text: str, intent: str = "query_progress") -> list[str]:
        dispatcher = CollectingDispatcher()
        track = tracker(text, self.slots, sender=self.sender, intent=intent, form_active=self.active)
        events = asyncio.run(self.form.run(dispatcher, track, DOMAIN))
        self.slots.update(slots_of(events))
        said = [m["text"] for m in dispatcher.messages]
        required = asyncio.run(self.form.required_slots(["application_number", "verification_factor"],
                                                        dispatcher, tracker(text, self.slots, sender=self.sender,
                                                                            form_active=True), DOMAIN))
        missing = [slot for slot in required if self.slots.get(slot) is None]
        if missing:  # the form goes on: its one question
            self.active = True
            self.slots["requested_slot"] = missing[0]
            ask = ActionAskApplicationNumber() if missing[0] == "application_number" else ActionAskVerificationFactor()
            messages, _ = run(ask, tracker(text, self.slots, sender=self.sender))
            return said + [m["text"] for m in messages]
        self.active = False  # the form is done: the answer action says what is left
        messages, events = run(ActionProgressAnswer(self.catalog, self.platform, self.lock, identity_key=KEY),
                               tracker(text, self.slots, sender=self.sender))
        self.slots.update(slots_of(events))
        self.slots["requested_slot"] = None
        return said + [m["text"] for m in messages]


def test_number_and_digits_in_one_sentence_answer_at_once(catalog, lock):
    platform = FakePlatform()
    replies = Conversation(catalog, lock, platform).say(f"帮我查下进度 {NUMBER.lower()} 手机尾号{RIGHT}")
    assert len(replies) == 1 and "【办件进度】" in replies[0] and "当前环节：审查" in replies[0]
    assert NUMBER not in replies[0] and "138****1234" in replies[0]
    assert platform.calls == [(NUMBER, RIGHT)]


def test_only_what_is_missing_is_asked_and_a_full_phone_gives_its_last_four(catalog, lock):
    talk = Conversation(catalog, lock, FakePlatform())
    assert talk.say(f"我的件 {NUMBER} 到哪了") == [ASK_FACTOR]  # one prompt, for the digits only
    replies = talk.say(f"138{'0000'}{RIGHT}", intent="inform")
    assert len(replies) == 1 and "【办件进度】" in replies[0]


def test_digits_first_then_the_number(catalog, lock):
    talk = Conversation(catalog, lock, FakePlatform())
    replies = talk.say("查进度")
    assert len(replies) == 1 and "办件编号" in replies[0]
    assert "【办件进度】" in talk.say(f"编号 {NUMBER[:8]} {NUMBER[8:]}，手机后四位{RIGHT}", intent="inform")[0]


def test_a_wrong_factor_can_be_retried_in_the_form(catalog, lock):
    platform = FakePlatform()
    talk = Conversation(catalog, lock, platform)
    talk.say(f"查进度 {NUMBER}")
    assert talk.say("0000", intent="inform") == [RETRY]  # told once, asked once, the form goes on
    replies = talk.say(RIGHT, intent="inform")
    assert len(replies) == 1 and "【办件进度】" in replies[0]
    assert platform.calls == [(NUMBER, "0000"), (NUMBER, RIGHT)]


def test_wrong_factor_and_unknown_number_read_alike(catalog, lock):
    unknown = "CQ202605140001241"
    first = Conversation(catalog, lock, FakePlatform(), sender="rest:a")
    first.say(f"查进度 {NUMBER}")
    second = Conversation(catalog, lock, FakePlatform(), sender="rest:b")
    second.say(f"查进度 {unknown}")
    assert first.say("0000", intent="inform") == second.say(RIGHT, intent="inform")


def test_a_broken_number_gets_one_prompt_with_the_way_out(catalog, lock):
    talk = Conversation(catalog, lock, FakePlatform())
    talk.say("查进度")
    assert talk.say("CQ2026051400", intent="inform") == [BAD_NUMBER]
    assert "不记得编号" in BAD_NUMBER and "格式不对" not in BAD_NUMBER


def test_no_number_offers_the_ways_to_find_it_and_ends_the_form(catalog, lock):
    talk = Conversation(catalog, lock, FakePlatform())
    talk.say("查进度")
    assert talk.say("我不记得编号了", intent="inform") == [NO_NUMBER]
    assert all(way in NO_NUMBER for way in ("我的办件", "短信", "窗口", "12345"))
    assert talk.slots["progress_outcome"] is None and not talk.active


def test_five_failures_lock_and_the_right_digits_are_then_refused(catalog, lock):
    platform = FakePlatform()
    talk = Conversation(catalog, lock, platform)
    talk.say(f"查进度 {NUMBER}")
    for attempt in range(MAX_FAILURES - 1):
        assert talk.say(f"{attempt:04d}", intent="inform") == [RETRY]
    replies = talk.say("0009", intent="inform")
    assert "暂停 1 小时" in replies[0] and not talk.active
    platform.calls.clear()
    replies = Conversation(catalog, lock, platform, sender="rest:someone-else").say(f"查进度 {NUMBER} 尾号{RIGHT}")
    assert "暂停" in replies[0] and platform.calls == []  # the number is locked for everybody


def test_a_burst_of_simultaneous_guesses_reaches_the_platform_at_most_five_times(catalog, lock):
    platform = FakePlatform(delay=0.05)
    form = ValidateProgressForm(catalog, lock, platform, identity_key=KEY)

    async def guess(index: int):
        return await form.run(CollectingDispatcher(), tracker(f"{NUMBER} 尾号{index:04d}", sender=f"rest:g{index}"),
                              DOMAIN)

    async def burst():
        return await asyncio.gather(*(guess(i) for i in range(12)))

    outcomes = [slots_of(events).get("progress_outcome") for events in asyncio.run(burst())]
    assert len(platform.calls) <= MAX_FAILURES
    assert outcomes.count("locked") >= 12 - MAX_FAILURES


def test_platform_down_gives_a_retry_hint_and_counts_no_failure(catalog, lock):
    replies = Conversation(catalog, lock, FakePlatform(down=True)).say(f"{NUMBER} 尾号{RIGHT}")
    assert "稍后再试" in replies[0]
    assert not lock.is_locked("rest:user-1", NUMBER)


def signed(subject: str, sender: str, channel: str = "app") -> dict:
    return {"verified_identity": bind(KEY, channel, subject, sender, "signature")}


def test_a_signed_app_user_is_not_asked_and_gets_the_list(catalog, lock):
    sender = "app:demo-app-user-001"
    verified = tracker("我的办件", channel="app", sender=sender, metadata=signed("demo-app-user-001", sender))
    form = ValidateProgressForm(catalog, lock, identity_key=KEY)
    assert asyncio.run(form.required_slots(["application_number", "verification_factor"],
                                           CollectingDispatcher(), verified, DOMAIN)) == []
    platform = FakePlatform()
    messages, events = run(ActionProgressAnswer(catalog, platform, lock, identity_key=KEY), verified)
    assert "共有 2 件" in messages[0]["text"] and messages[0]["custom"]["type"] == "progress_list"
    assert platform.calls == [("app", "demo-app-user-001")] and slots_of(events)["progress_listed"] is True


FORGED = [
    ("rest", "rest:x", {"verified_identity": {"channel": "app", "subject": "demo-app-user-001"}}),  # the attack
    ("app", "app:demo-app-user-001", {"verified_identity": {"channel": "app", "subject": "demo-app-user-001"}}),
    ("app", "app:demo-app-user-001", {"verified_identity": {"channel": "app", "subject": "demo-app-user-001",
                                                            "signature": "0" * 64}}),
    ("app", "app:attacker", signed("demo-app-user-001", "app:demo-app-user-001")),  # moved to another sender
    ("rest", "app:demo-app-user-001", signed("demo-app-user-001", "app:demo-app-user-001")),  # another channel
    ("wechat", "app:demo-app-user-001", signed("demo-app-user-001", "app:demo-app-user-001")),
    ("app", "app:demo-app-user-001", {"verified_identity": {
        **signed("demo-app-user-001", "app:demo-app-user-001")["verified_identity"], "subject": "demo-app-user-002"}}),
    ("app", "app:demo-app-user-001", {"verified_identity": ["demo-app-user-001"]}),
]


@pytest.mark.parametrize("channel, sender, metadata", FORGED)
def test_forged_identity_claims_are_ignored(catalog, lock, channel, sender, metadata):
    claimed = tracker("查办件进度", channel=channel, sender=sender, metadata=metadata)
    form = ValidateProgressForm(catalog, lock, identity_key=KEY)
    assert asyncio.run(form.required_slots(["application_number", "verification_factor"],
                                           CollectingDispatcher(), claimed, DOMAIN)) \
        == ["application_number", "verification_factor"]
    platform = FakePlatform()
    messages, _ = run(ActionProgressAnswer(catalog, platform, lock, identity_key=KEY), claimed)
    assert platform.calls == [] and not messages


def test_a_claim_signed_with_another_key_is_ignored(catalog, lock):
    sender = "app:demo-app-user-001"
    claimed = tracker("我的办件", channel="app", sender=sender, metadata=signed("demo-app-user-001", sender))
    platform = FakePlatform()
    run(ActionProgressAnswer(catalog, platform, lock, identity_key=secrets.token_hex(32).encode()), claimed)
    assert platform.calls == []


def pick_tracker(text: str, intent: str = "choose_option", events: list | None = None) -> Tracker:
    sender = "app:demo-app-user-001"
    return tracker(text, {"progress_listed": True}, channel="app", sender=sender, intent=intent,
                   metadata=signed("demo-app-user-001", sender),
                   events=events if events is not None else [{"event": "slot", "name": "progress_listed", "value": True}])


@pytest.mark.parametrize("text, name", [("第2个", "另一个测试证变更"), ("1", "测试许可证核发"), ("另一个测试证变更", "另一个测试证变更")])
def test_a_verified_user_opens_one_application_of_the_list(catalog, text, name):
    messages, _ = run(ActionProgressPick(catalog, FakePlatform(), identity_key=KEY), pick_tracker(text))
    assert messages[0]["custom"]["type"] == "progress" and messages[0]["custom"]["card"]["item_name"] == name


def test_a_pick_without_a_signed_identity_opens_nothing(catalog):
    platform = FakePlatform()
    forged = tracker("第2个", {"progress_listed": True}, channel="app", sender="app:demo-app-user-001",
                     intent="choose_option", metadata={"verified_identity": {"channel": "app", "subject": "demo-app-user-001"}})
    messages, _ = run(ActionProgressPick(catalog, platform, identity_key=KEY), forged)
    assert platform.calls == [] and "登录" in messages[0]["text"]


def test_a_service_question_with_an_id_number_filed_as_progress_gets_the_guide(catalog, lock):
    """No progress words and no application number: the digits are an ID or a phone pasted in a
    question, which is answered as a question (before, the form asked for a number, or nothing was said)."""
    platform = FakePlatform()
    replies = Conversation(catalog, lock, platform).say("我身份证号500103199001011234 想问下测试许可证核发要带些啥")
    assert len(replies) == 1 and "测试许可证核发" in replies[0] and ASK_NUMBER not in replies
    assert platform.calls == []
    asked = Conversation(catalog, lock, FakePlatform()).say("我电话13900001234 帮我查下进度")
    assert asked and "测试许可证核发" not in asked[0]  # progress words: the form goes on


def test_a_how_to_question_filed_as_progress_is_not_asked_for_a_number(catalog, lock):
    """No progress words, no number and no application's state asked, but how to do something: the
    guide answers (an item, a menu or not found) instead of the form asking for an application number."""
    platform = FakePlatform()
    replies = Conversation(catalog, lock, platform).say("我电话号码换了 上面的联系方式咋个改")
    assert replies and ASK_NUMBER not in replies and platform.calls == []
    asked = Conversation(catalog, lock, FakePlatform()).say("我的证件换好了没 咋个查")
    assert ASK_NUMBER in asked  # the state of an application is asked: the form goes on


def test_a_guide_question_after_giving_up_the_number_is_answered_as_one(catalog, lock):
    """Round 12: "编号找不到了 算了 先问下…要带啥" gives the number up and asks a guide question instead."""
    talk = Conversation(catalog, lock, FakePlatform())
    talk.say("查进度")
    replies = talk.say("编号找不到了 算了 先问下测试许可证核发要带啥", intent="inform")
    assert NO_NUMBER not in replies and any("测试许可证核发" in r for r in replies), replies
    talk = Conversation(catalog, lock, FakePlatform())
    talk.say("查进度")
    assert talk.say("编号找不到了 那咋个查", intent="inform") == [NO_NUMBER]
