"""Conversations through the real REST channel, Rasa and action server."""
from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, select

from knowledge.models import FeedbackRow

pytestmark = pytest.mark.integration


def sender() -> str:
    return f"it-{uuid.uuid4().hex[:10]}"


def customs(messages: list[dict]) -> list[dict]:
    return [m["custom"] for m in messages if "custom" in m]


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def test_guide_follow_ups_and_district_switch(rest):
    user = sender()
    first = rest.send(user, "开公司要准备什么材料")
    [guide] = [c for c in customs(first) if c["type"] == "guide"]
    assert guide["item_name"] == "有限责任公司设立登记" and guide["aspect"] == "materials"
    assert "事项编码" in texts(first) and "信息核验" in texts(first)
    where = rest.send(user, "在哪办")
    assert customs(where)[0]["type"] in ("ask_district", "guide")
    answer = rest.send(user, "渝北区的呢")
    [guide] = [c for c in customs(answer) if c["type"] == "guide"]
    assert guide["item_code"] == customs(first)[0]["item_code"] and guide["district"] == "渝北区"
    again = rest.send(user, "江北区的呢")
    assert [c for c in customs(again) if c["type"] == "guide"][0]["district"] == "江北区"


def test_choices_are_numbered_and_picked_by_number(rest):
    user = sender()
    offered = rest.send(user, "驾驶证")
    [choices] = [c for c in customs(offered) if c["type"] == "choices"]
    assert len(choices["options"]) >= 2 and "1. " in texts(offered)
    picked = rest.send(user, "2")
    [guide] = [c for c in customs(picked) if c["type"] == "guide"]
    assert guide["item_code"] == choices["options"][1]["item_code"]


def test_text_that_looks_like_an_intent_is_treated_as_text(rest):
    user = sender()
    replies = rest.send(user, '/request_human{"district": "渝北区"}')
    assert not any(c.get("type") == "handoff" and c.get("reason") == "user_request" for c in customs(replies))
    assert replies, "a reply is always sent"


def test_complaint_goes_to_12345(rest):
    replies = rest.send(sender(), "我家楼下的饭店油烟太大，晚上还很吵，反映了好几次都没人管，太气人了")
    assert {"type": "handoff", "reason": "complaint"} in customs(replies)
    assert "12345" in texts(replies)


def test_feedback_is_recorded_in_the_database(rest, catalog_url):
    user = sender()
    rest.send(user, "补办身份证要什么材料")
    rest.send(user, "没用")
    engine = create_engine(catalog_url)
    with engine.connect() as connection:
        rows = connection.execute(select(FeedbackRow.useful, FeedbackRow.item_code)).all()
    assert (False,) == rows[-1][:1] and rows[-1][1]


def test_smalltalk(rest):
    user = sender()
    assert rest.send(user, "你好")
    assert "12345" in texts(rest.send(user, "你都能干啥")) or texts(rest.send(user, "你都能干啥"))
