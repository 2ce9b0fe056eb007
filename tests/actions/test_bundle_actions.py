"""Bundle conversations in the actions: the life-event answer, drilling into its items, districts."""
from __future__ import annotations

import pytest

from actions.choices import ActionChooseOption
from actions.fallback import ActionNotUnderstood
from actions.guide import ActionAnswerGuide, ActionMore, ActionSetDistrict
from actions.smalltalk import ActionCapabilities, ActionOutOfScope
from knowledge.importer import read_sources
from knowledge.service import DEMO_CATALOG
from tests.actions.conftest import FakeCatalog, run, slots_of, tracker

RESTAURANT = "500YJS0008"
LICENCE, FOOD_PERMIT, SIGN, DRAINAGE = "500A4100110000", "500A4100190000", "500Z3300010000", "500A3300070000"
YUBEI = [{"entity": "district", "value": "渝北区"}]


@pytest.fixture(scope="module")
def catalog() -> FakeCatalog:
    """The demonstration bundles over the two departments the restaurant bundle needs."""
    source = read_sources([DEMO_CATALOG / "market-regulation.yml", DEMO_CATALOG / "city-management.yml"])
    bundles = read_sources([DEMO_CATALOG / "bundles.yml"]).bundles
    return FakeCatalog(source.items, bundles)


@pytest.fixture(scope="module")
def after_bundle(catalog) -> dict:
    _, events = run(ActionAnswerGuide(catalog), tracker("开饭店要办哪些手续", "ask_bundle"))
    return slots_of(events)


def test_bundle_answer_lists_steps_merged_materials_window_and_total_time(catalog):
    [message], events = run(ActionAnswerGuide(catalog), tracker("开饭店要办哪些手续", "ask_bundle"))
    assert message["custom"] == {
        "type": "bundle", "bundle_code": RESTAURANT, "bundle_name": "开饭店一件事", "district": None, "page": 1,
        "items": [{"item_code": LICENCE, "item_name": "个体工商户设立登记"},
                  {"item_code": FOOD_PERMIT, "item_name": "食品经营许可"},
                  {"item_code": SIGN, "item_name": "户外招牌设置备案"},
                  {"item_code": DRAINAGE, "item_name": "城镇污水排入排水管网许可"}],
    }
    text = message["text"]
    assert "回复“更多”查看" in text and "· 营业执照" not in text  # a phone screen: materials on the next page
    [more], _ = run(ActionMore(catalog), tracker("更多", "ask_more", slots_of(events)))
    assert more["custom"]["type"] == "bundle" and more["custom"]["page"] == 2
    text += "\n" + more["text"]
    assert text.startswith("【开饭店一件事】一件事一次办")
    assert "1. 个体工商户设立登记" in text and "2. 食品经营许可" in text
    assert "3. 户外招牌设置备案 — 重庆市城市管理局［视情况：设置门头招牌的］" in text
    assert text.count("· 营业执照") == 1 and "营业执照（可免提交）（第2、3、4项共用）" in text  # listed once
    assert "联办窗口：" in text and "承诺总时限：5个工作日" in text
    assert "联办编码 500YJS0008 · 信息核验 2026-07-22（演示数据）" in text
    slots = slots_of(events)
    assert slots["bundle_code"] == RESTAURANT and slots.get("item_code") is None  # only changed slots are set
    assert slots["choices"] == [LICENCE, FOOD_PERMIT, SIGN, DRAINAGE]


def test_drill_into_an_item_by_ordinal_keeps_the_bundle_on_offer(catalog, after_bundle):
    [message], events = run(ActionAnswerGuide(catalog), tracker("第二个要什么材料？", "ask_materials", after_bundle))
    assert message["custom"]["type"] == "guide" and message["custom"]["item_code"] == FOOD_PERMIT
    assert message["custom"]["aspect"] == "materials" and message["text"].startswith("【食品经营许可】所需材料")
    slots = {**after_bundle, **slots_of(events)}
    assert slots["item_code"] == FOOD_PERMIT and slots["choices"] == after_bundle["choices"]
    # then the next item by a bare ordinal, same aspect (the usual context rules)
    [message], _ = run(ActionChooseOption(catalog), tracker("第三个呢", "choose_option", slots))
    assert message["custom"]["item_code"] == SIGN and message["custom"]["aspect"] == "materials"


def test_ordinal_question_filed_under_choose_option_takes_the_aspect_from_its_words(catalog, after_bundle):
    [message], _ = run(ActionChooseOption(catalog), tracker("第一个在哪办", "choose_option", after_bundle))
    assert message["custom"]["item_code"] == LICENCE and message["custom"]["aspect"] == "department"


def test_drill_into_an_item_by_name(catalog, after_bundle):
    [message], _ = run(ActionAnswerGuide(catalog), tracker("营业执照要什么材料", "ask_materials", after_bundle))
    assert message["custom"]["item_code"] == LICENCE  # the bundle's licence, not the company one
    # outside the bundle the same words leave the choice to the user
    [message], _ = run(ActionAnswerGuide(catalog), tracker("营业执照要什么材料", "ask_materials"))
    assert message["custom"]["type"] == "choices"


