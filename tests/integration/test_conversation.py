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


# ---- Dialogue state through the real stack: payloads (item, aspect, district), paging, notices.

import re  # noqa: E402
from pathlib import Path  # noqa: E402

import yaml  # noqa: E402

from tooling.cli.dialogue_eval import needless_menu, side_misfire, turn_passes  # noqa: E402

OWN_DIALOGUES = yaml.safe_load((Path(__file__).resolve().parent.parent / "actions" / "dialogues.yml")
                               .read_text(encoding="utf-8"))["dialogues"]


@pytest.mark.parametrize("dialogue", OWN_DIALOGUES, ids=[d["id"] for d in OWN_DIALOGUES])
def test_own_dialogues_through_rest(rest, dialogue):
    """The project's own dialogues, with the NLU in front: each turn's payload is checked."""
    user = sender()
    for turn in dialogue["turns"]:
        replies = rest.send(user, turn["user"])
        payloads = customs(replies)
        shown = [{k: p.get(k) for k in ("type", "item_name", "bundle_name", "aspect", "district", "reason") if p.get(k)}
                 for p in payloads] or texts(replies)[:80]
        assert turn_passes(turn["expect"], payloads, texts(replies)), (turn["user"], turn["expect"], shown)
        assert not side_misfire(turn["expect"], payloads) and not needless_menu(turn["expect"], payloads), shown


def test_materials_are_paged_with_more(rest):
    user = sender()
    first = rest.send(user, "有限责任公司设立登记要什么材料")
    [guide] = [c for c in customs(first) if c["type"] == "guide"]
    assert guide["aspect"] == "materials" and "更多" in texts(first)
    shown = re.findall(r"^(\d+)\. ", texts(first), re.M)
    more = rest.send(user, "更多")
    [page] = [c for c in customs(more) if c["type"] == "guide"]
    assert page["item_code"] == guide["item_code"] and page["aspect"] == "materials"
    following = re.findall(r"^(\d+)\. ", texts(more), re.M)
    assert following and int(following[0]) == int(shown[-1]) + 1  # the next page, not the first again


def test_bundle_replies_are_paged_with_more(rest):
    user = sender()
    first = rest.send(user, "开饭店要办哪些手续")
    [bundle] = [c for c in customs(first) if c["type"] == "bundle"]
    assert "更多" in texts(first) and "承诺总时限" in texts(first) and len(texts(first).splitlines()) <= 16
    more = rest.send(user, "更多")
    [page] = [c for c in customs(more) if c["type"] == "bundle"]
    assert page["bundle_code"] == bundle["bundle_code"] and "·" in texts(more)  # the combined materials


def test_footer_once_per_item_in_a_conversation(rest):
    user = sender()
    first = rest.send(user, "补办身份证要带什么")
    assert "事项编码" in texts(first)
    again = rest.send(user, "要钱不")
    [guide] = [c for c in customs(again) if c["type"] == "guide"]
    assert guide["aspect"] == "fee" and "事项编码" not in texts(again)
    assert guide["card"]  # the card keeps its facts whatever the text shows


def _demo_items():
    from knowledge.importer import read_sources
    from knowledge.service import DEMO_CATALOG

    return read_sources(sorted(DEMO_CATALOG.glob("*.yml"))).items


def test_a_district_without_an_entry_gets_the_city_facts_with_a_notice(rest):
    from knowledge.records import CITY_CODE
    from knowledge.regions import load_regions

    for item in _demo_items():
        codes = {impl.region_code for impl in item.implementations}
        missing = [r for r in load_regions().local() if r.code not in codes]
        if CITY_CODE in codes and missing:
            break
    else:
        pytest.skip("no item with city facts and a district without an entry")
    replies = rest.send(sender(), f"{missing[0].name}{item.name}在哪办")
    assert any(c.get("type") == "guide" and c["item_code"] == item.code for c in customs(replies))
    assert re.search(f"{missing[0].name}.*没有.*市级", texts(replies)), texts(replies)[:300]


def test_a_district_level_item_without_a_district_asks_for_it_and_shows_no_example(rest):
    from knowledge.records import CITY_CODE
    from answers.rendering import depends_on_district

    item = next(i for i in _demo_items() if all(impl.region_code != CITY_CODE for impl in i.implementations)
                and depends_on_district(i, "department"))
    replies = rest.send(sender(), f"{item.name}在哪办")
    [guide] = [c for c in customs(replies) if c["type"] == "guide"]
    assert guide["item_code"] == item.code and guide["district"] is None
    assert "为例" not in texts(replies) and "哪个区县" in texts(replies)


def test_a_fact_the_catalog_does_not_hold_is_not_answered_with_another_field(rest):
    replies = rest.send(sender(), "生孩子的产假有多少天")
    assert not any(c.get("type") == "guide" for c in customs(replies))
    assert "12345" in texts(replies) or re.search(r"\d{3,4}-?\d{7,8}", texts(replies))
