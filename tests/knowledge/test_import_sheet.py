from __future__ import annotations

import csv
import io

import openpyxl
import pytest

from knowledge.check import check_catalog
from knowledge.errors import CatalogValidationError
from knowledge.importer import import_catalog
from tests.knowledge.conftest import write

HEADER = ["事项名称", "基本编码", "实施编码", "权力类型", "实施主体", "申请材料", "承诺办结时限", "法定办结时限", "是否收费",
          "办理地点", "咨询电话"]
ROW_YUBEI = ["测试许可", "500A9900010000", "500A9900010000-500112000000-000-11500112000000000X-1-00", "行政许可",
             "重庆市渝北区测试局", "居民身份证；申请表", "5个工作日", "20个工作日", "否", "渝北区政务服务中心", "023-67800000"]
ROW_JIANGBEI = ["测试许可", "500A9900010000", "500A9900010000-500105000000-000-11500105000000000X-1-00", "行政许可",
                "重庆市江北区测试局", "居民身份证；申请表", "3个工作日", "20个工作日", "否", "江北区政务服务中心", "023-67700000"]


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def test_official_csv_rows_become_one_item_with_an_implementation_per_region(store, tmp_path):
    path = write(tmp_path / "list.csv", csv_text([HEADER, ROW_YUBEI, ROW_JIANGBEI]))
    import_catalog([path], store)
    item = store.get("500A9900010000")
    assert [m.name for m in item.materials] == ["居民身份证", "申请表"]
    assert {i.region_code: i.promised_limit for i in item.implementations} == {"500112": "5个工作日", "500105": "3个工作日"}
    assert item.implementation_for("500112").fee == "不收费"
    assert item.implementation_for("500105").windows[0].address == "江北区政务服务中心"


def test_gb18030_csv_is_read(store, tmp_path):
    path = write(tmp_path / "gbk.csv", csv_text([HEADER, ROW_YUBEI]), encoding="gb18030")
    import_catalog([path], store)
    assert store.get("500A9900010000").name == "测试许可"


def test_names_and_codes_only_is_a_valid_import_and_check_lists_what_is_missing(store, tmp_path):
    path = write(tmp_path / "names.csv", csv_text([["事项名称", "基本编码"], ["甲事项", "500A9900050000"], ["乙事项", "500A9900060000"]]))
    report = import_catalog([path], store)
    assert report.items == 2
    findings = check_catalog(store.all_items()).by_kind()["missing_element"]
    assert {f.detail for f in findings} >= {"申请材料", "实施清单", "权力类型"}


def test_xlsx_with_title_row_before_the_header(store, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["重庆市渝北区政务服务事项实施清单（2026年）"])
    sheet.append(HEADER)
    sheet.append(ROW_YUBEI)
    workbook.save(tmp_path / "list.xlsx")
    import_catalog([tmp_path / "list.xlsx"], store)
    assert store.get("500A9900010000").implementation_for("500112").body == "重庆市渝北区测试局"


def test_wrong_columns_are_rejected(store, tmp_path):
    path = write(tmp_path / "wrong.csv", csv_text([["名称", "编号"], ["甲", "1"]]))
    with pytest.raises(CatalogValidationError, match="找不到表头"):
        import_catalog([path], store)
    path = write(tmp_path / "nocode.csv", csv_text([["事项名称", "实施主体"], ["甲", "某局"]]))
    with pytest.raises(CatalogValidationError, match="缺少必需的列"):
        import_catalog([path], store)


def test_bad_encoding_is_rejected(store, tmp_path):
    path = tmp_path / "binary.csv"
    path.write_bytes(b"\xff\xfe\x00\x81\xff" * 20)
    with pytest.raises(CatalogValidationError, match="编码|二进制"):
        import_catalog([path], store)


def test_a_file_that_is_not_a_spreadsheet_is_rejected(store, tmp_path):
    path = write(tmp_path / "fake.xlsx", "事项名称,基本编码\n甲,500A9900050000\n")
    with pytest.raises(CatalogValidationError, match="不是有效的 XLSX"):
        import_catalog([path], store)


def test_duplicate_code_in_the_same_region_is_an_error_with_both_rows(store, tmp_path):
    path = write(tmp_path / "dup.csv", csv_text([HEADER, ROW_YUBEI, ROW_YUBEI]))
    with pytest.raises(CatalogValidationError) as caught:
        import_catalog([path], store)
    [problem] = caught.value.problems
    assert problem.row == 3 and "第 2 行已有" in problem.message and problem.field == "基本编码"


def test_malformed_values_name_row_and_column(store, tmp_path):
    bad = list(ROW_YUBEI)
    bad[8] = "也许"
    path = write(tmp_path / "bad.csv", csv_text([HEADER, ROW_JIANGBEI, bad]))
    with pytest.raises(CatalogValidationError) as caught:
        import_catalog([path], store)
    [problem] = caught.value.problems
    assert (problem.row, problem.field) == (3, "是否收费")
    assert store.count() == 0


def test_unknown_region_suggests_the_region_option(store, tmp_path):
    row = list(ROW_YUBEI)
    row[2] = "500A9900010000-511602000000-000-1151130100-1-00"
    path = write(tmp_path / "sichuan.csv", csv_text([HEADER, row]))
    with pytest.raises(CatalogValidationError, match="--region"):
        import_catalog([path], store)
    import_catalog([path], store, region="江北区")
    assert store.get("500A9900010000").regions() == ["500105"]


def test_three_level_differences_are_kept_and_reported(store, tmp_path):
    different = list(ROW_JIANGBEI)
    different[0] = "测试许可（江北）"
    different[5] = "居民身份证"
    path = write(tmp_path / "diff.csv", csv_text([HEADER, ROW_YUBEI, different]))
    import_catalog([path], store)
    violations = check_catalog(store.all_items()).by_kind()["standard_violation"]
    assert {(v.region, v.detail.split("（")[0]) for v in violations} == {("江北区", "名称为「测试许可"), ("江北区", "申请材料不同")}


def test_real_guangan_item_list_imports_through_the_csv_path(store, shared_data, capsys):
    path = shared_data / "reference/sichuan_guangan_zwfw_items/guangan_district_items.csv"
    report = import_catalog([path], store, region="江北区")
    assert report.items == store.count() > 1100
    assert set(report.ignored_columns) >= {"主事项", "天府通办详情链接"}
    counts = check_catalog(store.all_items()).to_json()["counts"]
    with capsys.disabled():
        print(f"\n[guangan import] {report.items} items, check: {counts}")
    assert counts["missing_element"] > 0 and counts.get("duplicate_name", 0) >= 2
