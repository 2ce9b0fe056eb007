"""Search returns life-event bundles beside items, on the demonstration catalog."""
from __future__ import annotations

import pytest

from knowledge.check import check_catalog
from knowledge.db import make_engine, session_factory, upgrade_schema
from knowledge.importer import import_catalog
from knowledge.search import SearchEngine
from knowledge.service import DEMO_CATALOG, CatalogService
from knowledge.store import CatalogStore, SearchEntry
from knowledge.source_yaml import read_yaml_source

LIFE_EVENTS = ["企业开办", "企业注销", "出生", "入学", "录用", "退休", "身后", "开饭店", "开药店", "二手房", "新车上牌", "结婚",
               "异地就医", "公租房"]


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> CatalogService:
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'catalog.db'}")
    upgrade_schema(engine)
    store = CatalogStore(session_factory(engine))
    import_catalog([DEMO_CATALOG], store)
    yield CatalogService(store)
    engine.dispose()


def test_demonstration_bundles_cover_the_life_events_and_point_at_real_items(service):
    bundles = service.store.all_bundles()
    assert len(bundles) >= 15
    for event in LIFE_EVENTS:
        assert any(event in b.name for b in bundles), event
    assert all(b.demonstration and len(b.steps) >= 2 and b.window and b.promised_limit for b in bundles)
    report = check_catalog(service.store.all_items(), bundles=bundles)
    assert "bundle_missing_item" not in report.by_kind() and "bundle_incomplete" not in report.by_kind()


@pytest.mark.parametrize("question, bundle", [
    ("开饭店要办哪些手续", "开饭店一件事"),
    ("生孩子要办什么", "出生一件事"),
    ("公司注销", "企业注销一件事"),
    ("渝北区开餐馆要办啥", "开饭店一件事"),
    ("家里老人去世了要办哪些手续", "身后一件事"),
    ("買二手房要辦哪些手續", "二手房买卖一件事"),  # traditional characters
    ("结婚要办哪些手续", "结婚一件事"),
])
def test_life_event_questions_resolve_to_bundles(service, question, bundle):
    result = service.search(question)
    assert result.bundle is not None and result.bundle.name == bundle
    assert result.bundles[0].code == result.bundle.code


def test_district_is_kept_beside_the_bundle(service):
    result = service.search("渝北区开饭店要办哪些手续")
    assert result.district.name == "渝北区" and result.bundle.name == "开饭店一件事"


@pytest.mark.parametrize("question, item", [
    ("开公司要什么材料", "有限责任公司设立登记"),
    ("新车上牌", "机动车注册登记"),
    ("结婚登记要带什么", "内地居民结婚登记"),
    ("公租房怎么申请", "公共租赁住房申请"),
    ("失业了怎么办", "失业登记"),
])
def test_questions_about_one_service_stay_items(service, question, item):
    result = service.search(question)
    assert result.bundle is None
    assert result.best.name == item


def test_bundles_never_crowd_items_out_of_the_candidates(service):
    result = service.search("公司注销")
    assert result.bundle.name == "企业注销一件事"
    assert result.best.name == "公司注销登记"  # the item is still there, beside the bundle
    assert result.to_json()["bundle"] == result.bundle.code


def test_engine_without_bundles_and_with_a_contained_alias():
    entries, bundles, problems = read_yaml_source(DEMO_CATALOG / "bundles.yml")
    assert not problems and not entries
    engine = SearchEngine([SearchEntry("500A4100190000", "食品经营许可", ("餐饮许可证",), (), None, None, None)],
                          bundles=[b for b, _ in bundles])
    contained = engine.search("我想在解放碑开火锅店，要办哪些手续")
    assert contained.bundle.name == "开饭店一件事" and 0.7 <= contained.bundle.score < 1.0
    assert SearchEngine([]).search("开饭店要办哪些手续").bundles == ()
