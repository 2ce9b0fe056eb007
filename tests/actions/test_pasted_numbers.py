"""Numbers pasted into a question (round 8 of issue #15): the question is answered, never dropped.

The guide's turn reads the message without IDs, phones and application numbers; when the progress
route hands a message with an application number to the guide (a how-to question beside it), the
turn answers that question instead of leaving it to a form that is not running."""
from __future__ import annotations

import pytest

from tests.actions.test_dialogues import Conversation, demo_catalog  # noqa: F401  (the fixture)


def _shown(messages: list[dict]) -> list[dict]:
    return [m["custom"] for m in messages if m.get("custom")]


@pytest.mark.parametrize("text, item", [
    ("编号CQ202605140001233 先不管进度 营业执照丢了补领要带啥", "营业执照遗失补领"),
    ("我的申请号是CQ202605140001233，想问个体户注销在哪办", "个体工商户注销登记"),
])
def test_a_guide_question_beside_an_application_number_is_answered(demo_catalog, text, item):  # noqa: F811
    messages = Conversation(demo_catalog).send(text, intent="query_progress")
    shown = _shown(messages)
    assert shown and shown[0]["type"] == "guide" and item in shown[0]["item_name"], messages


@pytest.mark.parametrize("text, item", [
    ("身份证500103199002031234 想问居住证过期了咋个续", "居住证申领"),
    ("电话 139 8345 6721，失业金在哪个窗口领", "失业保险金申领"),
])
def test_a_question_with_an_id_or_phone_is_answered_without_it(demo_catalog, text, item):  # noqa: F811
    shown = _shown(Conversation(demo_catalog).send(text))
    assert shown and shown[0]["type"] == "guide" and item in shown[0]["item_name"], shown


def test_a_number_alone_is_never_dropped(demo_catalog):  # noqa: F811
    messages = Conversation(demo_catalog).send("500103199002031234")
    assert messages and any(m.get("text") for m in messages)
    assert not any(m.get("custom", {}).get("type") == "guide" for m in messages)
