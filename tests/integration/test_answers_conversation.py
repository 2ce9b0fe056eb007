"""What the answers say, through the real REST channel, Rasa and action server: materials
paged with "更多", the district named in the heading and payload, the notice that a
district has no entry of its own (city facts follow), and no example district."""
from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.integration


def sender() -> str:
    return f"it-answers-{uuid.uuid4().hex[:10]}"


def guide(messages: list[dict]) -> tuple[dict, str]:
    """The one guide payload of a turn and the turn's text (REST sends them as two messages)."""
    [payload] = [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"].get("type") == "guide"]
    return payload, "\n".join(m["text"] for m in messages if m.get("text"))


def test_materials_are_paged_and_more_shows_the_rest_of_the_same_item(rest):
    user = sender()
    first, text = guide(rest.send(user, "开个公司需要带些什么材料"))
    assert first["item_name"] == "有限责任公司设立登记" and first["aspect"] == "materials"
    total = first["card"]["material_counts"]["total"]
    assert total > 5 and f"共{total}项，回复“更多”查看其余{total - 5}项。" in text
    assert "5. " in text and "6. " not in text
    rest_page, text = guide(rest.send(user, "更多"))
    assert (rest_page["item_code"], rest_page["aspect"]) == (first["item_code"], "materials")
    assert "6. " in text and "1. " not in text and "更多" not in text


def test_the_district_is_named_in_the_heading_and_the_payload(rest):
    payload, text = guide(rest.send(sender(), "我在渝北区，开公司去哪里办"))
    assert (payload["item_name"], payload["aspect"], payload["district"]) == ("有限责任公司设立登记", "department", "渝北区")
    assert text.startswith("【有限责任公司设立登记】办理部门和窗口（渝北区）")
    assert payload["card"]["region"] == {"code": "500112", "name": "渝北区", "is_example": False}


def test_a_district_without_an_entry_says_so_before_the_city_facts(rest):
    user = sender()
    payload, text = guide(rest.send(user, "导游证在哪个部门办"))
    assert payload["item_name"] == "导游证核发" and payload["district"] is None
    again, text = guide(rest.send(user, "我在江北区"))
    # the payload names the conversation's district; the card says whose facts are shown (the city's)
    assert again["item_code"] == payload["item_code"] and again["district"] == "江北区"
    lines = text.splitlines()
    assert lines[0].endswith("（市级）")
    assert lines[1] == "江北区目录中没有「导游证核发」的实施信息，以下为市级信息。"
    assert again["card"]["region"]["code"] == "500000"


def test_a_district_level_item_asked_without_a_district_asks_instead_of_an_example(rest):
    user = sender()
    payload, text = guide(rest.send(user, "旅行社分社备案到哪个部门办"))
    assert payload["aspect"] == "department" and payload["district"] is None
    assert "为例" not in text and "因区县而异" in text and "请告诉我您在哪个区县" in text
    card = payload["card"]
    assert card["district_needed"] is True and card["region"] is None and card["department"] is None
    local, text = guide(rest.send(user, "南岸区"))
    assert (local["item_code"], local["aspect"], local["district"]) == (payload["item_code"], "department", "南岸区")
    assert "（南岸区）" in text and "南岸区" in local["card"]["department"]["body"]
