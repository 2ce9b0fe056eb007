from __future__ import annotations

from actions.choices import ActionChooseOption
from actions.fallback import ActionNotUnderstood
from actions.feedback import ActionFeedback
from actions.guide import ActionAnswerGuide, ActionMore, ActionSetDistrict
from actions.handoff import ActionComplaint, ActionHandoff
from tests.actions.conftest import FakeFeedback, run, slots_of, tracker

CODE = "500A9900010000"


def test_materials_answer_names_item_code_and_verified_date_with_guide_payload(catalog):
    messages, events = run(ActionAnswerGuide(catalog), tracker("办测试证要带什么材料", "ask_materials"))
    [message] = messages
    assert message["text"].startswith("【测试许可证核发】所需材料")
    assert "必交材料：\n1. 居民身份证（原件，1份）" in message["text"]
    assert "视情况提交：\n2. 授权委托书" in message["text"]
    assert f"事项编码 {CODE}" in message["text"] and "信息核验 2026-10-01" in message["text"]
    assert {k: v for k, v in message["custom"].items() if k != "card"} == {
        "type": "guide", "item_code": CODE, "item_name": "测试许可证核发", "aspect": "materials", "district": None,
        "alternatives": []}
    assert slots_of(events)["item_code"] == CODE


def test_department_asks_for_the_district_then_answers_it(catalog):
    messages, events = run(ActionAnswerGuide(catalog), tracker("测试证在哪办", "ask_department"))
    # the city-level facts now, and the question for the district
    assert "实施主体：重庆市测试局" in messages[0]["text"] and "请告诉我您在哪个区县" in messages[0]["text"]
    assert {k: v for k, v in messages[0]["custom"].items() if k != "card"} == {
        "type": "guide", "item_code": CODE, "item_name": "测试许可证核发", "aspect": "department", "district": None,
        "alternatives": []}
    slots = slots_of(events)
    assert slots["pending_aspect"] == "department"
    messages, events = run(ActionSetDistrict(catalog), tracker("渝北区", "inform_district", slots))
    assert "实施主体：重庆市渝北区测试局" in messages[0]["text"]
    assert "渝北区政务服务中心二楼测试窗口" in messages[0]["text"]
    assert messages[0]["custom"]["district"] == "渝北区"
    assert slots_of(events)["district"] == "渝北区"


def test_follow_up_keeps_the_item_and_district_switch_keeps_the_aspect(catalog):
    _, events = run(ActionAnswerGuide(catalog), tracker("江北区办测试证在哪", "ask_department"))
    slots = slots_of(events)
    assert slots["district"] == "江北区"
    messages, events = run(ActionAnswerGuide(catalog), tracker("要多久？", "ask_time_limit", slots))
    assert "承诺办结时限：5个工作日" in messages[0]["text"] and "法定办结时限：20个工作日" in messages[0]["text"]
    slots.update(slots_of(events))
    messages, _ = run(ActionSetDistrict(catalog), tracker("渝北区的呢", "inform_district", slots))
    assert messages[0]["custom"]["aspect"] == "time_limit" and messages[0]["custom"]["district"] == "渝北区"


def test_fee_online_flow_conditions_overview(catalog):
    expected = {"ask_fee": "不收费", "ask_online": "可全程网上办理", "ask_flow": "1. 申请（即时）",
                "ask_conditions": "1. 年满18周岁", "ask_overview": "测试用事项"}
    for intent, fragment in expected.items():
        messages, _ = run(ActionAnswerGuide(catalog), tracker("测试许可证核发", intent, {"district": "渝北区"}))
        assert fragment in messages[0]["text"], (intent, messages[0]["text"])


def test_a_pending_menu_is_picked_by_number_ordinal_or_name(catalog):
    # menus themselves (only on genuine ties) are exercised with the demonstration catalog in test_dialogues
    other = next(code for code in catalog.items if code != CODE)
    slots = {"choices": [other, CODE], "pending_aspect": "materials"}
    messages, _ = run(ActionChooseOption(catalog), tracker("第二个", "choose_option", slots))
    assert messages[0]["custom"]["item_code"] == CODE and messages[0]["custom"]["aspect"] == "materials"
    messages, _ = run(ActionChooseOption(catalog), tracker("2", "choose_option", slots))
    assert messages[0]["custom"]["item_code"] == CODE
    messages, _ = run(ActionAnswerGuide(catalog), tracker("就要许可证核发那个", "ask_overview", slots))
    assert messages[0]["custom"]["item_code"] == CODE
    messages, _ = run(ActionChooseOption(catalog), tracker("9", "choose_option", slots))
    assert "请回复 1 到 2" in messages[0]["text"]
    messages, events = run(ActionChooseOption(catalog), tracker("都不是", "choose_option", slots))
    assert not messages[0]["custom"] and slots_of(events)["choices"] is None


def test_an_ordinal_without_a_menu_is_not_searched(catalog):
    messages, _ = run(ActionChooseOption(catalog), tracker("第二个", "choose_option"))
    assert "没有待选的列表" in messages[0]["text"] and not messages[0]["custom"]


