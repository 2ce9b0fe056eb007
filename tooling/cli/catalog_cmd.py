"""`./yuban catalog import|export|check|diff`: the content team's commands."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from knowledge.check import check_catalog, render_text
from knowledge.errors import CatalogValidationError
from knowledge.export import export_xlsx, export_yaml
from knowledge.importer import CatalogDiff, diff_catalog, import_catalog, read_sources
from tooling.cli.common import fail, open_store


def register(commands) -> None:
    catalog = commands.add_parser("catalog", help="导入、导出、检查事项目录").add_subparsers(dest="action", required=True)
    p = catalog.add_parser("import", help="导入 YAML / XLSX / CSV（全部成功才写入）")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--dry-run", action="store_true", help="只显示将要发生的变化，不写入")
    p.add_argument("--replace", action="store_true", help="删除文件中没有的事项")
    p.add_argument("--region", help="表格没有区划列时，指定其所属区县（如 江北区）")
    p.set_defaults(handler=do_import)
    p = catalog.add_parser("export", help="导出为 YAML 目录和/或 XLSX")
    p.add_argument("--yaml", type=Path, help="YAML 输出目录")
    p.add_argument("--xlsx", type=Path, help="XLSX 输出文件")
    p.set_defaults(handler=do_export)
    p = catalog.add_parser("check", help="完整性和一致性检查报告")
    p.add_argument("paths", nargs="*", type=Path, help="检查这些文件（默认检查已发布目录）")
    p.add_argument("--region", help="表格所属区县")
    p.add_argument("--json", action="store_true")
    p.add_argument("--examples", type=int, default=10)
    p.set_defaults(handler=do_check)
    p = catalog.add_parser("diff", help="比较文件与已发布目录")
    p.add_argument("paths", nargs="+", type=Path)
    p.add_argument("--region")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=do_diff)
    p = catalog.add_parser("audit-lexicon", help="词表对一份事项清单的覆盖：没有口语词可达的对象、指向清单中没有的词的词条")
    p.add_argument("path", type=Path, help="事项名称清单（每行一个名称，制表符后的列忽略）或 YAML / XLSX / CSV 目录")
    p.add_argument("--region")
    p.add_argument("--top", type=int, default=60)
    p.set_defaults(handler=do_audit_lexicon)


def _progress(files):
    files = list(files)
    if len(files) < 3 or not sys.stderr.isatty():
        return files
    from tqdm import tqdm

    return tqdm(files, desc="读取", unit="个文件")


class _WriteBar:
    """A tqdm bar over rows written, shown only on a terminal."""

    def __init__(self):
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if not sys.stderr.isatty():
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc="写入", unit="行")
        self.bar.update(done - self.bar.n)
        if done >= total:
            self.bar.close()


def _print_diff(diff: CatalogDiff, limit: int = 20) -> None:
    print(f"新增 {len(diff.added)} 个，修改 {len(diff.changed)} 个，不变 {len(diff.unchanged)} 个，"
          f"目录中有而文件中没有 {len(diff.only_in_catalog)} 个")
    for code in diff.added[:limit]:
        print(f"  + {code}")
    for code, fields in list(diff.changed.items())[:limit]:
        print(f"  ~ {code}: {', '.join(fields)}")
    if diff.bundles_added or diff.bundles_changed or diff.bundles_unchanged or diff.bundles_only_in_catalog:
        print(f"联办事项：新增 {len(diff.bundles_added)} 个，修改 {len(diff.bundles_changed)} 个，"
              f"不变 {len(diff.bundles_unchanged)} 个，目录中有而文件中没有 {len(diff.bundles_only_in_catalog)} 个")
        for code in diff.bundles_added[:limit]:
            print(f"  + {code}")
        for code, fields in list(diff.bundles_changed.items())[:limit]:
            print(f"  ~ {code}: {', '.join(fields)}")


def do_import(args) -> int:
    store = open_store(load_demo=False)
    try:
        report = import_catalog(args.paths, store, dry_run=args.dry_run, replace=args.replace, region=args.region,
                                progress=_progress, write_progress=_WriteBar())
    except CatalogValidationError as error:
        fail(str(error))
    _print_diff(report.diff)
    if report.ignored_columns:
        print(f"忽略的列: {'、'.join(report.ignored_columns)}")
    if args.dry_run:
        print("试运行：未写入任何数据。")
    else:
        print(f"已发布 {report.items} 个事项（{report.implementations} 条实施清单）、{report.bundles} 个联办事项。"
              if report.written else "没有变化，未写入。")
    return 0


def do_export(args) -> int:
    if not args.yaml and not args.xlsx:
        fail("请指定 --yaml 目录 或 --xlsx 文件", 2)
    store = open_store()
    items, bundles = store.all_items(), store.all_bundles()
    if args.yaml:
        files = export_yaml(items, args.yaml, bundles)
        print(f"已导出 {len(items)} 个事项、{len(bundles)} 个联办事项到 {len(files)} 个 YAML 文件: {args.yaml}")
    if args.xlsx:
        export_xlsx(items, args.xlsx, bundles)
        print(f"已导出 {len(items)} 个事项、{len(bundles)} 个联办事项到 {args.xlsx}")
    return 0


def do_check(args) -> int:
    if args.paths:
        try:
            source = read_sources(args.paths, region=args.region)
        except CatalogValidationError as error:
            fail(str(error))
        items, bundles = source.items, source.bundles
    else:
        store = open_store()
        items, bundles = store.all_items(), store.all_bundles()
    report = check_catalog(items, bundles=bundles)
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=1))
    else:
        print(render_text(report, examples=args.examples))
    return 0


def do_diff(args) -> int:
    try:
        source = read_sources(args.paths, region=args.region)
    except CatalogValidationError as error:
        fail(str(error))
    diff = diff_catalog(source.items, open_store(), source.bundles)
    if args.json:
        print(json.dumps(vars(diff), ensure_ascii=False, indent=1))
    else:
        _print_diff(diff, limit=200)
    return 0


def do_audit_lexicon(args) -> int:
    """Names from a plain list (name<TAB>…, lines starting with 对 — penalties, inspections — left out) or a catalog."""
    from knowledge import lexicon, lexicon_audit

    if args.path.suffix in (".txt", ".tsv"):
        lines = args.path.read_text(encoding="utf-8").splitlines()
        names = sorted({n for n in (line.split("\t")[0].strip().strip('"') for line in lines) if n and n[0] != "对"})
    else:
        try:
            names = [item.name for item in read_sources([args.path], region=args.region).items]
        except CatalogValidationError as error:
            fail(str(error))
    print("\n".join(lexicon_audit.report(names, lexicon.load(), top=args.top)))
    return 0
