"""Search on the real 渝快办 江北区 list, names only: the list the held-out questions are scored on is a real Chongqing
district's, of the same size. The list is a third-party crawl kept outside the repository (YUBAN_JIANGBEI_LIST, default
/work/outside/jiangbei_items.tsv); these tests skip when it is absent. Session 14 (search11): blind24 stayed sealed
(measured at its start and its end only), blind25 was the development set (docs/catalog-format.md)."""
from __future__ import annotations

import pytest

from knowledge.evaluation import matches, score
from tests.knowledge.engines import jiangbei_names_only
from tests.knowledge.test_generalisation import absent, asked, load_set

BLIND24 = load_set("blind24_questions.yml")
BLIND25 = load_set("blind25_questions.yml")


@pytest.fixture(scope="module")
def jiangbei():
    return jiangbei_names_only()


def test_patterns_name_items_of_the_list(jiangbei):
    names = [e.name for e in jiangbei.entries.values()]
    assert len(names) == 1722
    for questions in (BLIND24, BLIND25):
        for q in asked("jiangbei", questions):
            assert any(matches(n, q["item_patterns"]) for n in names), q


@pytest.mark.parametrize("label, questions, top1, top3, right_when_answered", [
    # session 14: blind24 74.2 / 89.4 (92.9% right when answered) at its start (sealed), 74.2 / 90.9 (92.7%) at its
    # end; blind25 62.0 / 78.5 (72.3%) → 69.6 / 83.5 (76.6%)
    ("blind24", BLIND24, 0.70, 0.87, 0.88), ("blind25", BLIND25, 0.66, 0.80, 0.72)])
def test_own_questions_on_the_jiangbei_list(jiangbei, capsys, label, questions, top1, top3, right_when_answered):
    scores = score(jiangbei, asked("jiangbei", questions), f"{label}, Jiangbei names only",
                   absent("jiangbei", questions))
    with capsys.disabled():
        print(f"\n[{scores.row()}]")
    assert scores.top1 / scores.total >= top1 and scores.top3 / scores.total >= top3
    assert scores.answered_right >= right_when_answered * scores.answered
    assert not scores.missing_answered  # city-level items (housing fund, medical insurance) the list lacks


def test_plain_forms_and_unmarked_kinds_on_the_jiangbei_list(jiangbei):
    """Session 14's rules on wordings of neither set: an action no sibling does asks for the plain form, a variant
    named by a marker the question does not say ranks below the unmarked kind, a new car's temporary plate is for
    a car not yet registered."""
    best = {q: jiangbei.search(q).best.name for q in ("汽车年审在哪里办", "摩托车年检要带啥", "驾驶证审验在哪审",
                                                      "新车临时号牌在哪办", "身份证刷不出来了")}
    assert best["汽车年审在哪里办"] == best["摩托车年检要带啥"] == "核发机动车检验合格标志"
    assert best["驾驶证审验在哪审"] == "机动车驾驶证审验"
    assert best["新车临时号牌在哪办"] == "未注册登记的机动车核发临时行驶车号牌"
    assert best["身份证刷不出来了"] == "居民身份证换领"