def test_a_different_service_inside_a_bundle_is_answered_as_itself(catalog, after_bundle):
    [message], _ = run(ActionAnswerGuide(catalog), tracker("食品生产许可证要什么材料", "ask_materials", after_bundle))
    assert message["custom"]["item_name"] == "食品生产许可"


def test_district_switch_right_after_the_bundle_shows_the_bundle_there(catalog, after_bundle):
    [message], events = run(ActionSetDistrict(catalog), tracker("渝北区的呢", "inform_district", after_bundle, YUBEI))
    assert message["custom"]["type"] == "bundle" and message["custom"]["district"] == "渝北区"
    assert "联办窗口：渝北区政务服务中心" in message["text"]
    assert "1. 个体工商户设立登记 — 重庆市渝北区市场监督管理局" in message["text"]
    slots = {**after_bundle, **slots_of(events)}
    assert slots["district"] == "渝北区" and slots["bundle_code"] == RESTAURANT


def test_district_switch_after_drilling_keeps_the_item_and_the_bundle(catalog, after_bundle):
    _, events = run(ActionAnswerGuide(catalog), tracker("第二个在哪办", "ask_department", after_bundle))
    slots = {**after_bundle, **slots_of(events)}
    [message], events = run(ActionSetDistrict(catalog), tracker("渝北区的呢", "inform_district", slots, YUBEI))
    assert message["custom"]["type"] == "guide" and message["custom"]["item_code"] == FOOD_PERMIT
    assert message["custom"]["district"] == "渝北区" and message["custom"]["aspect"] == "department"
    assert {**slots, **slots_of(events)}["choices"] == after_bundle["choices"]


def test_follow_up_right_after_the_bundle_repeats_it(catalog, after_bundle):
    [message], _ = run(ActionAnswerGuide(catalog), tracker("要多久", "ask_time_limit", after_bundle))
    assert message["custom"]["type"] == "bundle" and "承诺总时限" in message["text"]


def test_bundle_questions_the_nlu_misfiles_still_get_the_bundle(catalog):
    [message], _ = run(ActionNotUnderstood(catalog), tracker("我想开个饭馆子要办啥子", "nlu_fallback"))
    assert message["custom"]["type"] == "bundle" and message["custom"]["bundle_code"] == RESTAURANT
    [message], _ = run(ActionOutOfScope(catalog), tracker("开火锅店要办哪些手续", "out_of_scope"))
    assert message["custom"]["type"] == "bundle"
    [message], _ = run(ActionOutOfScope(catalog), tracker("今天天气怎么样", "out_of_scope"))
    assert message["custom"]["type"] == "handoff"


def test_bundle_with_items_missing_from_the_catalog_says_so(after_bundle):
    bundles = read_sources([DEMO_CATALOG / "bundles.yml"]).bundles
    only_licences = read_sources([DEMO_CATALOG / "market-regulation.yml"]).items
    [message], events = run(ActionAnswerGuide(FakeCatalog(only_licences, bundles)),
                            tracker("开饭店要办哪些手续", "ask_bundle"))
    assert "3. 事项 500Z3300010000（目录中暂无，请咨询 12345）" in message["text"]
    assert [i["item_code"] for i in message["custom"]["items"]] == [LICENCE, FOOD_PERMIT]
    assert slots_of(events)["choices"] == [LICENCE, FOOD_PERMIT]


def test_a_long_service_question_misfiled_as_capabilities_gets_the_services_it_names(catalog):
    [message], _ = run(ActionCapabilities(catalog), tracker("在外地注册的公司可以把营业执照地址迁到重庆来吗", "bot_capabilities"))
    # answered first (the search ranks 有限责任公司设立登记 first) or asked; either way the
    # item meant is offered: among the options, or among the alternatives after the answer
    custom = message["custom"]
    offered = custom.get("options") if custom["type"] == "choices" else custom.get("alternatives")
    assert custom["type"] in ("choices", "guide")
    assert "公司变更登记" in [o["item_name"] for o in offered or []]
    [message], _ = run(ActionCapabilities(catalog), tracker("你都能回答哪些问题", "bot_capabilities"))
    assert message["response"] == "utter_capabilities"


def test_a_long_question_offered_with_confidence_is_a_service_question_not_small_talk(catalog):
    # no candidate is found by a name of its own and none is clearly ahead, but one explains the
    # question well enough to be offered with confidence: the services, not the capabilities text
    [message], _ = run(ActionCapabilities(catalog), tracker("公司住所搬到别的区了营业执照要改不", "bot_capabilities"))
    custom = message["custom"]
    offered = custom.get("options") if custom["type"] == "choices" else [custom] + (custom.get("alternatives") or [])
    assert "公司变更登记" in [o["item_name"] for o in offered]
