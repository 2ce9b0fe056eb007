"""Export of the published catalog to YAML (one file per department, bundles in bundles.yml) and XLSX."""
from __future__ import annotations

import re
from itertools import groupby
from pathlib import Path

from knowledge.records import Bundle, Item
from knowledge.regions import load_regions
from knowledge.source_yaml import dump_bundle_file, dump_department_file
from knowledge.workbook import write_workbook

BUNDLE_FILE = "bundles.yml"


def export_yaml(items: list[Item], folder: Path, bundles: list[Bundle] = ()) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    ordered = sorted(items, key=lambda i: (i.department or "", i.code))
    for department, group in groupby(ordered, key=lambda i: i.department or ""):
        group = list(group)
        slug = re.sub(r"[\\/:*?\"<>|\s]+", "_", department) or "未分部门"
        path = folder / f"{slug}.yml"
        dump_department_file(path, department or None, group, demonstration=all(i.demonstration for i in group))
        written.append(path)
    if bundles:
        path = folder / BUNDLE_FILE
        dump_bundle_file(path, sorted(bundles, key=lambda b: b.code), demonstration=all(b.demonstration for b in bundles))
        written.append(path)
    return written


def export_xlsx(items: list[Item], path: Path, bundles: list[Bundle] = ()) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_workbook(path, sorted(items, key=lambda i: i.code), load_regions(), sorted(bundles, key=lambda b: b.code))
    return path