def test_not_found_offers_12345_and_a_person_is_offered_never_forced(catalog):
    messages, events = run(ActionNotUnderstood(catalog), tracker("火星签证怎么办理", "nlu_fallback"))
    assert messages[0]["custom"] == {"type": "not_found"} and "12345" in messages[0]["text"]
    messages, _ = run(ActionNotUnderstood(catalog), tracker("火星护照", "nlu_fallback", slots_of(events)))
    assert messages[0]["custom"] == {"type": "not_found"} and "转人工" in messages[0]["text"]


def test_more_pages_through_long_material_lists(catalog):
    messages, _ = run(ActionMore(catalog), tracker("更多", "ask_more", {"item_code": CODE}))
    assert "已经全部列出" in messages[0]["text"]


def test_handoff_and_complaint_carry_handoff_payloads(catalog):
    messages, _ = run(ActionHandoff(catalog), tracker("转人工", "request_human"))
    assert messages[0]["custom"] == {"type": "handoff", "reason": "user_request"}
    messages, _ = run(ActionComplaint(catalog), tracker("测试许可证核发的窗口态度太差了", "complain",
                                                        {"item_code": CODE, "item_name": "测试许可证核发", "district": "渝北区"}))
    assert messages[0]["custom"]["reason"] == "complaint" and "023-12345" in messages[0]["text"]


def test_feedback_is_recorded(catalog):
    store = FakeFeedback()
    run(ActionFeedback(store), tracker("有用", "feedback_useful", {"item_code": CODE, "aspect": "materials", "answered": True}))
    run(ActionFeedback(store), tracker("没用", "feedback_useless", {"item_code": CODE, "aspect": "fee", "answered": True}))
    assert store.records == [("test-user", CODE, "materials", True), ("test-user", CODE, "fee", False)]


def test_a_correction_filed_as_feedback_is_answered_not_recorded(catalog):
    store = FakeFeedback()
    slots = {"item_code": CODE, "item_name": "测试许可证核发", "aspect": "fee", "answered": True}
    messages, _ = run(ActionFeedback(store, catalog), tracker("不对 我想问的是几天能办好", "feedback_useless", slots))
    assert store.records == []
    assert messages[0]["custom"]["item_code"] == CODE and messages[0]["custom"]["aspect"] == "time_limit"
    messages, _ = run(ActionFeedback(store, catalog), tracker("没用 我问的是在哪个窗口办", "feedback_useless", slots))
    assert store.records == [] and messages[0]["custom"]["aspect"] == "department"


def test_out_of_scope_points_to_12345_unless_an_item_is_named(catalog):
    from actions.smalltalk import ActionOutOfScope

    messages, _ = run(ActionOutOfScope(catalog), tracker("今天天气怎么样", "out_of_scope"))
    assert messages[0]["response"] == "utter_out_of_scope"
    assert messages[0]["custom"] == {"type": "handoff", "reason": "out_of_scope"}
    messages, _ = run(ActionOutOfScope(catalog), tracker("测试许可证核发要什么材料", "out_of_scope"))
    assert messages[0]["custom"]["type"] == "guide" and messages[0]["custom"]["aspect"] == "materials"


def test_a_how_to_question_filed_as_out_of_scope_is_not_found_not_chit_chat(catalog):
    from actions.smalltalk import ActionOutOfScope

    messages, _ = run(ActionOutOfScope(catalog), tracker("火星移民证咋个申请", "out_of_scope"))
    assert messages[0]["custom"] == {"type": "not_found"}


def test_an_agents_summary_filed_as_out_of_scope_is_searched_not_sent_to_12345(catalog):
    from actions.smalltalk import ActionOutOfScope

    # the caller is on the hotline already: a summary is about a service, whatever the classifier said
    messages, _ = run(ActionOutOfScope(catalog), tracker("来电人还想了解火星移民证咋个弄", "out_of_scope"))
    assert messages[0]["custom"]["type"] == "not_found"
    messages, _ = run(ActionOutOfScope(catalog), tracker("来电人还想了解测试证要带什么", "out_of_scope"))
    assert messages[0]["custom"]["type"] == "guide" and messages[0]["custom"]["aspect"] == "materials"


def test_one_close_item_after_not_found_is_named_not_a_numbered_list_of_one():
    from rasa_sdk.executor import CollectingDispatcher

    from actions.guide_flow import not_found
    from knowledge.search import Candidate, SearchResult

    def reply(*candidates):
        dispatcher = CollectingDispatcher()
        events = not_found(dispatcher, SearchResult("q", None, "not_found", candidates), 0)
        return dispatcher.messages[0]["text"], slots_of(events)

    one = Candidate("C1", "甲事项", 0.4)
    text, slots = reply(one, Candidate("C2", "乙事项", 0.1))  # the second is below the closest floor
    assert "「甲事项」" in text and "1. 甲事项" not in text and slots["alternatives"] == ["C1"]
    text, slots = reply(one, Candidate("C2", "乙事项", 0.3))
    assert "1. 甲事项" in text and "2. 乙事项" in text and slots["alternatives"] == ["C1", "C2"]
