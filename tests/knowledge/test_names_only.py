"""Names-only official lists: no national basic code, only the list's own row ids."""
from __future__ import annotations

import csv
import io

import pytest

from knowledge.check import check_catalog, render_text
from knowledge.errors import CatalogValidationError
from knowledge.importer import import_catalog
from knowledge.service import CatalogService
from tests.knowledge.conftest import write


def csv_text(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


ROWS = [["序号", "事项名称", "部门"],
        ["1", "机动车驾驶证补证", "区公安分局"],
        ["2", "养犬变更登记", "区公安分局"],
        ["17", "住房公积金提取", "住房公积金中心"]]


def test_row_ids_become_item_codes_and_check_reports_the_missing_code(store, tmp_path):
    path = write(tmp_path / "names.csv", csv_text(ROWS))
    import_catalog([path], store)
    assert {i.code: i.name for i in store.all_items()} == {
        "ROW-1": "机动车驾驶证补证", "ROW-2": "养犬变更登记", "ROW-17": "住房公积金提取"}
    report = check_catalog(store.all_items())
    missing = report.by_kind()["missing_code"]
    assert sorted(f.detail for f in missing) == ["清单行号 1", "清单行号 17", "清单行号 2"]
    assert "缺少国家基本编码" in render_text(report)


def test_reimport_updates_the_same_rows(store, tmp_path):
    import_catalog([write(tmp_path / "a.csv", csv_text(ROWS))], store)
    renamed = [ROWS[0], ["1", "机动车驾驶证补领", "区公安分局"], *ROWS[2:]]
    import_catalog([write(tmp_path / "a.csv", csv_text(renamed))], store, replace=True)
    assert store.get("ROW-1").name == "机动车驾驶证补领" and store.count() == 3


def test_a_row_id_that_is_not_an_id_is_refused_with_its_line(store, tmp_path):
    path = write(tmp_path / "bad.csv", csv_text([ROWS[0], ["第1条!", "某事项", "某局"]]))
    with pytest.raises(CatalogValidationError) as error:
        import_catalog([path], store)
    assert "行号" in str(error.value) and store.count() == 0


def test_a_list_without_any_identifier_column_is_refused(store, tmp_path):
    path = write(tmp_path / "none.csv", csv_text([["事项名称", "部门"], ["某事项", "某局"]]))
    with pytest.raises(CatalogValidationError) as error:
        import_catalog([path], store)
    assert "序号" in str(error.value)


def test_names_only_import_is_searchable_through_the_lexicon(store, tmp_path):
    import_catalog([write(tmp_path / "names.csv", csv_text(ROWS))], store)
    result = CatalogService(store).search("驾照掉了怎么补")
    assert result.best.code == "ROW-1" and result.decision == "answer"
