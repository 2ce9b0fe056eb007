from __future__ import annotations


import pytest

from knowledge.errors import CatalogValidationError
from knowledge.importer import import_catalog
from knowledge.regions import load_regions
from tests.knowledge.conftest import write


def test_import_expands_implementations_per_region(store, fixtures):
    report = import_catalog([fixtures / "mini.yml"], store)
    assert report.written and report.items == 2
    item = store.get("500A9900010000")
    # city + 38 districts + 3 zones
    assert len(item.implementations) == 1 + 38 + 3
    yubei = item.implementation_for("500112")
    assert yubei.body == "重庆市渝北区测试局"
    assert yubei.windows[0].address == "渝北区政务服务中心二楼测试窗口"
    assert yubei.code.startswith("500A9900010000-500112000000-000-")
    city = item.implementation_for("500000")
    assert city.body == "重庆市测试局" and city.consult_phone == "023-63000000"
    assert [m.name for m in item.materials] == ["居民身份证", "授权委托书"]
    assert item.materials[1].required is False and item.materials[1].condition == "委托他人办理的"
    assert item.demonstration is True


def test_partial_item_with_name_and_code_only_imports(store, fixtures):
    import_catalog([fixtures / "mini.yml"], store)
    partial = store.get("500F9900020000")
    assert partial.name == "测试备案" and partial.materials == () and partial.implementations == ()


def test_dry_run_writes_nothing(store, fixtures):
    report = import_catalog([fixtures / "mini.yml"], store, dry_run=True)
    assert report.diff.added == ["500A9900010000", "500F9900020000"]
    assert not report.written and store.count() == 0


def test_reimport_of_same_file_changes_nothing(store, fixtures):
    import_catalog([fixtures / "mini.yml"], store)
    version = store.version()
    report = import_catalog([fixtures / "mini.yml"], store)
    assert not report.written and len(report.diff.unchanged) == 2 and store.version() == version


BAD_ITEMS = {
    "unknown field": ("  - {code: 500A9900030000, name: 甲, power_type: 行政许可, colour: red}", "colour", "未知字段"),
    "bad power type": ("  - {code: 500A9900030000, name: 甲, power_type: 行政审批}", "power_type", "不是允许的取值"),
    "missing name": ("  - {code: 500A9900030000, power_type: 行政许可}", "name", "不能为空"),
    "bad code": ("  - {code: '甲乙', name: 甲}", "code", "格式不对"),
    "bad date": ("  - {code: 500A9900030000, name: 甲, implementation: {levels: [city], verified: 2026年13月}}",
                 "implementation.verified", "不是日期"),
    "bad trips": ("  - {code: 500A9900030000, name: 甲, implementation: {levels: [city], trips: 很多}}",
                  "implementation.trips", "不是整数"),
    "bad level": ("  - {code: 500A9900030000, name: 甲, implementation: {levels: [province]}}",
                  "implementation.levels", "未知层级"),
    "bad region": ("  - {code: 500A9900030000, name: 甲, implementations: [{region: 成都市}]}",
                   "implementations[1].region", "未知区域"),
    "bad copies": ("  - {code: 500A9900030000, name: 甲, materials: [{name: 身份证, copies: two}]}",
                   "materials[1].copies", "不是整数"),
}


@pytest.mark.parametrize("case", sorted(BAD_ITEMS))
def test_each_bad_value_is_reported_with_file_row_and_field_and_nothing_is_written(store, fixtures, tmp_path, case):
    line, field, message = BAD_ITEMS[case]
    bad = write(tmp_path / "bad.yml", f"department: {{name: 重庆市测试局}}\nitems:\n  - {{code: 500A9900040000, name: 好的}}\n{line}\n")
    with pytest.raises(CatalogValidationError) as caught:
        import_catalog([fixtures / "mini.yml", bad], store)
    problems = caught.value.problems
    assert any(p.file == str(bad) and p.row == 4 and p.field == field and message in p.message for p in problems), problems
    assert store.count() == 0  # the good file was not written either


def test_duplicate_codes_across_files_name_both_places(store, fixtures, tmp_path):
    copy = write(tmp_path / "copy.yml", "items:\n  - {code: 500A9900010000, name: 另一个名字}\n")
    with pytest.raises(CatalogValidationError) as caught:
        import_catalog([fixtures / "mini.yml", copy], store)
    [problem] = caught.value.problems
    assert problem.file == str(copy) and "500A9900010000 重复" in problem.message and "mini.yml" in problem.message


def test_yaml_syntax_error_names_the_line(store, tmp_path):
    bad = write(tmp_path / "broken.yml", "items:\n  - code: 1\n    name: [unclosed\n")
    with pytest.raises(CatalogValidationError) as caught:
        import_catalog([bad], store)
    assert "YAML 语法错误" in caught.value.problems[0].message and caught.value.problems[0].row is not None


def test_file_not_in_utf8_is_rejected(store, tmp_path):
    bad = write(tmp_path / "gbk.yml", "items:\n  - {code: 500A9900010000, name: 测试许可}\n", encoding="gbk")
    with pytest.raises(CatalogValidationError, match="UTF-8"):
        import_catalog([bad], store)


def test_unsupported_file_type_is_rejected(store, tmp_path):
    other = write(tmp_path / "notes.txt", "hello")
    with pytest.raises(CatalogValidationError, match="不支持的文件类型"):
        import_catalog([other], store)


def test_replace_deletes_items_missing_from_the_files(store, fixtures, tmp_path):
    import_catalog([fixtures / "mini.yml"], store)
    only = write(tmp_path / "only.yml", "items:\n  - {code: 500F9900020000, name: 测试备案}\n")
    report = import_catalog([only], store, replace=True)
    assert report.diff.only_in_catalog == ["500A9900010000"] and store.count() == 1


def test_regions_cover_city_38_districts_and_three_zones():
    regions = load_regions()
    assert len([r for r in regions.regions if r.level == "district"]) == 38
    assert {r.name for r in regions.regions if r.level == "zone"} == {"两江新区", "西部科学城重庆高新区", "万盛经开区"}


def test_region_list_matches_official_district_codes(shared_data):
    import csv

    rows = list(csv.DictReader((shared_data / "reference/chongqing_facts/cq_districts_counties_38.csv").open(encoding="utf-8")))
    regions = load_regions()
    for row in rows:
        assert regions.by_code[row["code"]].name == row["name"]
