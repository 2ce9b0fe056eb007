"""Bundles (一件事一次办): the model, import/export with the catalog, check, and the merged materials."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from knowledge.bundles import material_key, merge_materials, newest_verified
from knowledge.check import check_catalog, render_text
from knowledge.db import MIGRATIONS, make_engine, upgrade_schema
from knowledge.errors import BundleNotFoundError, CatalogValidationError
from knowledge.export import export_xlsx, export_yaml
from knowledge.importer import import_catalog, read_sources
from knowledge.records import Bundle, BundleStep, Item, Material
from tests.knowledge.conftest import write

BUNDLE = "500YJS9901"


def test_bundle_reads_with_ordered_items_optional_steps_and_joint_window(fixtures):
    source = read_sources([fixtures / "mini.yml", fixtures / "mini_bundles.yml"])
    [bundle] = source.bundles
    assert bundle.code == BUNDLE and bundle.name == "测试一件事"
    assert bundle.item_codes() == ["500A9900010000", "500F9900020000"]
    assert bundle.steps[0].optional is False
    assert bundle.steps[1] == BundleStep("500F9900020000", optional=True, condition="需要备案的")
    assert bundle.window_for("渝北区") == "渝北区政务服务中心测试专窗"
    assert bundle.window_for(None) == "重庆市市民服务中心测试专窗"
    assert bundle.promised_limit == "3个工作日" and bundle.verified == date(2026, 10, 1)
    assert bundle.demonstration is True


def test_import_publishes_bundles_with_items_and_bumps_the_version(store, fixtures):
    before = store.version()
    report = import_catalog([fixtures / "mini.yml", fixtures / "mini_bundles.yml"], store)
    assert report.written and report.items == 2 and report.bundles == 1
    assert report.diff.bundles_added == [BUNDLE]
    assert store.version() == before + 1
    assert store.get_bundle(BUNDLE) == read_sources([fixtures / "mini.yml", fixtures / "mini_bundles.yml"]).bundles[0]
    again = import_catalog([fixtures / "mini.yml", fixtures / "mini_bundles.yml"], store)
    assert not again.written and again.diff.bundles_unchanged == [BUNDLE]
    with pytest.raises(BundleNotFoundError):
        store.get_bundle("500YJS0000")


def test_bundle_file_alone_imports_against_the_published_items(store, fixtures):
    import_catalog([fixtures / "mini.yml"], store)
    report = import_catalog([fixtures / "mini_bundles.yml"], store)
    assert report.written and [b.code for b in store.all_bundles()] == [BUNDLE]


def test_bundle_pointing_at_an_unknown_item_fails_the_whole_import(store, fixtures, tmp_path):
    text = (fixtures / "mini_bundles.yml").read_text(encoding="utf-8").replace("500F9900020000", "500F9900990000")
    bad = write(tmp_path / "bundles.yml", text)
    with pytest.raises(CatalogValidationError) as error:
        import_catalog([fixtures / "mini.yml", bad], store)
    [problem] = error.value.problems
    assert problem.file == str(bad) and problem.row == 4 and problem.field == "items[2]"
    assert "500F9900990000" in problem.message
    assert store.count() == 0 and store.all_bundles() == []  # nothing written, not even the items


def test_bundle_field_errors_are_listed_with_rows(store, fixtures, tmp_path):
    bad = write(tmp_path / "bundles.yml", """
bundles:
  - code: 500YJS9901
    name: 好的
    items: [500A9900010000]
  - code: "bad code"
    name: 坏的
    colour: red
    items:
      - {code: 500A9900010000, optional: true}
      - {code: 500A9900010000}
