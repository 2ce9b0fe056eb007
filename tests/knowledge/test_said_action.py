"""Session 14 (search13): the action a question says in so many words is the action asked, even when the best name
holds a rarer word of the question (不可移动文物 of …文物…备案 against 文物认定). Wordings written for this rule before it
was built, on the real Jiangbei list (skipped when it is absent), with guards where the best already does the said
action or the word is said as a state of the object (已注销的, 被吊销的, 设立的分支机构)."""
from __future__ import annotations

import re

import pytest

from knowledge.name_parts import ACTION_WORDS
from knowledge.siblings import said_actions
from tests.knowledge.engines import jiangbei_names_only

WORDINGS = [
    ("我想申请把我家老宅子认定成不可移动文物", r"^文物认定$"),
    ("申请认定不可移动文物", r"^文物认定$"),
    ("港澳通行证要续签注去哪里", r"港澳签注"),
    ("居住证到期了要签注", r"^居住证签注$"),
    ("驾驶证被注销了还能恢复驾驶资格不", r"恢复驾驶资格"),
    ("驾照吊销过后要恢复驾驶资格", r"恢复驾驶资格"),
    ("恢复已注销的驾驶资格", r"恢复驾驶资格"),
    ("娃儿是事实无人抚养想认定一下", r"事实无人抚养儿童认定"),
    ("我是归侨身份要认定", r"^归侨、侨眷身份认定$"),
    # guards: the best already does the said action, or the said word is a state of the object
    ("机动车驾驶证要注销", r"^注销机动车驾驶证$"),
    ("驾照增驾要去哪里", r"增加准驾车型"),
    ("已登记的机动车要转让", r"^机动车转让登记$"),
    ("身份证掉了补办", r"^居民身份证补领$"),
]


@pytest.fixture(scope="module")
def jiangbei():
    return jiangbei_names_only()


@pytest.mark.parametrize("question, pattern", WORDINGS)
def test_the_said_action_is_asked(jiangbei, question, pattern):
    best = jiangbei.search(question).best
    assert best is not None and re.search(pattern, best.name), (question, best and best.name)


def test_a_state_of_the_object_is_not_a_said_action():
    assert said_actions("恢复已注销的驾驶资格", ACTION_WORDS) == {"恢复"}
    assert "注销" not in said_actions("驾照被注销了", ACTION_WORDS)
    assert "设立" not in said_actions("在自贸区设立的分支机构办特殊工时", ACTION_WORDS)
    assert "挂失" not in said_actions("社保卡前几天挂失了今天找回来了", ACTION_WORDS)
    assert "注销" in said_actions("机动车驾驶证要注销", ACTION_WORDS)
    assert not said_actions("营业执照怎么办理登记", ACTION_WORDS)  # words every item does
