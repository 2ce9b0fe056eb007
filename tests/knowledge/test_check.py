from __future__ import annotations

import dataclasses
from datetime import date

from knowledge.check import check_catalog, render_text
from knowledge.importer import import_catalog


def test_clean_fixture_has_only_the_partial_item_findings(store, fixtures):
    import_catalog([fixtures / "mini.yml"], store)
    report = check_catalog(store.all_items(), today=date(2026, 11, 1))
    assert {f.code for f in report.findings} == {"500F9900020000"}


def test_report_finds_each_kind_of_problem(store, fixtures):
    import_catalog([fixtures / "mini.yml"], store)
    item = store.get("500A9900010000")
    impls = list(item.implementations)
    impls[1] = dataclasses.replace(impls[1], consult_phone="12-34", online_url="zwykb.cq.gov.cn", verified=date(2025, 1, 1))
    del impls[5]
    broken = dataclasses.replace(item, implementations=tuple(impls))
    twin = dataclasses.replace(item, code="500A9900090000", implementations=())
    report = check_catalog([broken, twin], today=date(2026, 11, 1))
    kinds = report.by_kind()
    assert [f.detail for f in kinds["bad_phone"]] == ["12-34"]
    assert [f.detail for f in kinds["bad_link"]] == ["zwykb.cq.gov.cn"]
    assert kinds["stale"][0].detail == "最后核验 2025-01-01"
    assert len(kinds["duplicate_name"]) == 2
    assert kinds["missing_region"][0].detail.startswith("缺 1 个")
    text = render_text(report)
    assert "电话格式错误" in text and "事项名称重复" in text
