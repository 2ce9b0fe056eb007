"""Guide answers from items built here: materials paging, the fee wording, and which
region's facts an answer shows (district, city level, facts every district shares) with
the label or notice that says so first."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from answers.full_guide import full_guide_text
from answers.guide import guide_reply
from answers.rendering import render_fee, render_materials, render_overview
from knowledge.records import CITY_CODE, Implementation, Item, Material, Window
from knowledge.regions import load_regions

ASPECTS = ("materials", "department", "flow", "time_limit", "fee", "conditions", "online", "overview")
NANAN, BEIBEI, YUBEI = "500108", "500109", "500112"


def region(name: str):
    return load_regions().resolve(name)


def impl(code: str, body: str, **facts) -> Implementation:
    defaults = {"promised_limit": "3个工作日", "fee": "不收费", "online_depth": "三级",
                "online_url": "https://zwykb.cq.gov.cn/", "trips": 1, "consult_phone": f"023-6{code[-3:]}0000",
                "verified": date(2026, 9, 1),
                "windows": (Window(name="综合窗口", address=f"{body}一楼大厅", hours="周一至周五"),)}
    return Implementation(region_code=code, body=body, **{**defaults, **facts})


def item(*implementations: Implementation, materials: int = 2, **fields) -> Item:
    mats = tuple(Material(name=f"必交材料{n}") for n in range(1, materials + 1))
    return Item(code="500K9800010000", name="示例证明开具", summary="开具一份示例证明。", materials=mats,
                conditions=("本人申请。",), statutory_limit="20个工作日", implementations=implementations,
                demonstration=True, **fields)


CITY = impl(CITY_CODE, "重庆市示例局")
DISTRICTS = (impl(NANAN, "重庆市南岸区示例局"), impl(BEIBEI, "重庆市北碚区示例局"))


def test_materials_page_with_more_and_the_rest_on_the_next_page():
    mats = tuple(Material(name=f"必交{n}") for n in range(1, 8)) + (
        Material(name="委托书", required=False, condition="委托办理的"), Material(name="证明", required=False))
    subject = dataclasses.replace(item(CITY), materials=mats)
    first, offset = render_materials(subject, CITY)
    assert offset == 5
    assert first.splitlines()[0] == "必交材料：" and "5. 必交5" in first and "必交6" not in first
    assert first.splitlines()[-1] == "共9项，回复“更多”查看其余4项。"
    second, offset = render_materials(subject, CITY, 5)
    assert offset is None and "更多" not in second
    assert "6. 必交6" in second and "7. 必交7" in second and "必交5" not in second
    assert "视情况提交：" in second and "8. 委托书［委托办理的］" in second and "9. 证明" in second
    everything, offset = render_materials(subject, CITY, page=None)
    assert offset is None and all(f"{n}. " in everything for n in range(1, 10)) and "更多" not in everything


def test_the_guide_reply_pages_materials_and_says_where_the_rest_is():
    subject = item(CITY, materials=12)
    first = guide_reply(subject, "materials", None)
    assert first.next_offset == 5 and "回复“更多”查看其余7项" in first.text
    second = guide_reply(subject, "materials", None, first.next_offset)
    assert second.next_offset == 10 and "6. 必交材料6" in second.text and "必交材料5" not in second.text
    assert guide_reply(subject, "materials", None, 10).next_offset is None


@pytest.mark.parametrize("facts, expected", [
    ({"fee": "收费"}, "收费，收费标准目录中暂无，可拨打023-60000000咨询。"),
    ({"fee": "收费", "fee_detail": "每证20元。"}, "收费：每证20元。"),
    ({"fee": "不收费"}, "不收费。"),
    ({"fee": "免费"}, "不收费。"),
    ({"fee": "每件10元"}, "收费：每件10元"),
])
def test_fee_wording_never_repeats_the_word(facts, expected):
    city = impl(CITY_CODE, "重庆市示例局", **facts)
    assert render_fee(item(city), city).splitlines()[0] == expected
    overview = render_overview(item(city), city)
    assert "收费：收费" not in overview and "费用：" in overview


def test_overview_gives_the_amount_not_the_word():
    city = impl(CITY_CODE, "重庆市示例局", fee="收费", fee_detail="每证20元。")
    assert "费用：每证20元。" in render_overview(item(city), city)
    unstated = impl(CITY_CODE, "重庆市示例局", fee="收费")
    assert "费用：收费，标准请咨询" in render_overview(item(unstated), unstated)


def test_a_district_with_its_own_entry_is_named_in_the_heading():
    reply = guide_reply(item(CITY, *DISTRICTS), "department", region("南岸区"))
    assert reply.text.startswith("【示例证明开具】办理部门和窗口（南岸区）\n实施主体：重庆市南岸区示例局")
    assert (reply.district, reply.district_needed) == ("南岸区", False)
    assert reply.card["region"]["code"] == NANAN and reply.card["district"] == "南岸区"


def test_a_district_without_an_entry_says_so_before_the_city_facts():
    reply = guide_reply(item(CITY, *DISTRICTS), "department", region("渝北区"))
    lines = reply.text.splitlines()
    assert lines[0] == "【示例证明开具】办理部门和窗口（市级）"
    assert lines[1] == "渝北区目录中没有「示例证明开具」的实施信息，以下为市级信息。"
    assert lines[2] == "实施主体：重庆市示例局"
    assert reply.district is None and reply.card["region"]["code"] == CITY_CODE


def test_without_a_district_city_facts_are_labelled_and_the_district_asked():
    reply = guide_reply(item(CITY, *DISTRICTS), "department", None)
    lines = reply.text.splitlines()
    assert lines[0] == "【示例证明开具】办理部门和窗口（市级）"
    assert lines[1] == "以下为市级信息，各区县的办理部门和窗口不尽相同。"
    assert "请告诉我您在哪个区县" in lines[-1] and reply.district_needed
    assert reply.card["district_needed"] is True and reply.card["region"]["is_example"] is False


def test_fees_that_differ_by_district_are_never_shown_as_no_fee_without_a_district():
    charged = (impl(NANAN, "南岸", fee="收费", fee_detail="每件5元。"), impl(BEIBEI, "北碚", fee="不收费"))
    reply = guide_reply(item(*charged), "fee", None)
    assert "不收费" not in reply.text and "每件5元" not in reply.text
    assert "「示例证明开具」的收费因区县而异，请告诉我您在哪个区县" in reply.text and reply.district_needed
    assert reply.card["fee"]["charged"] is None and reply.card["district_needed"] is True
    with_city = guide_reply(item(CITY, *charged), "fee", None)
    assert "（市级）" in with_city.text and "以下为市级信息" in with_city.text
    assert with_city.card["region"]["code"] == CITY_CODE and with_city.district_needed


def test_district_only_items_answer_the_facts_every_district_shares():
    """The normal case of an official import: no city-level entry, the same fee everywhere."""
    subject = item(*DISTRICTS)
    fee = guide_reply(subject, "fee", None)
    assert fee.text.splitlines()[1] == "不收费。" and not fee.district_needed
    online = guide_reply(subject, "online", None)
    assert "网上办理：可网上预审，现场只跑一次" in online.text and "跑动次数：最多1次" in online.text
    card = guide_reply(subject, "materials", None).card
    assert card["fee"]["charged"] is False and card["region"] is None and card["online"]["trips"] == 1
    assert card["department"] is None  # bodies differ: no district's department is passed off as the answer


def test_district_only_items_ask_for_the_district_instead_of_an_example():
    reply = guide_reply(item(*DISTRICTS), "department", None)
    assert "南岸" not in reply.text and "北碚" not in reply.text and "为例" not in reply.text
    assert "「示例证明开具」的办理部门和窗口因区县而异，请告诉我您在哪个区县" in reply.text
    assert reply.district_needed and reply.card["district_needed"] and reply.card["region"] is None
    local = guide_reply(item(*DISTRICTS), "department", region("北碚区"))
    assert "（北碚区）" in local.text and "重庆市北碚区示例局" in local.text and local.district == "北碚区"


def test_district_only_items_in_a_district_without_an_entry_say_so():
    department = guide_reply(item(*DISTRICTS), "department", region("渝北区"))
    assert "渝北区目录中没有「示例证明开具」的实施信息，可拨打12345热线咨询当地是否办理。" in department.text
    assert "南岸" not in department.text and "北碚" not in department.text
    fee = guide_reply(item(*DISTRICTS), "fee", region("渝北区"))
    assert "渝北区目录中没有「示例证明开具」的实施信息，以下为各区县相同的信息。" in fee.text and "不收费。" in fee.text


def test_an_item_of_one_region_says_where_it_is_handled():
    reply = guide_reply(item(DISTRICTS[0]), "department", None)
    assert "（南岸区）" in reply.text and "本事项目录中仅有南岸区的实施信息。" in reply.text
    elsewhere = guide_reply(item(DISTRICTS[0]), "department", region("渝北区"))
    assert elsewhere.text.splitlines()[1] == ("渝北区目录中没有「示例证明开具」的实施信息，目录中仅有南岸区的实施信息，"
                                             "以下为南岸区的信息。")
    assert "（南岸区）" in elsewhere.text and elsewhere.district is None and "各区县相同" not in elsewhere.text


@pytest.mark.parametrize("implementations", [(CITY, *DISTRICTS), DISTRICTS, (DISTRICTS[0],), (CITY,), ()])
def test_no_answer_uses_an_example_district(implementations):
    for aspect in ASPECTS:
        for district in (None, region("渝北区"), region("南岸区")):
            reply = guide_reply(item(*implementations), aspect, district)
            assert "为例" not in reply.text and "收费：收费" not in reply.text
            assert reply.card["region"] is None or reply.card["region"]["is_example"] is False
            assert "事项编码 500K9800010000" in reply.text


def test_the_console_guide_says_the_same_about_a_district_without_an_entry():
    text = full_guide_text(item(CITY, *DISTRICTS), region("渝北区"))
    assert "渝北区目录中没有「示例证明开具」的实施信息，以下为市级信息。" in text and "重庆市示例局" in text
    shared = full_guide_text(item(*DISTRICTS), None)
    assert "不收费。" in shared and "办理部门和窗口：\n「示例证明开具」的办理部门和窗口各区县不同，请先选择来电人所在的区县。" in shared
    assert "必交材料1" in full_guide_text(item(*DISTRICTS, materials=9), None) and "更多" not in shared
