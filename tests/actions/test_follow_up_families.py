"""Round 11 (conv9): aspect words typed by sound, a name in front of a pointer, a pointer after a told
clause asking for a new thing, a move to another district told beside a question. The interpreter alone;
the items discussed before are in test_dialogues (dialogues n11-…)."""
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


@pytest.mark.parametrize("text, aspect, district", [
    ("我搬到江津了 在哪补", "department", "江津区"), ("单位调到永川了，去哪里办", "department", "永川区"),
    ("来电人称其已迁至綦江区居住，询问办理地点", "department", "綦江区"), ("我们刚搬到璧山 要带啥", "materials", "璧山区"),
])
def test_a_move_to_another_district_told_beside_a_question_keeps_the_item(text, aspect, district):
    move = interpret(ITEM, text, names_item=names)
    assert move.kind == m.ASPECT and move.aspect == aspect and move.district.name == district, move


@pytest.mark.parametrize("text", ["来电人表示明白了，感谢", "来电人表示已清楚，无其他诉求", "该女士称已知晓 无其他问题", "来电人致谢"])
def test_an_agents_note_closing_the_call_is_thanks(text):
    assert interpret(ITEM, text, names_item=names).kind == m.THANKS


@pytest.mark.parametrize("text, aspect", [
    ("王女士追问是否需要提前预约", "online"), ("该来电人又问办理时限", "time_limit"), ("李先生补充：询问是否收费", "fee"),
    ("来电人想咨询一下在哪里办理", "department"),
])
def test_callers_named_by_surname_or_this_caller_lose_the_frame(text, aspect):
    move = interpret(ITEM, text, names_item=names)
    assert move.agent and move.kind == m.ASPECT and move.aspect == aspect, move


def test_a_citizen_speaking_of_mr_wang_is_not_an_agent():
    assert not interpret(ITEM, "王先生的驾照丢了咋办", names_item=names).agent


@pytest.mark.parametrize("text, kind", [
    ("要得 没得事了 拜拜", m.GOODBYE), ("OK了 谢谢哈 再见", m.GOODBYE), ("明白了 多谢多谢", m.THANKS), ("好的好的 感谢", m.THANKS),
    ("谢谢你 你们辛苦了", m.THANKS), ("谢谢 没有其他问题了", m.THANKS), ("辛苦了", m.THANKS), ("好滴 3q", m.THANKS),
    ("没得问题了", m.THANKS), ("好的 麻烦你了", m.THANKS),
])
def test_a_closing_made_of_courtesy_clauses_asks_nothing(text, kind):
    assert interpret(ITEM, text, names_item=names).kind == kind


@pytest.mark.parametrize("text, kind", [
    ("明白了", m.FEEDBACK), ("清楚了", m.FEEDBACK), ("谢谢 那网上能办不", m.ASPECT), ("好的 还有 要钱不", m.ASPECT),
    ("没有 我想问户口本", m.QUESTION),
])
def test_feedback_and_questions_after_courtesy_are_still_read(text, kind):
    assert interpret(ITEM, text, names_item=lambda words: words == "户口本").kind == kind
