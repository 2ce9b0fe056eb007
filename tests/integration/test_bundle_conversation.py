"""Life-event bundles (一件事一次办) through the real REST channel, Rasa and action server."""
from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.integration


def sender() -> str:
    return f"it-bundle-{uuid.uuid4().hex[:10]}"


def only(messages: list[dict], kind: str) -> dict:
    [payload] = [m["custom"] for m in messages if isinstance(m.get("custom"), dict) and m["custom"]["type"] == kind]
    return payload


def text_of(messages: list[dict]) -> str:
    return "\n".join(m.get("text", "") for m in messages)


def test_bundle_question_then_drill_by_ordinal_and_by_name_then_district(rest):
    user = sender()
    first = rest.send(user, "我想开个火锅店，都要办哪些手续")
    bundle = only(first, "bundle")
    assert bundle["bundle_name"] == "开饭店一件事" and bundle["district"] is None
    names = [i["item_name"] for i in bundle["items"]]
    assert names[:2] == ["个体工商户设立登记", "食品经营许可"]
    assert "合并材料" in text_of(first) and "联办窗口" in text_of(first) and "承诺总时限" in text_of(first)

    second = only(rest.send(user, "第二个要带什么材料"), "guide")
    assert second["item_code"] == bundle["items"][1]["item_code"] and second["aspect"] == "materials"

    by_name = only(rest.send(user, "营业执照要准备啥"), "guide")
    assert by_name["item_code"] == bundle["items"][0]["item_code"]

    there = only(rest.send(user, "渝北区的呢"), "guide")
    assert there["item_code"] == bundle["items"][0]["item_code"] and there["district"] == "渝北区"


def test_switching_district_within_a_bundle_keeps_the_bundle(rest):
    user = sender()
    first = only(rest.send(user, "家里宝宝刚出生，要办哪些事"), "bundle")
    assert first["bundle_name"] == "出生一件事"
    moved = rest.send(user, "江北区的呢")
    bundle = only(moved, "bundle")
    assert bundle["bundle_code"] == first["bundle_code"] and bundle["district"] == "江北区"
    assert "江北区" in text_of(moved)
    third = only(rest.send(user, "3"), "guide")
    assert third["item_code"] == first["items"][2]["item_code"] and third["district"] == "江北区"


def test_company_deregistration_is_a_bundle(rest):
    bundle = only(rest.send(sender(), "公司注销"), "bundle")
    assert bundle["bundle_name"] == "企业注销一件事"
    assert "公司注销登记" in [i["item_name"] for i in bundle["items"]]
