"""Tiny hostile catalog files must not exhaust memory (issue #16, finding 4).

Each attack runs the real reader in a child process under a 1 GB address-space limit, so
on unprotected code the test fails with MemoryError instead of taking the machine down."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tooling import services
from tests.knowledge import uploads_bombs as bombs

LIMIT_MB = 1024
READER = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from pathlib import Path
from knowledge.importer import read_sources
from knowledge.errors import CatalogValidationError
try:
    source = read_sources([Path(sys.argv[1])])
    print(json.dumps({{"items": len(source.items), "problems": []}}, ensure_ascii=False))
except CatalogValidationError as error:
    print(json.dumps({{"items": 0, "problems": [str(p) for p in error.problems]}}, ensure_ascii=False))
"""


def read_in_child(path) -> dict:
    code = READER.format(limit=LIMIT_MB * 1024 * 1024)
    result = subprocess.run([sys.executable, "-c", code, str(path)], cwd=services.ROOT, env=services.base_env(),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_xlsx_with_a_far_cell_is_refused_without_exhausting_memory(tmp_path):
    outcome = read_in_child(bombs.far_cell_xlsx(tmp_path / "清单.xlsx"))
    assert (tmp_path / "清单.xlsx").stat().st_size < 10_000
    assert outcome["items"] == 0
    assert any("超过" in p and "行" in p and "已拒绝" in p for p in outcome["problems"]), outcome


def test_xlsx_declaring_the_whole_sheet_reads_only_its_real_rows(tmp_path):
    outcome = read_in_child(bombs.lying_dimension_xlsx(tmp_path / "清单.xlsx"))
    assert outcome["problems"] == [] or not any("已拒绝" in p for p in outcome["problems"]), outcome


def test_xlsx_with_16384_columns_is_refused(tmp_path):
    outcome = read_in_child(bombs.wide_row_xlsx(tmp_path / "清单.xlsx"))
    assert any("列" in p and "已拒绝" in p for p in outcome["problems"]), outcome


@pytest.mark.parametrize("build, words", [(bombs.zip_bomb_xlsx, "解压后"), (bombs.ratio_bomb_xlsx, "压缩比")])
def test_xlsx_zip_bombs_are_refused_before_openpyxl_reads_them(tmp_path, build, words):
    path = build(tmp_path / "清单.xlsx")
    assert path.stat().st_size < 2 * 1024 * 1024
    outcome = read_in_child(path)
    assert any(words in p and "已拒绝" in p for p in outcome["problems"]), outcome


def test_yaml_billion_laughs_is_refused(tmp_path):
    path = bombs.laughs_yaml(tmp_path / "laughs.yml")
    assert path.stat().st_size < 1024
    outcome = read_in_child(path)
    assert outcome["items"] == 0
    assert any("锚点" in p or "别名" in p for p in outcome["problems"]), outcome


def test_even_one_yaml_alias_is_refused_with_its_line(tmp_path):
    outcome = read_in_child(bombs.one_alias_yaml(tmp_path / "alias.yml"))
    assert any("第3行" in p and "锚点" in p for p in outcome["problems"]), outcome
    assert any("第4行" in p and "别名" in p for p in outcome["problems"]), outcome


def test_our_own_catalog_still_reads(tmp_path):
    from knowledge.importer import read_sources
    from knowledge.regions import load_regions
    from knowledge.workbook import write_workbook

    source = read_sources([services.ROOT / "data" / "catalog"])
    write_workbook(tmp_path / "catalog.xlsx", source.items, load_regions(), source.bundles)
    again = read_sources([tmp_path / "catalog.xlsx"])
    assert len(again.items) == len(source.items) and len(again.bundles) == len(source.bundles)
