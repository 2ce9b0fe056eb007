"""Import, diff and export of catalog files, all or nothing.

Reading collects every problem of every file first; only a clean input is written, in
one transaction. A dry run or a diff stops after comparing with the published catalog.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from knowledge.errors import CatalogValidationError, Problem
from knowledge.records import Item, SourceRef
from knowledge.regions import load_regions
from knowledge.sheet_format import read_sheet_file
from knowledge.source_yaml import read_yaml_file
from knowledge.store import CatalogStore

YAML_SUFFIXES = {".yml", ".yaml"}
SHEET_SUFFIXES = {".csv", ".xlsx", ".xlsm"}


@dataclass
class CatalogDiff:
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # code -> changed fields
    unchanged: list[str] = field(default_factory=list)
    only_in_catalog: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed)


@dataclass
class ImportReport:
    items: int
    implementations: int
    diff: CatalogDiff
    written: bool
    ignored_columns: list[str] = field(default_factory=list)


def catalog_files(paths: Iterable[Path]) -> list[Path]:
    """The files named, with folders expanded to the catalog files in them (sorted)."""
    result: list[Path] = []
    for path in paths:
        if path.is_dir():
            result += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in YAML_SUFFIXES | SHEET_SUFFIXES)
        else:
            result.append(path)
    return result


def read_catalog(paths: Iterable[Path], region: str | None = None,
                 progress: Callable[[Iterable], Iterable] = lambda x: x) -> tuple[list[Item], list[str]]:
    """Every item of the files, or CatalogValidationError listing all problems."""
    regions = load_regions()
    problems: list[Problem] = []
    ignored: list[str] = []
    found: dict[str, tuple[Item, SourceRef]] = {}
    files = catalog_files(paths)
    if not files:
        raise CatalogValidationError([Problem(", ".join(str(p) for p in paths), None, None, "没有找到可导入的文件")])
    for path in progress(files):
        if not path.exists():
            problems.append(Problem(str(path), None, None, "文件不存在"))
            continue
        suffix = path.suffix.lower()
        if suffix in YAML_SUFFIXES:
            entries, file_problems = read_yaml_file(path, regions)
        elif suffix in SHEET_SUFFIXES:
            entries, file_problems, file_ignored = read_sheet_file(path, regions, region)
            ignored += [c for c in file_ignored if c not in ignored]
        else:
            problems.append(Problem(str(path), None, None, f"不支持的文件类型「{suffix or '无扩展名'}」（可用 YAML、XLSX、CSV）"))
            continue
        problems += file_problems
        for item, source in entries:
            if item.code in found:
                problems.append(Problem(source.file, source.row, "基本编码",
                                        f"编码 {item.code} 重复：{found[item.code][1]} 已有「{found[item.code][0].name}」"))
                continue
            found[item.code] = (_normalized(item), source)
    if problems:
        raise CatalogValidationError(problems)
    return [item for item, _ in found.values()], ignored


def _normalized(item: Item) -> Item:
    return dataclasses.replace(item, aliases=tuple(dict.fromkeys(a for a in item.aliases if a != item.name)))


def diff_catalog(items: list[Item], store: CatalogStore) -> CatalogDiff:
    published = store.get_many(item.code for item in items)
    result = CatalogDiff()
    for item in items:
        old = published.get(item.code)
        if old is None:
            result.added.append(item.code)
        elif old == item:
            result.unchanged.append(item.code)
        else:
            result.changed[item.code] = [f.name for f in dataclasses.fields(Item) if getattr(old, f.name) != getattr(item, f.name)]
    incoming = {item.code for item in items}
    result.only_in_catalog = [e.code for e in store.search_entries() if e.code not in incoming]
    return result


def import_catalog(paths: Iterable[Path], store: CatalogStore, *, dry_run: bool = False, replace: bool = False,
                   region: str | None = None, progress: Callable[[Iterable], Iterable] = lambda x: x,
                   write_progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Validate all files, compare with the published catalog, then publish atomically.

    With `replace`, items of the published catalog that are not in the files are deleted.
    """
    items, ignored = read_catalog(paths, region=region, progress=progress)
    diff = diff_catalog(items, store)
    written = False
    if not dry_run and (diff.has_changes or (replace and diff.only_in_catalog)):
        changed = [item for item in items if item.code not in set(diff.unchanged)]
        store.replace_items(changed, delete_codes=diff.only_in_catalog if replace else (), progress=write_progress)
        written = True
    return ImportReport(items=len(items), implementations=sum(len(i.implementations) for i in items),
                        diff=diff, written=written, ignored_columns=ignored)
