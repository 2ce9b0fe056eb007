"""Round 13 (conv11): questions about complaining itself (what it takes, how long a reply takes, where its
progress is seen, online, confidential) are guide questions about the complaint items; a wish to look a record
up beside a told wrong is the question; a wish to do it oneself beside an employer's wrong is a question; a
public thing broken with nobody acting stays a complaint; how many times an item may be used is one of its
conditions. The wordings are written for these tests (none is a sealed or development dialogue turn); the
interpreter alone, then through actions.turn with the demonstration catalog."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import told_wrong
from actions.dialogue import interpreter as m
from actions.dialogue.interpreter import asks_about_complaining, interpret
from actions.dialogue.state import DialogueState
from actions.turn import handle
from knowledge.importer import read_sources
from knowledge.service import DEMO_CATALOG
from tests.actions.conftest import FakeCatalog, FakeFeedback

ITEM = DialogueState(item_code="I1", item_name="偿还住房贷款提取住房公积金", aspect="overview", answered=True)
NOTHING = DialogueState()


@pytest.fixture(scope="module")
def demo() -> FakeCatalog:
    sources = read_sources(sorted(DEMO_CATALOG.glob("*.yml")))
    return FakeCatalog(sources.items, sources.bundles)


def payloads(catalog, text: str, intent: str = "nlu_fallback", slots: dict | None = None) -> list[dict]:
    tracker = Tracker.from_dict({
        "sender_id": "round13-test", "slots": slots or {},
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []},
        "events": [], "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"})
    dispatcher = CollectingDispatcher()
    handle(dispatcher, catalog, tracker, feedback_store=FakeFeedback())
    return [p["custom"] for p in dispatcher.messages if isinstance(p.get("custom"), dict)]


def head(found: list[dict]) -> tuple[str | None, str, str]:
    shown = [p for p in found if p.get("type") in ("guide", "choices", "bundle", "handoff", "not_found")]
    if not shown:
        return None, "", ""
    first = shown[0]
    return first.get("type"), first.get("item_name") or first.get("bundle_name") or "", first.get("aspect") or ""


# --- asking about complaining itself ----------------------------------------------------------------------

ABOUT_COMPLAINING = [
    ("举报老板不买工伤保险 得准备啥子证据", "materials"),
    ("要投诉商场的电梯坏了 投诉需要提供什么凭证", "materials"),
    ("投诉之后一般几天给答复", "time_limit"),
    ("举报了以后要多久处理", "time_limit"),
    ("举报黑作坊能在网上提交不", "online"),
    ("投诉的时候能不能匿名", None),
    ("先问一下 举报的人会不会被泄露信息 能保密不", None),
    ("投诉举报的进度在哪里查", None),
    ("投诉以后好多天有回音", "time_limit"),
]


@pytest.mark.parametrize("text, aspect", ABOUT_COMPLAINING)
def test_asking_what_complaining_takes_is_a_question(text, aspect):
    assert asks_about_complaining(text)
    move = interpret(NOTHING, text, intent="complain")
    assert move.kind == m.QUESTION, move
    assert not told_wrong(text)


@pytest.mark.parametrize("text", [
    "投诉了好几回都没人回复", "我在网上举报过两次了", "我要投诉 窗口的人态度差", "举报了也没得人管",
    "投诉了半个月还没有答复", "我要举报 他们乱倒建筑垃圾",
])
def test_a_complaint_told_is_not_a_question_about_complaining(text):
    assert not asks_about_complaining(text)
    assert interpret(NOTHING, text, intent="complain").kind == m.COMPLAINT


def test_a_question_beside_a_complaint_is_still_the_other_item():
    # the aspect is asked in a clause without 投诉: about the 证, not about complaining
    assert not asks_about_complaining("我要投诉 补个驾照跑了两趟 到底要带些啥")


@pytest.mark.parametrize("text, item, aspect", [
    ("举报工地欠农民工工资要带啥材料", "劳动保障违法行为投诉举报", "materials"),
    ("网上买的东西是假的 投诉得提供哪些证据", "市场监督管理投诉举报处理", "materials"),
    ("举报饭馆后厨脏 可以匿名不", "投诉举报", ""),
])
def test_asking_about_complaining_answers_a_complaint_item(demo, text, item, aspect):
    kind, name, asked = head(payloads(demo, text, intent="complain"))
    assert kind == "guide" and item in name, (kind, name)
    assert not aspect or asked == aspect


def test_the_progress_of_a_complaint_is_not_an_application():
    assert interpret(NOTHING, "上个月投诉了 处理进度去哪看").kind == m.QUESTION
    assert interpret(NOTHING, "我那个申请的进度到哪了").kind == m.PROGRESS
    assert interpret(NOTHING, "投诉了好久 一点进度都没有").kind != m.QUESTION


# --- a told wrong, then a record wished for --------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "门诊乱收钱 想查一下我的医保账户明细", "厂里克扣了加班费 我想打印一份社保参保证明", "商家多收了我的钱 打算查下个税纳税记录",
])
def test_a_record_wished_beside_a_wrong_is_a_question(text):
    assert interpret(NOTHING, text, intent="complain").kind == m.QUESTION
    assert not told_wrong(text)


@pytest.mark.parametrize("text", ["物业乱收费 想找人管一下", "药房乱收费 想看看你们管不管", "医院乱收钱 想查下这家医院"])
def test_a_wish_to_have_the_wrong_looked_into_stays_a_complaint(text):
    assert interpret(NOTHING, text, intent="complain").kind == m.COMPLAINT


def test_the_wrong_s_words_ask_no_aspect():
    move = interpret(NOTHING, "诊所乱收费 想查下医保的报销记录")
    assert "fee" not in move.aspects


# --- a wish to do it oneself beside an employer's wrong --------------------------------------------------

@pytest.mark.parametrize("text", [
    "单位几年都没给我交社保 想自己补缴", "老板没帮我交医保 我自己去交可以不", "公司把社保停了 我能不能自己续上",
    "以前的厂没给交公积金 我打算自己交上",
])
def test_a_wish_to_do_it_oneself_is_no_complaint(demo, text):
    kind, _name, _aspect = head(payloads(demo, text, intent="complain"))
    assert kind in ("guide", "choices"), kind


# --- a public thing broken with nobody acting ------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "楼下的路灯黑了一个月 也没人来修", "小区门口的下水道盖子不见了 没得人管", "路边护栏撞坏了好久了 一直没人弄",
])
def test_a_public_fault_nobody_acts_on_is_a_complaint(demo, text):
    kind, _name, _aspect = head(payloads(demo, text))
    assert kind == "handoff", kind


# --- how many times ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["一年可以提几回", "最多能领好多次", "每年能取几次"])
def test_how_many_times_is_a_condition_of_the_current_item(text):
    move = interpret(ITEM, text)
    assert move.kind == m.ASPECT and "conditions" in move.aspects, move


# --- another object with the action just discussed, an earlier item pointed back to -----------------------

@pytest.mark.parametrize("text", ["户口本也要补不", "医保的也能转吗", "驾照也得换不嘛"])
def test_also_names_another_object_with_the_same_action(text):
    from actions.dialogue.words import ALSO_THE_SAME
    assert ALSO_THE_SAME.search(text)


@pytest.mark.parametrize("text", ["我也不晓得咋个办", "也就是说要本人去"])
def test_also_in_a_sentence_is_no_object(text):
    from actions.dialogue.words import ALSO_THE_SAME
    assert not ALSO_THE_SAME.search(text)


def _code(catalog, fragment: str) -> tuple[str, str]:
    item = next(i for i in catalog.items.values() if fragment in i.name)
    return item.code, item.name


def test_also_carries_the_action_to_the_other_object(demo):
    code, name = _code(demo, "养老保险关系转移接续")
    kind, found, _aspect = head(payloads(demo, "医保的也要转不", slots={"item_code": code, "item_name": name}))
    assert kind == "guide" and "医疗保险关系转移接续" in found, (kind, found)


def test_a_pointer_back_reaches_an_earlier_item_the_search_spreads(demo):
    from actions.dialogue.state import Option
    from actions.recall import discussed_named
    now, now_name = _code(demo, "基本医疗保险关系转移接续")
    before, before_name = _code(demo, "养老保险关系转移接续")
    state = DialogueState(item_code=now, item_name=now_name, aspect="overview", answered=True,
                          discussed=(Option(now, now_name), Option(before, before_name)))
    assert discussed_named(demo, state, "之前那个养老的收钱不") == before