""")
    with pytest.raises(CatalogValidationError) as error:
        import_catalog([fixtures / "mini.yml", bad], store)
    found = {(p.row, p.field) for p in error.value.problems}
    assert (6, "code") in found and (6, "colour") in found
    assert (6, "items[1].condition") in found and (6, "items[2].code") in found
    assert all(p.row != 3 for p in error.value.problems)


def test_duplicate_bundle_codes_and_item_code_clash_are_problems(store, fixtures, tmp_path):
    copy = write(tmp_path / "copy.yml", (fixtures / "mini_bundles.yml").read_text(encoding="utf-8"))
    clash = write(tmp_path / "clash.yml", "bundles:\n  - {code: 500A9900010000, name: 撞号, items: [500F9900020000]}\n")
    with pytest.raises(CatalogValidationError) as error:
        import_catalog([fixtures / "mini.yml", fixtures / "mini_bundles.yml", copy, clash], store)
    messages = " ".join(p.message for p in error.value.problems)
    assert "编码 500YJS9901 重复" in messages and "与事项「测试许可证核发」的编码相同" in messages


def test_items_and_bundles_publish_in_one_transaction(store, fixtures):
    source = read_sources([fixtures / "mini.yml", fixtures / "mini_bundles.yml"])
    twin = source.bundles[0]
    with pytest.raises(IntegrityError):  # the second bundle row breaks the primary key after the items were inserted
        store.replace_items(source.items, bundles=[twin, twin])
    assert store.count() == 0 and store.all_bundles() == []


def test_replace_deletes_bundles_missing_from_files_that_hold_bundles(store, fixtures, tmp_path):
    import_catalog([fixtures / "mini.yml", fixtures / "mini_bundles.yml"], store)
    items_only = import_catalog([fixtures / "mini.yml"], store, replace=True)  # e.g. the official export
    assert items_only.diff.bundles_only_in_catalog == [] and [b.code for b in store.all_bundles()] == [BUNDLE]
    other = write(tmp_path / "other.yml", "bundles:\n  - {code: 500YJS9909, name: 另一件事, items: [500A9900010000, 500F9900020000]}\n")
    report = import_catalog([fixtures / "mini.yml", other], store, replace=True)
    assert report.diff.bundles_only_in_catalog == [BUNDLE] and report.written
    assert [b.code for b in store.all_bundles()] == ["500YJS9909"]


@pytest.mark.parametrize("kind", ["yaml", "xlsx"])
def test_export_round_trip_keeps_bundles(store, fixtures, tmp_path, kind):
    import_catalog([fixtures / "mini.yml", fixtures / "mini_bundles.yml"], store)
    items, bundles = store.all_items(), store.all_bundles()
    if kind == "yaml":
        files = export_yaml(items, tmp_path / "yaml", bundles)
        assert (tmp_path / "yaml" / "bundles.yml") in files
        path = tmp_path / "yaml"
    else:
        path = export_xlsx(items, tmp_path / "catalog.xlsx", bundles)
    report = import_catalog([path], store, dry_run=True)
    assert report.diff.bundles_unchanged == [BUNDLE] and report.diff.bundles_changed == {}
    assert report.diff.changed == {} and len(report.diff.unchanged) == 2
    assert read_sources([path]).bundles == bundles


def test_xlsx_bundle_sheet_errors_name_the_sheet_and_row(store, fixtures, tmp_path):
    import openpyxl

    import_catalog([fixtures / "mini.yml", fixtures / "mini_bundles.yml"], store)
    path = export_xlsx(store.all_items(), tmp_path / "catalog.xlsx", store.all_bundles())
    workbook = openpyxl.load_workbook(path)
    workbook["联办环节"]["D3"] = "也许"  # 是否可选 of the second step
    workbook.save(path)
    with pytest.raises(CatalogValidationError) as error:
        import_catalog([path], store, dry_run=True)
    [problem] = error.value.problems
    assert problem.file.endswith("#联办环节") and problem.row == 3 and problem.field == "是否可选"


def test_check_reports_bundles_pointing_at_missing_items(store, fixtures):
    import_catalog([fixtures / "mini.yml", fixtures / "mini_bundles.yml"], store)
    store.replace_items([], delete_codes=["500F9900020000"])  # the item goes, the bundle stays
    bundles = store.all_bundles()
    assert bundles[0].item_codes()[1] == "500F9900020000"
    report = check_catalog(store.all_items(), today=date(2026, 11, 1), bundles=bundles)
    [missing] = report.by_kind()["bundle_missing_item"]
    assert missing.code == BUNDLE and "500F9900020000" in missing.detail
    assert report.to_json()["bundles"] == 1
    assert "联办事项引用的事项不在目录中" in render_text(report)


def test_check_reports_incomplete_bundles():
    lonely = Bundle(code="500YJS9902", name="孤单一件事", steps=(BundleStep("500A9900010000"),))
    details = {f.detail for f in check_catalog([], bundles=[lonely]).by_kind()["bundle_incomplete"]}
    assert details == {"联办窗口", "承诺总时限", "信息核验日期", "联办事项应至少包含 2 个事项"}


def _item(code: str, *materials: Material) -> Item:
    return Item(code=code, name=f"事项{code[-1]}", materials=materials)


def test_merged_materials_list_a_shared_material_once_with_its_items():
    items = {
        "A1": _item("A1", Material("居民身份证（原件）"), Material("营业执照"), Material("授权委托书", required=False,
                                                                                  condition="委托他人办理的")),
        "B2": _item("B2", Material("居民身份证"), Material("经营场所证明"), Material("授权委托书", required=False)),
        "C3": _item("C3", Material("户外招牌设计图"), Material("营业执照复印件")),
    }
    bundle = Bundle(code="500YJS9903", name="合并", steps=(
        BundleStep("A1"), BundleStep("B2"), BundleStep("C3", optional=True, condition="设招牌的"), BundleStep("GONE")))
    merged = merge_materials(bundle, items)
    assert [(m.name, m.positions, m.required) for m in merged] == [
        ("居民身份证（原件）", (1, 2), True),
        ("营业执照", (1, 3), True),
        ("经营场所证明", (2,), True),
        ("授权委托书", (1, 2), False),
        ("户外招牌设计图", (3,), False),
    ]
    assert merged[0].shared and merged[0].item_codes == ("A1", "B2")
    assert merged[3].condition == "委托他人办理的"
    assert merged[4].condition == "设招牌的"  # an optional item's materials apply when the item does
    assert material_key("居民身份证（原件）") == material_key("居民身份证") == material_key("居民身份证复印件")


def test_verification_date_is_the_bundles_own_else_the_newest_of_its_items(fixtures):
    source = read_sources([fixtures / "mini.yml", fixtures / "mini_bundles.yml"])
    items = {item.code: item for item in source.items}
    bundle = source.bundles[0]
    assert newest_verified(bundle, items) == date(2026, 10, 1)
    undated = Bundle(code=bundle.code, name=bundle.name, steps=bundle.steps)
    assert newest_verified(undated, items) == date(2026, 10, 1)
    assert newest_verified(undated, {}) is None


def test_migration_0002_adds_bundle_tables_to_an_existing_database(tmp_path):
    from alembic import command
    from alembic.config import Config

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    assert "bundles" not in inspect(engine).get_table_names()
    upgrade_schema(engine)
    assert {"bundles", "bundle_aliases", "bundle_steps"} <= set(inspect(engine).get_table_names())
    engine.dispose()
