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
from knowledge.records import Bundle, Item, SourceRef
from knowledge.regions import load_regions
from knowledge.sheet_format import read_sheet_source
from knowledge.source_yaml import read_yaml_source
from knowledge.store import CatalogStore

YAML_SUFFIXES = {".yml", ".yaml"}
SHEET_SUFFIXES = {".csv", ".xlsx", ".xlsm"}


@dataclass
class CatalogDiff:
    added: list[str] = field(default_factory=list)
    changed: dict[str, list[str]] = field(default_factory=dict)  # code -> changed fields
    unchanged: list[str] = field(default_factory=list)
    only_in_catalog: list[str] = field(default_factory=list)
    bundles_added: list[str] = field(default_factory=list)
    bundles_changed: dict[str, list[str]] = field(default_factory=dict)
    bundles_unchanged: list[str] = field(default_factory=list)
    bundles_only_in_catalog: list[str] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return bool(self.added or self.changed or self.bundles_added or self.bundles_changed)


@dataclass
class ImportReport:
    items: int
    implementations: int
    diff: CatalogDiff
    written: bool
    ignored_columns: list[str] = field(default_factory=list)
    bundles: int = 0


@dataclass
class CatalogInput:
    """Everything read from the files: items, bundles and the columns that were ignored."""

    items: list[Item]
    bundles: list[Bundle]
    ignored: list[str]
    bundle_sources: dict[str, SourceRef] = field(default_factory=dict)


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
    source = read_sources(paths, region=region, progress=progress)
    return source.items, source.ignored


def read_sources(paths: Iterable[Path], region: str | None = None,
                 progress: Callable[[Iterable], Iterable] = lambda x: x) -> CatalogInput:
    """Every item and bundle of the files, or CatalogValidationError listing all problems."""
    regions = load_regions()
    problems: list[Problem] = []
    ignored: list[str] = []
    found: dict[str, tuple[Item, SourceRef]] = {}
    found_bundles: dict[str, tuple[Bundle, SourceRef]] = {}
    files = catalog_files(paths)
    if not files:
        raise CatalogValidationError([Problem(", ".join(str(p) for p in paths), None, None, "没有找到可导入的文件")])
    for path in progress(files):
        if not path.exists():
            problems.append(Problem(str(path), None, None, "文件不存在"))
            continue
        suffix = path.suffix.lower()
        if suffix in YAML_SUFFIXES:
            entries, bundle_entries, file_problems = read_yaml_source(path, regions)
        elif suffix in SHEET_SUFFIXES:
            entries, bundle_entries, file_problems, file_ignored = read_sheet_source(path, regions, region)
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
        for bundle, source in bundle_entries:
            if bundle.code in found_bundles:
                problems.append(Problem(source.file, source.row, "联办编码",
                                        f"编码 {bundle.code} 重复：{found_bundles[bundle.code][1]} 已有「{found_bundles[bundle.code][0].name}」"))
                continue
            found_bundles[bundle.code] = (_normalized_bundle(bundle), source)
    for code, (bundle, source) in found_bundles.items():
        if code in found:
            problems.append(Problem(source.file, source.row, "联办编码", f"编码 {code} 与事项「{found[code][0].name}」的编码相同"))
    if problems:
        raise CatalogValidationError(problems)
    return CatalogInput(items=[item for item, _ in found.values()], bundles=[b for b, _ in found_bundles.values()],
                        ignored=ignored, bundle_sources={code: source for code, (_, source) in found_bundles.items()})


def _normalized(item: Item) -> Item:
    return dataclasses.replace(item, aliases=tuple(dict.fromkeys(a for a in item.aliases if a != item.name)))


def _normalized_bundle(bundle: Bundle) -> Bundle:
    return dataclasses.replace(bundle, aliases=tuple(dict.fromkeys(a for a in bundle.aliases if a != bundle.name)))


def diff_catalog(items: list[Item], store: CatalogStore, bundles: list[Bundle] | None = None) -> CatalogDiff:
    """Compare with the published catalog; bundles are compared only when given (None: items only)."""
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
    if bundles is not None:
        published_bundles = {b.code: b for b in store.all_bundles()}
        for bundle in bundles:
            old = published_bundles.get(bundle.code)
            if old is None:
                result.bundles_added.append(bundle.code)
            elif old == bundle:
                result.bundles_unchanged.append(bundle.code)
            else:
                result.bundles_changed[bundle.code] = [f.name for f in dataclasses.fields(Bundle)
                                                       if getattr(old, f.name) != getattr(bundle, f.name)]
        incoming_bundles = {bundle.code for bundle in bundles}
        result.bundles_only_in_catalog = [code for code in published_bundles if code not in incoming_bundles]
    return result


def dangling_steps(source: CatalogInput, store: CatalogStore) -> list[Problem]:
    """Bundle items that are neither in the files nor in the published catalog."""
    incoming = {item.code for item in source.items}
    wanted = {code for bundle in source.bundles for code in bundle.item_codes()} - incoming
    known = store.existing_codes(wanted) if wanted else set()
    problems = []
    for bundle in source.bundles:
        ref = source.bundle_sources.get(bundle.code)
        for index, code in enumerate(bundle.item_codes(), 1):
            if code not in incoming and code not in known:
                problems.append(Problem(ref.file if ref else bundle.code, ref.row if ref else None, f"items[{index}]",
                                        f"联办事项「{bundle.name}」引用的事项 {code} 不在目录中"))
    return problems


def import_catalog(paths: Iterable[Path], store: CatalogStore, *, dry_run: bool = False, replace: bool = False,
                   region: str | None = None, progress: Callable[[Iterable], Iterable] = lambda x: x,
                   write_progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Validate all files, compare with the published catalog, then publish atomically.

    Items and bundles are published in the same transaction. With `replace`, items of the
    published catalog that are not in the files are deleted, and so are bundles when the
    files hold bundles (an items-only export, such as the official one, leaves them alone).
    """
    source = read_sources(paths, region=region, progress=progress)
    problems = dangling_steps(source, store)
    if problems:
        raise CatalogValidationError(problems)
    items = source.items
    diff = diff_catalog(items, store, source.bundles)
    if not source.bundles:
        diff.bundles_only_in_catalog = []  # no bundles in the files: nothing to say about the published ones
    written = False
    removals = bool(diff.only_in_catalog or diff.bundles_only_in_catalog)
    if not dry_run and (diff.has_changes or (replace and removals)):
        unchanged, unchanged_bundles = set(diff.unchanged), set(diff.bundles_unchanged)
        store.replace_items([item for item in items if item.code not in unchanged],
                            delete_codes=diff.only_in_catalog if replace else (), progress=write_progress,
                            bundles=[b for b in source.bundles if b.code not in unchanged_bundles],
                            delete_bundle_codes=diff.bundles_only_in_catalog if replace else ())
        written = True
    return ImportReport(items=len(items), implementations=sum(len(i.implementations) for i in items),
                        diff=diff, written=written, ignored_columns=source.ignored, bundles=len(source.bundles))
