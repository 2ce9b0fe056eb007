"""The domain lexicon: reviewed data, applied at query time, extendable by the console's queue."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from knowledge import lexicon
from knowledge.lexicon import LEXICON_FILE, LexiconError, append_entry, parse_lexicon
from knowledge.search import SearchEngine, load_lexicon
from knowledge.store import SearchEntry

# PRODUCT.md §3 and issue #15: every domain must have entries.
DOMAINS = ("机动车", "不动产", "户籍", "社会保险", "医疗保障", "住房公积金", "税务", "企业", "婚姻", "生育", "教育",
           "残疾人", "养老", "退役军人", "民政", "殡葬", "医疗卫生", "城市管理")


def test_the_lexicon_is_large_reviewed_and_covers_every_domain():
    data = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))
    entries = parse_lexicon(data)
    assert len(entries) >= 600
    assert all(e.note for e in entries)  # every entry says why it holds
    assert {e.kind for e in entries} == {"object", "action", "person"}
    for domain in DOMAINS:
        assert any(domain in e.domain for e in entries), domain
    assert len(lexicon.load()) == len({e.say for e in entries})  # no term twice


def test_old_mapping_view_is_kept_for_the_nlu_lookup_tables():
    synonyms = load_lexicon()
    assert synonyms["驾照"][0] == "机动车驾驶证" and "社会保障卡" in synonyms["医保卡"]


def test_longest_term_wins_and_fillers_do_not_hide_a_term():
    found = [m.entry.say for m in lexicon.load().find("医保卡丢了")]
    assert found == ["医保卡", "丢了"]
    engine = SearchEngine([SearchEntry("R1", "机动车驾驶证初学申领", (), (), None, None, None),
                           SearchEntry("R2", "机动车驾驶证补证", (), (), None, None, None)])
    assert engine.search("想考个驾照").best.code == "R1"  # 考个驾照 → 考驾照


@pytest.fixture
def lexicon_copy(tmp_path: Path) -> Path:
    path = tmp_path / "lexicon.yml"
    shutil.copy(LEXICON_FILE, path)
    return path


def test_the_queue_can_append_an_entry_that_is_live_at_once(lexicon_copy):
    before = len(lexicon.load(lexicon_copy))
    entry = append_entry("耍朋友证明", ["婚姻状况证明"], "重庆话“耍朋友”即恋爱", path=lexicon_copy)
    assert entry.kind == "object"
    loaded = lexicon.load(lexicon_copy)
    assert len(loaded) == before + 1 and loaded.entries["耍朋友证明"].means == ("婚姻状况证明",)
    append_entry("整脱了", ["遗失"], "重庆话“整脱了”即弄丢", kind="action", domain="通用动作", path=lexicon_copy)
    assert lexicon.load(lexicon_copy).entries["整脱了"].domain == "通用动作"


@pytest.mark.parametrize("say, means, note, message", [
    ("驾照", ["驾驶证"], "重复", "已存在"),
    ("", ["驾驶证"], "空词", "say"),
    ("好词", [], "没有官方词", "means"),
    ("好词", ["官方词"], " ", "note"),
    ("a: b", ["官方词"], "YAML 注入", "say"),
])
def test_bad_entries_are_refused_and_the_file_is_unchanged(lexicon_copy, say, means, note, message):
    text = lexicon_copy.read_text(encoding="utf-8")
    with pytest.raises(LexiconError) as error:
        append_entry(say, means, note, path=lexicon_copy)
    assert message in str(error.value)
    assert lexicon_copy.read_text(encoding="utf-8") == text


def test_a_malformed_lexicon_names_the_entry():
    with pytest.raises(LexiconError) as error:
        parse_lexicon({"groups": [{"domain": "测试", "kind": "object", "entries": [{"say": "甲", "means": ["乙"]}]}]})
    assert "测试 第 1 条" in str(error.value) and "note" in str(error.value)


def test_terms_that_only_overlap_both_count_but_a_term_inside_a_longer_one_does_not():
    found = [m.entry.say for m in lexicon.load().find("小孩第一次办身份证")]
    assert "第一次办" in found and "办身份证" in found
    found = [m.entry.say for m in lexicon.load().find("租房子住")]
    assert {"租房", "房子"} <= set(found)
    assert [m.entry.say for m in lexicon.load().find("医保卡丢了")] == ["医保卡", "丢了"]  # 保卡 etc. never inside
