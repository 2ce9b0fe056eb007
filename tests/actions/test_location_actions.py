"""A shared location (actions/location.py): the district confirmed, the item being discussed
answered there, quiet reports, places outside Chongqing; and map links for "最近的窗口在哪"."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from rasa_sdk import Tracker

from actions.guide import ActionAnswerGuide
from actions.location import ActionShareLocation, asks_for_window
from tests.actions.conftest import run, slots_of, tracker

CODE = "500A9900010000"
YUBEI = (29.7170, 106.6330)  # 两路, GCJ-02
YUZHONG = (29.5575, 106.5770)  # 解放碑
CHENGDU = (30.5720, 104.0660)


def shared(latitude, longitude, label=None, quiet=False, system="gcj02", slots=None, metadata=True,
           source="wechat_message") -> Tracker:
    track = tracker(label or "[location]", "share_location", slots)
    if metadata:
        track.latest_message["metadata"] = {"location": {
            "latitude": latitude, "longitude": longitude, "label": label, "coordinate_system": system,
            "source": source, "quiet": quiet}}
    return track


def test_the_district_is_confirmed_and_the_item_answered_there(catalog):
    slots = {"item_code": CODE, "item_name": "测试许可证核发", "aspect": "materials"}
    messages, events = run(ActionShareLocation(catalog), shared(*YUBEI, slots=slots))
    assert messages[0]["text"] == "已定位到渝北区。"
    assert messages[0]["custom"] == {"type": "location", "status": "located", "district": "渝北区",
                                     "region_code": "500112", "from": "coordinates"}
    assert messages[1]["custom"]["type"] == "guide" and messages[1]["custom"]["district"] == "渝北区"
    assert messages[1]["custom"]["aspect"] == "materials" and "所需材料" in messages[1]["text"]
    assert len(messages) == 2  # materials: no map links
    assert slots_of(events)["district"] == "渝北区"


def test_a_pending_where_question_gets_the_window_and_a_map_link(catalog):
    _, events = run(ActionAnswerGuide(catalog), tracker("测试证在哪办", "ask_department"))
    slots = slots_of(events)
    assert slots["pending_aspect"] == "department" and "district" not in slots
    messages, events = run(ActionShareLocation(catalog), shared(*YUZHONG, label="解放碑步行街", slots=slots))
    assert [m["custom"]["type"] for m in messages] == ["location", "guide", "map_links"]
    assert "渝中区政务服务中心二楼测试窗口" in messages[1]["text"]
    links = messages[2]
    assert "渝中区政务服务中心二楼测试窗口" in links["text"]
    [window] = links["custom"]["windows"]
    url = urlparse(window["map_url"])
    assert (url.scheme, url.netloc, url.path) == ("https", "uri.amap.com", "/search")
    assert parse_qs(url.query)["keyword"] == ["重庆市渝中区政务服务中心二楼测试窗口"]
    assert window["map_url"] in links["text"]
    assert slots_of(events)["district"] == "渝中区"


def test_without_an_item_the_district_is_kept_and_the_item_asked(catalog):
    messages, events = run(ActionShareLocation(catalog), shared(*YUZHONG))
    [message] = messages
    assert message["text"].startswith("已定位到渝中区。请问您要办理什么事项")
    assert slots_of(events) == {"district": "渝中区"}
    # the next question is answered for that district
    messages, _ = run(ActionAnswerGuide(catalog), tracker("测试证在哪办", "ask_department", slots_of(events)))
    assert messages[0]["custom"]["district"] == "渝中区"


def test_a_label_naming_a_district_wins(catalog):
    messages, events = run(ActionShareLocation(catalog), shared(*YUBEI, label="重庆市江北区观音桥步行街"))
    assert messages[0]["custom"]["district"] == "江北区" and messages[0]["custom"]["from"] == "label"
    assert slots_of(events)["district"] == "江北区"


def test_outside_chongqing_says_so_and_keeps_the_district(catalog):
    slots = {"district": "渝北区", "item_code": CODE, "item_name": "测试许可证核发", "aspect": "materials"}
    messages, events = run(ActionShareLocation(catalog), shared(*CHENGDU, label="四川省成都市武侯区", slots=slots))
    [message] = messages
    assert "不在重庆市范围内" in message["text"] and message["custom"] == {"type": "location", "status": "outside"}
    assert events == []


@pytest.mark.parametrize(("latitude", "longitude"), [(None, 106.5), (29.5, "x"), (95.0, 106.5)])
def test_unreadable_coordinates_ask_again(catalog, latitude, longitude):
    messages, events = run(ActionShareLocation(catalog), shared(latitude, longitude))
    assert [m["custom"]["status"] for m in messages] == ["unreadable"] and events == []


def test_the_intent_without_a_location_from_a_channel_sets_nothing(catalog):
    messages, events = run(ActionShareLocation(catalog), shared(*YUBEI, metadata=False))
    assert [m["custom"]["status"] for m in messages] == ["unreadable"] and events == []


@pytest.mark.parametrize("source", ["wechat_report", "app"])
def test_a_quiet_location_only_sets_the_district(catalog, source):
    slots = {"item_code": CODE, "item_name": "测试许可证核发", "aspect": "materials"}
    messages, events = run(ActionShareLocation(catalog), shared(*YUBEI, quiet=True, slots=slots, source=source))
    assert messages == [] and slots_of(events) == {"district": "渝北区"}
    messages, events = run(ActionShareLocation(catalog), shared(*YUBEI, quiet=True, slots={"district": "渝北区"},
                                                                source=source))
    assert messages == [] and events == []  # unchanged: nothing to store


def test_outside_chongqing_a_report_says_nothing_but_a_location_with_a_question_says_so(catalog):
    messages, events = run(ActionShareLocation(catalog), shared(*CHENGDU, quiet=True, source="wechat_report"))
    assert messages == [] and events == []
    messages, events = run(ActionShareLocation(catalog), shared(*CHENGDU, quiet=True, source="app"))
    assert [m["custom"]["status"] for m in messages] == ["outside"] and events == []
    messages, events = run(ActionShareLocation(catalog), shared(None, 106.5, quiet=True, source="wechat_report"))
    assert messages == [] and events == []


def test_wgs84_coordinates_are_shifted_before_the_lookup(catalog):
    # 洪崖洞 on the 渝中 bank of the 嘉陵江 as raw GPS: read as GCJ-02 it lies ~400 m off
    messages, _ = run(ActionShareLocation(catalog), shared(29.5630 + 0.0027, 106.5790 - 0.0037, system="wgs84"))
    assert messages[0]["custom"]["district"] == "渝中区"


@pytest.mark.parametrize("text", ["最近的窗口在哪", "窗口在哪", "去哪里办", "办事大厅在哪", "最近的办理点在哪里",
                                  "离我最近的窗口", "附近哪里可以办", "政务服务中心怎么走", "在哪儿办嘛",
                                  "窗口地址发我一下", "到哪点办"])
def test_the_family_of_window_questions(text):
    assert asks_for_window(text)


@pytest.mark.parametrize("text", ["要带什么材料", "要多久", "收费不", "网上能办不", "窗口期是多久", "渝北区的呢",
                                  "哪些人可以办"])
def test_other_questions_are_not_window_questions(text):
    assert not asks_for_window(text)


def test_nearest_window_follow_up_answers_with_a_map_link(catalog):
    slots = {"item_code": CODE, "item_name": "测试许可证核发", "aspect": "materials", "district": "江北区"}
    messages, events = run(ActionAnswerGuide(catalog), tracker("最近的窗口在哪", "ask_department", slots))
    assert [m["custom"]["type"] for m in messages] == ["guide", "map_links"]
    assert messages[0]["custom"]["aspect"] == "department" and "江北区政务服务中心二楼测试窗口" in messages[0]["text"]
    assert messages[1]["text"].startswith("「测试许可证核发」就近办理窗口（江北区）")
    assert "https://uri.amap.com/search?keyword=" in messages[1]["text"]
    assert messages[1]["custom"]["district"] == "江北区" and messages[1]["custom"]["item_code"] == CODE


def test_a_new_item_with_a_window_question_and_a_district_gets_the_link(catalog):
    messages, _ = run(ActionAnswerGuide(catalog), tracker("渝北区办测试证去哪里办", "ask_department"))
    assert [m["custom"]["type"] for m in messages] == ["guide", "map_links"]
    assert "%E6%B8%9D%E5%8C%97%E5%8C%BA" in messages[1]["custom"]["windows"][0]["map_url"]  # 渝北区


def test_without_a_district_the_window_question_asks_for_it_and_links_nothing(catalog):
    slots = {"item_code": CODE, "item_name": "测试许可证核发", "aspect": "materials"}
    messages, events = run(ActionAnswerGuide(catalog), tracker("最近的窗口在哪", "ask_department", slots))
    assert [m["custom"]["type"] for m in messages] == ["guide"]
    assert "请告诉我您在哪个区县" in messages[0]["text"]
    assert slots_of(events)["pending_aspect"] == "department"


def test_other_aspects_get_no_map_link(catalog):
    slots = {"item_code": CODE, "item_name": "测试许可证核发", "aspect": "department", "district": "江北区"}
    messages, _ = run(ActionAnswerGuide(catalog), tracker("要带什么材料", "ask_materials", slots))
    assert [m["custom"]["type"] for m in messages] == ["guide"]


def test_the_map_search_leaves_out_remarks_and_names_the_city_and_district():
    from answers.location import map_url
    from knowledge.regions import load_regions

    yubei = load_regions().resolve("渝北区")
    keyword = parse_qs(urlparse(map_url("政务服务中心公安综合窗口（户籍业务亦可到派出所办理）", yubei)).query)["keyword"]
    assert keyword == ["重庆市渝北区政务服务中心公安综合窗口"]
    assert parse_qs(urlparse(map_url("重庆市渝北区金开大道1698号", yubei)).query)["keyword"] == ["重庆市渝北区金开大道1698号"]
    assert parse_qs(urlparse(map_url("金开大道1698号", None)).query)["keyword"] == ["重庆市金开大道1698号"]
