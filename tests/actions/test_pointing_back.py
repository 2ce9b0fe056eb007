"""Round 11 (conv9): aspect words typed by sound, a name in front of a pointer, a pointer after a told
clause asking for a new thing. The interpreter alone; the items discussed before are in test_dialogues
(dialogues n11-…)."""
from __future__ import annotations

import pytest

from actions.dialogue import interpreter as m
from actions.dialogue.interpreter import interpret, respelled
from actions.dialogue.state import DialogueState

ITEM = DialogueState(item_code="I1", item_name="居民身份证补领", aspect="materials", answered=True)
KNOWN = {"护照", "户口本", "临时身份证", "驾照"}


def names(words: str) -> bool:
    return words in KNOWN


@pytest.mark.parametrize("text, aspect", [
    ("要多就", "time_limit"), ("等好就才拿得到", "time_limit"), ("网上能半不嘛", "online"), ("要代些啥", "materials"),
    ("代啥子去", "materials"), ("在那里办", "department"), ("去那儿交嘛", "department"), ("要好多前", "fee"),
    ("可以往上办不", "online"), ("要亲自切不", "conditions"), ("怎门申请", "flow"), ("需要神马材料", "materials"),
    ("手序复杂不", "flow"), ("才料有哪些", "materials"),
])
def test_aspect_words_typed_by_sound_are_read(text, aspect):
    move = interpret(ITEM, text)
    assert move.kind == m.ASPECT and move.aspect == aspect, move


@pytest.mark.parametrize("text", [
    "差不多就能办好", "办好就能拿吗", "代办要啥手续", "要半年", "我之前在那里办过", "做好就通知我", "一半的钱",
])
def test_words_that_only_look_like_typos_are_left_alone(text):
    assert respelled(text) == text


@pytest.mark.parametrize("text", ["户口本那个要好久", "刚才说的护照那项多少钱", "驾照的那个在哪办"])
def test_a_name_in_front_of_a_pointer_is_a_question_about_that_one(text):
    assert interpret(ITEM, text, names_item=names).kind == m.QUESTION


@pytest.mark.parametrize("text", ["身份证那个要好久", "补领那个在哪办"])
def test_the_current_items_own_words_in_front_of_a_pointer_are_a_follow_up(text):
    assert interpret(ITEM, text, names_item=names).kind == m.ASPECT


def test_a_pointer_after_asking_for_a_new_thing_points_to_it():
    move = interpret(ITEM, "还想办个临时身份证 那个要带啥", names_item=names)
    assert move.kind == m.QUESTION and move.aspect == "materials", move


def test_a_pointer_after_a_situation_still_points_to_the_current_item():
    move = interpret(ITEM, "我下个月要出国打工 想补一张 那个要带啥", names_item=names)
    assert move.kind == m.ASPECT, move
