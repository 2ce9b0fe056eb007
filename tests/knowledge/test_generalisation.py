"""Search on catalogs nobody here wrote: our own colloquial questions (tests/knowledge/data),
against (a) the demonstration catalog with every alias removed and (b) the real Guang'an list,
names only. These questions were written for this project, never taken from the dev set."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from knowledge.evaluation import entries_of, guangan_entries, matches, score
from knowledge.importer import read_catalog
from knowledge.search import SearchEngine
from knowledge.service import DEMO_CATALOG
from knowledge.store import SearchEntry

DATA = Path(__file__).parent / "data"


def load_set(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["questions"]


QUESTIONS = load_set("own_questions.yml")
# Written before the session-2 changes (their misses led to lexicon families): a check, no longer blind.
FRESH = load_set("fresh_questions.yml")
# Written after those changes and never used to tune anything: the nearest we have to held-out questions.
BLIND = load_set("blind_questions.yml")
# Written after the session-3 person-word and confidence changes, never tuned on: persons beside the thing asked.
BLIND2 = load_set("blind2_questions.yml")
# Written in session 4 before the coverage, phrasing and family changes, never tuned on: citizens' words
# (dialect, typos, numbers, agents' summaries), 11 of them about items the catalogs do not have.
BLIND3 = load_set("blind3_questions.yml")
# Written in session 5 before that session's families and rules, never tuned on: mostly the real Guang'an
# list, 9 questions about items a catalog does not have.
BLIND4 = load_set("blind4_questions.yml")
# Written in session 7 before that session's changes, in the domains earlier sets leave out (tax, water, forestry,
# disasters, justice, transport operators …): blind5 was the session's development set, blind6 stayed sealed.
BLIND5 = load_set("blind5_questions.yml")
BLIND6 = load_set("blind6_questions.yml")
BLIND6_TOP1, BLIND6_TOP3 = 0.65, 0.80  # sealed set, Guang'an: 64.9 / 84.2 before session 7, 71.9 / 86.0 after
# Written in session 9 before that session's changes (citizen voice over both catalogs and every domain, 25 about
# items neither catalog has): blind8 stayed sealed (measured at the start and the end only), blind9 was the
# session's development set.
BLIND8 = load_set("blind8_questions.yml")
BLIND9 = load_set("blind9_questions.yml")
# Written in session 10 before that session's changes (typos inside objects, children's words, casual work,
# deregistration verbs, elsewhere; 15 about items neither catalog has): blind10 stayed sealed (measured at the
# start and the end only), blind11 was the session's development set.
BLIND10 = load_set("blind10_questions.yml")
BLIND11 = load_set("blind11_questions.yml")
# Written in session 11 before that session's changes (非X inside names, head objects of long names, person modifiers,
# object-first dialect order, typos beside a written object, everyday questions; 6 about items neither catalog has):
# blind12 stayed sealed (measured at the start and the end), blind14 was the session's development set.
BLIND12 = load_set("blind12_questions.yml")
BLIND14 = load_set("blind14_questions.yml")
# Written in session 12 before that session's changes, from the official names' objects (citizens' words for them,
# the session-11 leftovers' families): blind16 stayed sealed (measured at the start and the end), blind17 was the
# session's development set.
BLIND16 = load_set("blind16_questions.yml")
BLIND17 = load_set("blind17_questions.yml")
# Written in session 13 before that session's changes (the lexicon's words that led nowhere, a newborn's card, a new
# car's plates, others; 12 about items neither catalog has): blind18 stayed sealed (measured at the start and the
# end), blind19 was the session's development set.
BLIND18 = load_set("blind18_questions.yml")
BLIND19 = load_set("blind19_questions.yml")
# Written in session 14 (helper search9) before that session's changes, for breadth over sixteen domains (social and
# medical insurance, housing fund, identity, vehicles, property, family, education, business, veterans, disability,
# elderly care, health, culture, farming, transport; 8 and 6 about items neither catalog has): blind20 stayed sealed
# (measured at the start and the end), blind21 was the session's development set.
BLIND20 = load_set("blind20_questions.yml")
BLIND21 = load_set("blind21_questions.yml")


def asked(key: str, questions: list[dict] = QUESTIONS) -> list[dict]:
    return [{"id": f"own{i}", "question": q["q"], "item_patterns": [q[key]]} for i, q in enumerate(questions) if key in q]


@pytest.fixture(scope="module")
def names_only_demo() -> SearchEngine:
    return SearchEngine(entries_of(read_catalog([DEMO_CATALOG])[0], aliases=False))


def test_questions_cover_many_families_and_their_items_exist():
    assert len(QUESTIONS) >= 100 and len(FRESH) >= 120 and len(BLIND) >= 50
    names = [e.name for e in entries_of(read_catalog([DEMO_CATALOG])[0])]
    for questions in (QUESTIONS, FRESH, BLIND, BLIND2, BLIND3, BLIND4, BLIND5, BLIND6, BLIND8, BLIND9, BLIND10, BLIND11,
                      BLIND12, BLIND14, BLIND16, BLIND17, BLIND18, BLIND19, BLIND20, BLIND21):
        for q in asked("demo", questions):
            assert any(matches(n, q["item_patterns"]) for n in names), q


def test_guangan_patterns_name_items_of_the_list(shared_data):
    entries = guangan_entries(shared_data / "reference")
    if entries is None:
        pytest.skip("the Guang'an reference list is not present")
    for questions in (QUESTIONS, FRESH, BLIND, BLIND2, BLIND3, BLIND4, BLIND5, BLIND6, BLIND8, BLIND9, BLIND10, BLIND11,
                      BLIND12, BLIND14, BLIND16, BLIND17, BLIND18, BLIND19, BLIND20, BLIND21):
        for q in asked("guangan", questions):
            assert any(matches(e.name, q["item_patterns"]) for e in entries), q


@pytest.mark.parametrize("label, questions, top1, top3", [
    ("fresh questions", FRESH, 0.85, 0.92), ("blind questions", BLIND, 0.50, 0.85),
    ("person questions", BLIND2, 0.75, 0.85), ("blind3 questions", BLIND3, 0.78, 0.85),
    ("blind4 questions", BLIND4, 0.75, 0.95), ("blind5 questions", BLIND5, 0.85, 0.85),
    ("blind6 questions", BLIND6, 0.85, 0.85),
    # measured at the end of session 9: blind8 77.3 / 86.4 (sealed, unchanged from its start), blind9 90.0 / 100
    ("blind8 questions", BLIND8, 0.72, 0.80), ("blind9 questions", BLIND9, 0.85, 0.95),
    # session 10: blind10 67.3 / 89.1 at its start (sealed), 76.4 / 98.2 at its end; blind11 71.1 / 77.8 → 86.7 / 91.1
    ("blind10 questions", BLIND10, 0.72, 0.93), ("blind11 questions", BLIND11, 0.82, 0.86),
    # session 11: blind12 79.1 / 88.4 at its start (sealed), 83.7 / 93.0 at its end; blind14 68.6 / 82.9 → 82.9 / 94.3
    ("blind12 questions", BLIND12, 0.80, 0.90), ("blind14 questions", BLIND14, 0.80, 0.91),
    # session 12: blind16 88.2 / 97.1 at its start (sealed), 94.1 / 97.1 at its end; blind17 81.5 / 96.3 → 92.6 / 100
    ("blind16 questions", BLIND16, 0.91, 0.95), ("blind17 questions", BLIND17, 0.90, 0.97),
    # session 13: blind18 87.1 / 90.3 at its start (sealed) and its end; blind19 63.6 / 95.5 → 90.9 / 95.5
    ("blind18 questions", BLIND18, 0.84, 0.87), ("blind19 questions", BLIND19, 0.86, 0.93),
    # session 14: blind20 84.3 / 92.2 at its start (sealed) and its end; blind21 80.0 / 91.1 → 93.3 / 97.8
    ("blind20 questions", BLIND20, 0.80, 0.88), ("blind21 questions", BLIND21, 0.88, 0.93)])
def test_more_own_questions_on_the_demo_catalog_without_aliases(names_only_demo, capsys, label, questions, top1, top3):
    scores = score(names_only_demo, asked("demo", questions), f"{label}, demo without aliases")
    with capsys.disabled():
        print(f"\n[{scores.row()}]")
    assert scores.top1 / scores.total >= top1 and scores.top3 / scores.total >= top3


@pytest.mark.parametrize("label, questions, top1, top3", [
    ("fresh questions", FRESH, 0.72, 0.86), ("blind questions", BLIND, 0.60, 0.76),
    ("person questions", BLIND2, 0.75, 0.85), ("blind3 questions", BLIND3, 0.70, 0.85),
    ("blind4 questions", BLIND4, 0.70, 0.80), ("blind5 questions", BLIND5, 0.82, 0.86),
    ("blind6 questions", BLIND6, BLIND6_TOP1, BLIND6_TOP3),
    # measured at the end of session 9: blind8 72.9 / 81.4 (sealed, unchanged from its start), blind9 80.0 / 92.5
    ("blind8 questions", BLIND8, 0.68, 0.76), ("blind9 questions", BLIND9, 0.75, 0.87),
    # session 10: blind10 61.4 / 81.8 at its start (sealed), 70.5 / 84.1 at its end; blind11 61.1 / 77.8 → 83.3 / 88.9
    ("blind10 questions", BLIND10, 0.66, 0.80), ("blind11 questions", BLIND11, 0.78, 0.85),
    # session 11: blind12 80.6 / 86.1 at its start (sealed), 83.3 / 88.9 at its end; blind14 81.2 / 87.5 → 96.9 / 96.9
    ("blind12 questions", BLIND12, 0.80, 0.86), ("blind14 questions", BLIND14, 0.93, 0.93),
    # session 12: blind16 68.3 / 85.4 at its start (sealed), 78.0 / 92.7 at its end; blind17 89.2 / 97.3 → 89.2 / 100
    ("blind16 questions", BLIND16, 0.75, 0.90), ("blind17 questions", BLIND17, 0.86, 0.97),
    # session 13: blind18 85.7 / 92.9 at its start (sealed) and its end; blind19 60.0 / 80.0 → 100 / 100 (5 questions)
    ("blind18 questions", BLIND18, 0.78, 0.85), ("blind19 questions", BLIND19, 0.80, 0.80),
    # session 14: blind20 75.6 / 85.4 at its start (sealed) and its end; blind21 79.5 / 88.6 → 86.4 / 90.9
    ("blind20 questions", BLIND20, 0.72, 0.82), ("blind21 questions", BLIND21, 0.82, 0.86)])
def test_more_own_questions_on_the_real_guangan_list(shared_data, capsys, label, questions, top1, top3):
    entries = guangan_entries(shared_data / "reference")
    if entries is None:
        pytest.skip("the Guang'an reference list is not present")
    scores = score(SearchEngine(entries), asked("guangan", questions), f"{label}, Guang'an names only")
    with capsys.disabled():
        print(f"\n[{scores.row()}]")
    assert scores.top1 / scores.total >= top1 and scores.top3 / scores.total >= top3


def absent(key: str, questions: list[dict] = BLIND3) -> list[str]:
    """Questions about items the catalog `key` does not have (field `absent`: catalog names)."""
    return [q["q"] for q in questions if key in str(q.get("absent", "")).split()]


def test_blind_questions_without_an_item_get_no_confident_answer(names_only_demo, shared_data, capsys):
    engines = {"demo": names_only_demo}
    entries = guangan_entries(shared_data / "reference")
    if entries is not None:
        engines["guangan"] = SearchEngine(entries)
    wrong = [(key, q, engine.search(q).best.name) for key, engine in engines.items() for q in absent(key)
             if engine.search(q).decision == "answer"]
    total = sum(len(absent(key)) for key in engines)
    with capsys.disabled():
        print(f"\n[blind3 questions without an item: {len(wrong)}/{total} answered anyway: {wrong}]")
    assert total >= 10 and len(wrong) <= 0.15 * total


@pytest.mark.parametrize("label, questions, share", [
    ("blind4", BLIND4, 0.35), ("blind5", BLIND5, 0.35), ("blind6", BLIND6, 0.35),
    # session 9: blind8 13/47 at its start and end, blind9 9/22 (session 8 showed no rule that holds; see the docs)
    ("blind8", BLIND8, 0.32), ("blind9", BLIND9, 0.45),
    # session 10: blind10 10/30 at its start, 13/30 at its end (casual-work words answer questions about the work
    # itself; see the docs); blind11 4/13 → 6/13
    ("blind10", BLIND10, 0.45), ("blind11", BLIND11, 0.50),
    # session 11: blind12 2/12 at its start, 1/12 at its end (blind14 has 7 such questions, under the 8 this test needs)
    ("blind12", BLIND12, 0.20),
    # session 13: blind18 1/12 at its start and its end, blind19 1/8 → 1/8
    ("blind18", BLIND18, 0.15), ("blind19", BLIND19, 0.20),
    # session 14: blind20 2/16 at its start and its end, blind21 1/12 → 1/12
    ("blind20", BLIND20, 0.20), ("blind21", BLIND21, 0.20)])
def test_later_blind_questions_without_an_item_rarely_get_a_confident_answer(names_only_demo, shared_data, capsys,
                                                                            label, questions, share):
    engines = {"demo": names_only_demo}
    entries = guangan_entries(shared_data / "reference")
    if entries is not None:
        engines["guangan"] = SearchEngine(entries)
    wrong = [(key, q, engine.search(q).best.name) for key, engine in engines.items() for q in absent(key, questions)
             if engine.search(q).decision == "answer"]
    total = sum(len(absent(key, questions)) for key in engines)
    with capsys.disabled():
        print(f"\n[{label} questions without an item: {len(wrong)}/{total} answered anyway]")
    # measured: blind4 5/15 before and after session 5, blind5 4/13 and blind6 3/13 before session 7: floors, not goals
    assert total >= 8 and len(wrong) <= share * total


def test_blind3_answers_are_mostly_right(names_only_demo, shared_data):
    """When the rule says answer on questions nobody tuned on, the best is right at least 80% of the time."""
    scores = [score(names_only_demo, asked("demo", BLIND3), "blind3, demo without aliases")]
    entries = guangan_entries(shared_data / "reference")
    if entries is not None:
        scores.append(score(SearchEngine(entries), asked("guangan", BLIND3), "blind3, Guang'an"))
    answered = sum(s.answered for s in scores)
    assert answered >= 0.5 * sum(s.total for s in scores)
    assert sum(s.answered_right for s in scores) / answered >= 0.80


def test_demo_catalog_without_aliases(names_only_demo, capsys):
    scores = score(names_only_demo, asked("demo"), "own questions, demo without aliases")
    with capsys.disabled():
        print(f"\n[{scores.row()}]")
    assert scores.top1 / scores.total >= 0.85
    assert scores.top3 / scores.total >= 0.95
    assert scores.answered_right / scores.answered >= 0.93  # the answer rule's precision
    assert scores.chose / scores.total <= 0.30  # a menu only for genuinely tied candidates


def test_real_guangan_list_names_only(shared_data, capsys):
    entries = guangan_entries(shared_data / "reference")
    if entries is None:
        pytest.skip("the Guang'an reference list is not present")
    scores = score(SearchEngine(entries), asked("guangan"), "own questions, Guang'an names only")
    with capsys.disabled():
        print(f"\n[{scores.row()}]")
    assert scores.top1 / scores.total >= 0.80
    assert scores.top3 / scores.total >= 0.90


def entry(code: str, name: str) -> SearchEntry:
    return SearchEntry(code, name, (), (), None, None, None)


def test_the_object_outweighs_generic_action_words():
    # 变更 + 登记 + 信息 must not outvote the object 机动车 (issue #15, pattern 3)
    engine = SearchEngine([entry("A1", "养犬变更登记（养犬人信息变更）"), entry("A2", "机动车所有人联系方式变更"),
                           entry("A3", "机动车注册登记"), entry("A4", "个体工商户变更登记")])
    result = engine.search("车主的手机号换了，登记信息怎么变更")
    assert result.best.code == "A2" and result.decision == "answer"


def test_the_action_picks_within_the_object_family():
    engine = SearchEngine([entry("B1", "社会保障卡申领"), entry("B2", "社会保障卡补领、换领、换发"),
                           entry("B3", "社会保障卡挂失"), entry("B4", "社会保障卡注销")])
    assert engine.search("医保卡掉了想补一张").best.code == "B2"
    assert engine.search("社保卡不要了想注销").best.code == "B4"
    assert engine.search("第一次办社保卡").best.code == "B1"


def test_catalog_frequent_words_are_damped():
    engine = SearchEngine([entry("C1", "住房公积金缴存证明打印"), entry("C2", "无犯罪记录证明"),
                           entry("C3", "亲属关系证明"), entry("C4", "户籍证明")])
    assert engine.search("开一个公积金的证明").best.code == "C1"


def test_the_name_that_accounts_for_more_of_the_question_wins():
    # 车子 and 抵押 are both named: the vehicle mortgage, not the property one (concept stage)
    engine = SearchEngine([entry("D1", "抵押权登记"), entry("D2", "机动车抵押登记"), entry("D3", "机动车注册登记"),
                           entry("D4", "机动车转让登记")])
    assert engine.search("拿车子去银行抵押贷款").best.code == "D2"
    assert engine.search("房子拿去抵押").best.code == "D1"


def test_a_consultation_item_is_not_the_plain_form_of_its_family():
    engine = SearchEngine([entry("E1", "义务教育阶段学生学籍异动办理"), entry("E2", "义务教育阶段学生学籍异动政策咨询"),
                           entry("E3", "学前教育入学政策咨询")])
    assert engine.search("孩子转学手续怎么办").best.code == "E1"


def test_a_default_action_made_of_plain_words_is_the_first_issue():
    engine = SearchEngine([entry("F1", "食品小作坊备案续期"), entry("F2", "食品小作坊备案变更"),
                           entry("F3", "食品小作坊备案发放"), entry("F4", "食品小作坊备案注销")])
    assert engine.search("想开个卤菜作坊").best.code == "F3"
    engine = SearchEngine([entry("G1", "法律援助补贴发放"), entry("G2", "对公民法律援助申请的审批")])
    assert engine.search("请不起律师想申请法律援助").best.code == "G2"


def test_moving_is_a_change_not_a_new_registration():
    engine = SearchEngine([entry("H1", "公司设立登记"), entry("H2", "公司变更登记"), entry("H3", "公司注销登记"),
                           entry("H4", "个体工商户设立登记"), entry("H5", "个体工商户变更登记")])
    assert engine.search("公司从成都迁到重庆要办什么").best.code == "H2"
    assert engine.search("我们公司要搬到渝北去").best.code == "H2"
    assert engine.search("个体户的店搬到别的街了执照怎么弄").best.code == "H5"


def test_name_parts_of_official_phrasings():
    from knowledge.name_parts import is_default_action, split_name

    parts = split_name("对公民法律援助申请的审批")
    assert parts.object == "公民法律援助" and parts.actions == ("申请", "审批") and is_default_action(parts)
    parts = split_name("食品小作坊备案发放")
    assert parts.object == "食品小作坊" and is_default_action(parts)
    assert not is_default_action(split_name("食品小作坊备案续期"))
    assert not is_default_action(split_name("义务教育阶段学生学籍异动政策咨询"))
    assert split_name("机动车驾驶证初学申领").object == "机动车驾驶证"


def test_a_person_word_does_not_outvote_the_thing_asked():
    # 孩子 → 子女 is who the item is for; 转学 is what is asked (lexicon kind `person`)
    engine = SearchEngine([entry("P1", "中国公民收养子女登记"), entry("P2", "义务教育阶段学生学籍异动办理"),
                           entry("P3", "进城务工人员随迁子女接受义务教育入学申请办理"), entry("P4", "结婚登记")])
    assert engine.search("孩子转学").best.code == "P2"
    assert engine.search("想收养一个孩子").best.code == "P1"
    engine = SearchEngine([entry("Q1", "老年人优待证申领"), entry("Q2", "80周岁以上老年人高龄津贴发放"),
                           entry("Q3", "职工退休申请"), entry("Q4", "失业登记")])
    assert engine.search("员工要退休了").best.code == "Q3"
    assert engine.search("给老人办个优待证").best.code == "Q1"


def test_tied_candidates_share_their_confidence():
    engine = SearchEngine([entry(f"T{i}", f"{name}变更") for i, name in enumerate(("甲类许可证", "乙类许可证", "丙类许可证"))]
                          + [entry("T9", "丁类备案")])
    result = engine.search("许可证变更")
    tied = [c for c in result.candidates if abs(c.score - result.best.score) < 0.025]
    assert len(tied) == 3 and result.decision == "choose"
    assert all(c.confidence <= 0.34 for c in tied)  # three indistinguishable items: none is 82 % likely


def test_a_match_made_of_generic_words_only_is_not_found():
    engine = SearchEngine([entry("N1", "残疾人证新办"), entry("N2", "失业保险金申领"), entry("N3", "居住证申领"),
                           entry("N4", "社会保障卡申领"), entry("N5", "企业职工基本养老保险正常退休申请")])
    result = engine.search("申请专利")
    assert result.decision == "not_found" and all(c.confidence < 0.2 for c in result.candidates)
    assert engine.search("申请居住证").decision == "answer"
    assert engine.search("申请居住证").best.code == "N3"


def test_a_person_word_does_not_outvote_the_thing_asked_on_the_real_list(shared_data):
    entries = guangan_entries(shared_data / "reference")
    if entries is None:
        pytest.skip("the Guang'an reference list is not present")
    engine = SearchEngine(entries)
    assert "学籍异动办理" in engine.search("孩子转学").best.name  # not 中国公民收养子女登记
    assert "居民身份证" in engine.search("孩子办身份证").best.name  # not 被拐儿童身份证明
