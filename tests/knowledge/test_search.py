from __future__ import annotations

import pytest

from knowledge.importer import import_catalog
from knowledge.records import Item
from knowledge.search import ANSWER, CHOOSE, NOT_FOUND, SearchEngine
from knowledge.service import CatalogService
from knowledge.store import SearchEntry


def entry(code: str, name: str, *aliases: str, topics: tuple[str, ...] = ()) -> SearchEntry:
    return SearchEntry(code, name, tuple(aliases), topics, "重庆市测试局", None, "行政许可")


ENTRIES = [
    entry("500A1200010000", "机动车驾驶证补证", "补驾照", "驾驶证丢了"),
    entry("500A1200020000", "机动车驾驶证有效期满换证", "驾照到期换证", "换驾照"),
    entry("500A1200030000", "核发机动车检验合格标志", "年检", "车辆年审"),
    entry("500A4100010000", "有限责任公司设立登记", "注册公司", "开公司"),
    entry("500A4100020000", "个体工商户设立登记", "开个体户", "办营业执照"),
    entry("500F1100010000", "出生登记", "新生儿上户口", "给娃上户口"),
    entry("500F1100020000", "户口迁移", "迁户口", "户口迁入"),
]


@pytest.fixture(scope="module")
def engine() -> SearchEngine:
    return SearchEngine(ENTRIES)


def names(result) -> list[str]:
    return [c.name for c in result.candidates]


def test_exact_code_answers(engine):
    result = engine.search("500A1200030000 要什么材料")
    assert result.decision == ANSWER and names(result)[0] == "核发机动车检验合格标志"


def test_exact_alias_answers_with_full_score(engine):
    result = engine.search("开公司")
    assert result.decision == ANSWER and result.best.score == 1.0 and result.best.name == "有限责任公司设立登记"


def test_colloquial_question_resolves_through_the_phrase_matcher(engine):
    result = engine.search("我驾驶证丢了怎么办")
    assert result.decision == ANSWER and result.best.name == "机动车驾驶证补证"


def test_district_is_recognised_and_returned_separately(engine):
    result = engine.search("渝北区开公司要什么材料")
    assert result.district.name == "渝北区" and result.best.name == "有限责任公司设立登记"
    assert engine.search("我在九龙坡，年检去哪").district.name == "九龙坡区"
    assert engine.search("两江新区怎么注册公司").district.name == "两江新区"


def test_traditional_and_full_width_text(engine):
    assert engine.search("駕駛證丟了怎麼辦").best.name == "机动车驾驶证补证"
    assert engine.search("５００Ａ１２０００３００００").best.name == "核发机动车检验合格标志"


def test_homophone_typo_still_finds_the_item(engine):
    result = engine.search("架势证丢了")  # 驾驶证 typed with homophones
    assert result.best.name == "机动车驾驶证补证"


def test_domain_lexicon_maps_spoken_terms(engine):
    # 驾照 is not an alias of 补证; the lexicon maps it to 驾驶证
    assert engine.search("驾照补办").best.name == "机动车驾驶证补证"


def test_unrelated_question_is_not_found(engine):
    assert engine.search("今天天气怎么样").decision == NOT_FOUND
    assert engine.search("").decision == NOT_FOUND


def test_ambiguous_question_asks_to_choose(engine):
    result = engine.search("驾驶证")
    assert result.decision == CHOOSE
    assert set(names(result)[:2]) == {"机动车驾驶证补证", "机动车驾驶证有效期满换证"}


def test_order_is_deterministic(engine):
    first = [engine.search("户口").to_json() for _ in range(3)]
    assert first[0] == first[1] == first[2]
    rebuilt = SearchEngine(list(reversed(ENTRIES)))
    assert rebuilt.search("户口").to_json() == first[0]


def test_json_shape(engine):
    data = engine.search("渝北 年检").to_json()
    assert set(data) == {"query", "district", "decision", "candidates", "bundles", "bundle"}
    assert set(data["candidates"][0]) == {"code", "name", "score", "confidence"}
    assert 0.0 <= data["candidates"][0]["confidence"] <= 1.0


def test_alias_added_to_the_catalog_is_live_after_reload(store, fixtures):
    import_catalog([fixtures / "mini.yml"], store)
    service = CatalogService(store, reload_interval=0)
    assert service.search("小测测").decision == NOT_FOUND
    store.add_alias("500F9900020000", "小测测")
    result = service.search("小测测")
    assert result.decision == ANSWER and result.best.code == "500F9900020000"


def test_service_returns_full_items(store, fixtures):
    import_catalog([fixtures / "mini.yml"], store)
    item = CatalogService(store).item("500A9900010000")
    assert isinstance(item, Item) and item.materials[0].name == "居民身份证"
