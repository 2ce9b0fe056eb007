"""The boundary between a complaint and a question (actions.complaints), through actions.turn with the
demonstration catalog: a told wrong goes to 12345 whatever the search finds; the classifier's `complain`
alone does not send a short query about a service there; side-intent words inside a question about a
service keep it a question."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.complaints import asks_something, told_wrong
from actions.turn import handle
from knowledge.importer import read_sources
from knowledge.service import DEMO_CATALOG
from tests.actions.conftest import FakeCatalog, FakeFeedback


@pytest.fixture(scope="module")
def demo() -> FakeCatalog:
    sources = read_sources(sorted(DEMO_CATALOG.glob("*.yml")))
    return FakeCatalog(sources.items, sources.bundles)


def payloads(catalog: FakeCatalog, text: str, intent: str = "nlu_fallback", slots: dict | None = None) -> list[dict]:
    tracker = Tracker.from_dict({
        "sender_id": "complaints-test", "slots": slots or {},
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []},
        "events": [], "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"})
    dispatcher = CollectingDispatcher()
    handle(dispatcher, catalog, tracker, feedback_store=FakeFeedback())
    return [m["custom"] for m in dispatcher.messages if isinstance(m.get("custom"), dict)]


def kinds(found: list[dict]) -> list[str]:
    return [p.get("type") for p in found]


# Somebody did wrong (an official, a driver, a shop, an employer), a public thing broke, a nuisance, a
# report filed by an agent: the search finds an item for most of them (假药 → 药品零售企业许可).
@pytest.mark.parametrize("text", [
    "药房卖假药", "出租车司机在车上骂乘客", "中介收了定金就跑路了", "装修队把小区的绿化带挖了一大块",
    "单元门口的路灯坏了半个月", "楼上的水管爆了 水流到我家", "街道办的人上班时间打牌", "楼下酒吧唱到凌晨三点",
    "驾校教练索要好处费", "小区垃圾房一个星期没清 苍蝇到处都是", "来电人反映其小区自来水浑浊",
    "市民反映某路段渣土车夜间超速", "物业把消防通道锁死了", "公交司机不按站停车", "超市卖的猪肉是注水肉",
    "房东不退押金还骂人", "楼上天天往下扔垃圾",
])
def test_a_told_wrong_is_a_complaint(demo, text):
    assert told_wrong(text)
    assert kinds(payloads(demo, text)) == ["handoff"]


# The asker's own documents and life events, wishes to use a service, and questions: not complaints.
@pytest.mark.parametrize("text", [
    "身份证坏了", "户口本被水泡烂了", "驾驶证丢在出租车上了", "孩子刚出生", "我失业了", "护照过期了",
    "电梯坏了想用维修基金", "老板不发工资 劳动仲裁咋个申请", "小区停车收费太贵了 能不能减免",
    "旧车不要了 卖给别人 转让登记要好久", "护士换了医院上班要变更注册", "物业费涨价了合不合理",
    "我说的是损坏了要换 不是过期",
])
def test_own_matters_and_questions_are_not_told_wrongs(text):
    assert not told_wrong(text)


@pytest.mark.parametrize("text", ["这是什么服务", "万一有人掉下去咋整", "年卡还没用几次", "垃圾几天都没人清"])
def test_rhetoric_and_quantities_told_ask_nothing(text):
    assert not asks_something(text)


@pytest.mark.parametrize("text", ["去哪里办", "要得不", "想动用维修资金", "要去备案", "合不合理", "转让登记要好久"])
def test_asking_words_and_wishes_ask(text):
    assert asks_something(text)


# The classifier's complaint alone (no complaint word, nothing gone wrong) on a short query naming a service.
@pytest.mark.parametrize("text, item", [
    ("住房公积金贷款办理地址", "住房公积金个人住房贷款"), ("个体户注销流程", "个体工商户注销登记"),
    ("社保卡挂失电话", "社会保障卡挂失"),
])
def test_a_complaint_only_the_classifier_saw_is_a_question(demo, text, item):
    found = payloads(demo, text, intent="complain")
    assert kinds(found)[:1] == ["guide"] and found[0]["item_name"] == item


@pytest.mark.parametrize("text", ["社保局的窗口推来推去", "公积金中心的人态度恶劣", "物业乱收停车费"])
def test_the_classifier_s_complaint_with_a_wrong_told_stays_one(demo, text):
    assert kinds(payloads(demo, text, intent="complain")) == ["handoff"]


# Side-intent words inside a question about a service (终止, 撤销, 注销, 退出, 不要了, 没用, 变了, 错了):
# whatever the classifier filed it as, a question is answered.
@pytest.mark.parametrize("text, intent", [
    ("终止劳动合同了 公积金能取不", "stop"), ("撤销网签合同要双方都到场吗", "stop"), ("退出个体经营 注销去哪办", "stop"),
    ("不要了的车咋个报废", "stop"), ("旧残疾人证没用了 换领带啥", "feedback_useless"),
    ("身份证上的住址变了要换不", "feedback_useless"), ("户口本上的名字错了咋个改", "feedback_useless"),
    ("反映一下 公积金提取在哪个窗口办", "complain"),
])
def test_side_intent_words_inside_a_question_keep_it_a_question(demo, text, intent):
    found = kinds(payloads(demo, text, intent=intent))
    assert found and found[0] in ("guide", "choices", "bundle"), (text, found)


# A wrong told with a question about the wrong itself (what to do, whom to find, whether it is allowed):
# 12345, not the item the search finds for the story ("烧烤店…油烟" → 食品经营许可).
@pytest.mark.parametrize("text", [
    "包工头拖欠我们工钱半年了，我们该怎么办？", "隔壁餐馆的油烟天天往我家飘，请问这种情况应该找谁？",
    "物业私自把小区的球场改成停车场收费，业主怎么维权？", "开发商一直拖着不给说法，政府到底管不管？",
    "外卖平台乱扣骑手的钱，这样合法吗？",
])
def test_a_wrong_with_a_question_about_it_is_a_complaint(demo, text):
    assert kinds(payloads(demo, text)) == ["handoff"]


# ... but a question about doing a service beside the wrong, or a wish to use one, is a question.
@pytest.mark.parametrize("text", [
    "老板拖欠工资 劳动仲裁咋个申请", "网上买的东西商家不退钱，想找人调解", "闯红灯的罚款在哪里交",
    "窗口的人态度太差了 我就问一下离婚登记要预约不",
])
def test_a_service_asked_beside_a_wrong_is_a_question(demo, text):
    assert "handoff" not in kinds(payloads(demo, text))
