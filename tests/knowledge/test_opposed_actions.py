"""Search round 3 of issue #15: a question's explicit action or kind of change that contradicts a
name's action (注销 against 设立, a wrong entry against 补领), and an entry on a document (驾照上的
地址) that is not the object. Checked on small catalogs and on our own question set
(tests/knowledge/data/actions_questions.yml, written before the change) on both names-only catalogs."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from knowledge.evaluation import entries_of, guangan_entries
from knowledge.importer import read_catalog
from knowledge.phrasing import attribute_spans, does_opposed, opposed_actions
from knowledge.search import SearchEngine
from knowledge.service import DEMO_CATALOG
from knowledge.store import SearchEntry

QUESTIONS = yaml.safe_load((Path(__file__).parent / "data" / "actions_questions.yml").read_text(encoding="utf-8"))["questions"]


def engine_of(*names: str) -> SearchEngine:
    return SearchEngine([SearchEntry(f"X{i}", n, (), (), None, None, None) for i, n in enumerate(names)])


def test_closing_rules_out_founding_and_a_change_rules_out_a_replacement():
    assert "设立" in opposed_actions("个体户不开了要注销", [])[1]
    assert "补领" in opposed_actions("户口本上名字写错了", [])[1]
    assert "变更" in opposed_actions("户口本丢了要补", ["补领"])[1]
    wanted, ruled_out = opposed_actions("公司注销后重新设立", [])  # both said: neither rules out the other
    assert "注销" not in ruled_out and "设立" not in ruled_out
    assert does_opposed("补领换领", ("变更", "更正"), ("补领",))
    assert not does_opposed("变更更正", ("变更", "更正"), ("补领",))


@pytest.mark.parametrize("text, entry", [("驾照上的身份证号码变了", "身份证号码"), ("户口本上面的名字写错了", "名字"),
                                         ("行驶证上地址要改", "地址")])
def test_an_entry_on_a_document_is_marked(text, entry):
    assert [text[s:e] for s, e in attribute_spans(text)] == [entry]


def test_no_document_no_entry():
    assert attribute_spans("晚上去办身份证") == []


def test_closing_a_business_is_not_founding_it():
    engine = engine_of("个体工商户设立登记", "个体工商户注销登记", "个体工商户变更登记")
    assert engine.search("铺子关门了个体户执照咋个注销").best.code == "X1"


def test_a_wrong_entry_is_a_correction_not_a_replacement():
    engine = engine_of("居民户口簿补领、换领", "户口登记项目变更更正", "出生登记")
    assert engine.search("户口本上的出生年月写错了").best.code == "X1"
    assert engine.search("户口本丢了想补一个").best.code == "X0"


def test_a_wrong_entry_is_not_the_first_registration():
    engine = engine_of("房屋等建筑物、构筑物所有权登记", "不动产更正登记", "不动产登记资料查询")
    assert engine.search("房产证上的面积写错了").best.code == "X1"


@pytest.fixture
def engines(shared_data) -> dict[str, SearchEngine]:
    out = {"demo": SearchEngine(entries_of(read_catalog([DEMO_CATALOG])[0], aliases=False))}
    guangan = guangan_entries(shared_data / "reference")
    if guangan is not None:
        out["guangan"] = SearchEngine(guangan)
    return out


def test_own_questions_on_both_names_only_catalogs(engines, capsys):
    right = total = answered = answered_right = 0
    wrongly_answered = []
    for q in QUESTIONS:
        for key, engine in engines.items():
            result = engine.search(q["q"])
            if key in q:
                ok = bool(result.candidates) and bool(re.search(q[key], result.candidates[0].name))
                total += 1
                right += ok
                answered += result.decision == "answer"
                answered_right += ok and result.decision == "answer"
            elif key in str(q.get("absent", "")).split() and result.decision == "answer":
                wrongly_answered.append((key, q["q"], result.best.name))
    with capsys.disabled():
        print(f"\nactions set: top-1 {right}/{total}, ans-ok {answered_right}/{answered}, absent answered {wrongly_answered}")
    # measured before the change: top-1 18/32, ans-ok 16/20; after: 23/32, 19/21 (both catalogs present)
    assert right >= 0.68 * total and answered_right >= 0.85 * answered and not wrongly_answered
