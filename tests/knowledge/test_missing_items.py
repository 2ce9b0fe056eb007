"""Questions about items the catalog does not have (issue #15, session 11): no confident wrong answer.

A question may ask about something no service item is about (a bill, a ticket, a price, a neighbour,
a wedding banquet: the lexicon's `OUTSIDE_DOMAINS`) while naming an item's object as its setting
("结婚摆酒席一桌要好多钱" names 结婚): the item explaining only that setting is not the answer. A
question naming such a thing in passing ("身份证掉了买不了高铁票，补一张要好久") still is. The sets
blind13 (sealed: measured at the start and the end of the session only) and blind15 (the session's
development set) were written before the change, in citizens' words, half about missing items.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.confidence import asks_elsewhere, decide
from knowledge.coverage import Coverage, is_outside
from knowledge.evaluation import entries_of, score
from knowledge.importer import read_catalog
from knowledge.lexicon import load
from knowledge.search import Candidate, SearchEngine
from knowledge.service import DEMO_CATALOG
from knowledge.store import SearchEntry

DATA = Path(__file__).parent / "data"


def load_set(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["questions"]


BLIND13 = load_set("blind13_questions.yml")
BLIND15 = load_set("blind15_questions.yml")


def entry(code: str, name: str) -> SearchEntry:
    return SearchEntry(code, name, (), (), None, None, None)


@pytest.fixture(scope="module")
def small() -> SearchEngine:
    names = ("内地居民结婚登记", "内地居民离婚登记", "居民身份证补领", "居民身份证首次申领", "养犬登记",
             "劳动人事争议仲裁申请", "医疗费用手工（零星）报销", "话费补贴申领", "公共租赁住房申请")
    return SearchEngine([entry(f"M{i}", name) for i, name in enumerate(names)])


def test_the_lexicon_knows_things_no_item_is_about():
    lexicon = load()
    outside = [e for e in lexicon.entries.values() if is_outside(e)]
    assert len(outside) >= 50 and all(e.kind == "object" and e.note for e in outside)
    assert not any(is_outside(e) for e in lexicon.entries.values() if e.say in ("驾照", "公积金", "结婚", "狗"))


def test_an_item_explaining_only_the_setting_is_not_the_answer(small):
    result = small.search("结婚摆酒席一桌大概要好多钱")
    assert result.best.code == "M0" and result.decision == "not_found" and result.best.confidence < 0.2
    assert small.search("对门邻居养的狗天天叫，吵得睡不着").decision == "not_found"
    assert small.search("公租房的押金能退不").decision == "not_found"


def test_a_thing_named_in_passing_does_not_refuse_the_item(small):
    result = small.search("身份证掉了买不了高铁票，补一张要好久")
    assert result.best.code == "M2" and result.decision == "answer"
    assert small.search("加班费一直没给够，想申请劳动仲裁").best.code == "M5"
    assert small.search("加班费一直没给够，想申请劳动仲裁").decision == "answer"
    assert small.search("感冒发烧在外地看病花的钱咋个报销").decision != "not_found"


def test_a_name_holding_the_thing_explains_it(small):
    result = small.search("话费补贴在哪里申领")
    assert result.best.code == "M7" and result.decision == "answer"


def test_the_rule_reads_the_coverage_it_is_given():
    best, other = Candidate("A", "甲", 0.5, None, 0.9), Candidate("B", "乙", 0.2, None, 0.1)
    covered = Coverage({"A": 0.5, "B": 0.3}, frozenset({"A"}))
    assert asks_elsewhere(best, covered) and decide((best, other), covered=covered) == "not_found"
    found_by_name = Candidate("A", "甲", 0.5, "甲", 0.9)
    assert not asks_elsewhere(found_by_name, covered) and decide((found_by_name, other), covered=covered) == "answer"
    assert decide((best, other), covered={"A": 0.5, "B": 0.3}) == "answer"  # a plain dict: nothing is outside


def asked(key: str, questions: list[dict]) -> list[dict]:
    return [{"id": f"q{i}", "question": q["q"], "item_patterns": [q[key]]} for i, q in enumerate(questions) if key in q]


def missing(key: str, questions: list[dict]) -> list[str]:
    return [q["q"] for q in questions if key in str(q.get("absent", "")).split()]


@pytest.fixture(scope="module")
def demo_engines() -> dict[str, SearchEngine]:
    items = read_catalog([DEMO_CATALOG])[0]
    return {"demo": SearchEngine(entries_of(items)), "demo without aliases": SearchEngine(entries_of(items, aliases=False))}


# Floors a little under the figures measured at the end of session 11 (docs/catalog-format.md, "Session 11"):
# (set, catalog, top-1, answer-ok, missing answered at most)
FLOORS = [
    # blind13 (sealed) at the start / end: missing answered 9/27 → 6/27, 6/27 → 4/27, 10/25 → 5/25; top-1 95.0,
    # 95.0, 81.2 % and answer-ok 93.3, 100, 81.8 % both times
    ("blind13", "demo", 0.90, 0.90, 7), ("blind13", "demo without aliases", 0.90, 0.95, 5),
    ("blind13", "Guang'an", 0.75, 0.80, 6),
    # blind15 (development) at the end: missing answered 2/26, 3/26, 5/24; top-1 84.4, 78.1, 75.0 %
    # session 14 (search10): 4 → 5 missing answered without aliases — "想在街边临时摆个卖小吃的摊摊" names only 临时, which
    # one name explains and the others do not: an apparent tie by the answer probability (docs, "Session 14")
    ("blind15", "demo", 0.80, 0.90, 3), ("blind15", "demo without aliases", 0.75, 0.85, 5),
    ("blind15", "Guang'an", 0.70, 0.90, 6),
]


@pytest.mark.parametrize("name, catalog, top1, answer_ok, most_answered", FLOORS)
def test_missing_items_are_rarely_answered_and_the_rest_still_is(demo_engines, request, capsys, name, catalog, top1,
                                                                 answer_ok, most_answered):
    # the Guang'an engine (conftest, built once per session) skips when the reference list is absent
    engine = demo_engines.get(catalog) or request.getfixturevalue("guangan")
    key = "guangan" if catalog == "Guang'an" else "demo"
    questions = {"blind13": BLIND13, "blind15": BLIND15}[name]
    scores = score(engine, asked(key, questions), f"{name}, {catalog}", missing(key, questions))
    with capsys.disabled():
        print(f"\n[{scores.row()}]")
    assert scores.missing >= 20
    assert scores.top1 / scores.total >= top1 and scores.answered_right / scores.answered >= answer_ok
    assert len(scores.missing_answered) <= most_answered
