"""Our XLSX workbook: one sheet per element kind, so every field survives a round trip.

Sheets: 事项 (items), 材料 (materials), 流程 (flow steps), 常见问题 (FAQ), 实施清单
(implementations) and 办理窗口 (windows), linked by 基本编码 and 区划代码; bundles add
联办事项 and 联办环节 (see knowledge/bundle_source.py). Every XLSX file, ours or another's, is
read by `read_xlsx_sheets`: bounded rows, columns and decompressed size (issue #16).
"""
from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any, Callable

from knowledge import fields
from knowledge.errors import Problem
from knowledge.bundle_source import write_bundle_sheets
from knowledge.records import Bundle, Faq, FlowStep, Implementation, Item, Material, SourceRef, Window
from knowledge.regions import RegionIndex

LIST_SEP = "\n"

# (sheet, [(header, attribute, parser)]) — parser None means plain text
ITEM_SHEET = [
    ("基本编码", "code", fields.code), ("事项名称", "name", fields.required_text), ("权力类型", "power_type", fields.power_type),
    ("部门", "department", None), ("服务对象", "audience", fields.line_list), ("主题分类", "topics", fields.line_list),
    ("俗称", "aliases", fields.line_list), ("事项概述", "summary", None), ("受理条件", "conditions", fields.line_list),
    ("设定依据", "legal_basis", fields.line_list), ("法定办结时限", "statutory_limit", None), ("办理结果", "result", None),
    ("演示数据", "demonstration", fields.boolean),
]
MATERIAL_SHEET = [
    ("材料名称", "name", fields.required_text), ("是否必要", "required", fields.boolean), ("适用情形", "condition", None),
    ("材料形式", "form", lambda v: fields.choice(v, fields.FORMS)), ("份数", "copies", fields.integer),
    ("载体", "medium", lambda v: fields.choice(v, fields.MEDIA)), ("来源", "source", None),
    ("免提交", "waived", fields.boolean), ("备注", "notes", None),
]
FLOW_SHEET = [("环节名称", "name", fields.required_text), ("环节说明", "description", None), ("环节时限", "time_limit", None)]
FAQ_SHEET = [("问题", "q", fields.required_text), ("解答", "a", fields.required_text)]
IMPL_SHEET = [
    ("实施编码", "code", None), ("实施主体", "body", None), ("承诺办结时限", "promised_limit", None),
    ("是否收费", "fee", lambda v: fields.choice(v, fields.FEES)), ("收费标准", "fee_detail", None), ("收费依据", "fee_basis", None),
    ("咨询电话", "consult_phone", None), ("监督投诉电话", "supervision_phone", None),
    ("网办深度", "online_depth", lambda v: fields.choice(v, fields.ONLINE_DEPTHS)), ("网办地址", "online_url", None),
    ("跑动次数", "trips", fields.integer), ("物流快递", "express", fields.boolean), ("预约办理", "appointment", fields.boolean),
    ("通办范围", "scope", lambda v: fields.limited_choices(fields.line_list(v), fields.SCOPES)),
    ("信息核验日期", "verified", fields.day), ("区县事项名称", "local_name", None), ("区县权力类型", "local_power_type", None),
    ("区县申请材料", "local_materials", lambda v: None if v in (None, "") else tuple(json.loads(v))),
]
WINDOW_SHEET = [("窗口名称", "name", None), ("地址", "address", None), ("办公时间", "hours", None), ("电话", "phone", None),
                ("交通指引", "directions", None)]


# Limits of an XLSX file we read (an uploaded one is untrusted): a real catalog workbook —
# thousands of items, tens of thousands of materials — stays far below them.
MAX_ROWS = 100_000  # per sheet, blank rows in between included (they keep row numbers right)
MAX_COLUMNS = 200  # our workbook has < 30 columns, the official export < 60
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024  # all parts of the zip together, as declared
MAX_COMPRESSION_RATIO = 100  # XML compresses 5-20x; a zip bomb compresses 1000x
RATIO_CHECK_FROM_BYTES = 1024 * 1024  # small parts may compress well (repeated styles)
MAX_ZIP_ENTRIES = 10_000


class SheetReadError(ValueError):
    """A spreadsheet that cannot or must not be read; the message is for the editor (Chinese)."""


def check_xlsx_archive(path: Path) -> None:
    """Refuse a zip that expands far beyond its size before openpyxl opens it.

    The sizes are those the zip declares; zipfile stops reading an entry at its declared
    size, so a part cannot expand beyond what was checked here."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise SheetReadError(f"不是有效的 XLSX 电子表格: {error}") from None
    if len(entries) > MAX_ZIP_ENTRIES:
        raise SheetReadError(f"XLSX 文件包含 {len(entries)} 个部件，超过上限 {MAX_ZIP_ENTRIES}，已拒绝读取")
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise SheetReadError(f"XLSX 文件解压后共 {total // (1024 * 1024)} MB，超过上限 "
                             f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB，已拒绝读取（请拆分成几个文件）")
    for entry in entries:
        if entry.file_size > RATIO_CHECK_FROM_BYTES and entry.file_size > MAX_COMPRESSION_RATIO * max(entry.compress_size, 1):
            raise SheetReadError(f"XLSX 文件的部件 {entry.filename} 压缩比异常（{entry.file_size // max(entry.compress_size, 1)} 倍，"
                                 f"上限 {MAX_COMPRESSION_RATIO} 倍），疑似压缩炸弹，已拒绝读取")


def read_xlsx_sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet's rows, with bounded memory whatever the file declares.

    A sheet's declared dimension (e.g. A1:XFD1048576 in a 1.5 KB file) made openpyxl pad every
    row to 16 384 cells and fill every missing row up to 1 048 576; it is ignored
    (reset_dimensions) and trailing empty cells are dropped. More rows than MAX_ROWS, or a value beyond
    MAX_COLUMNS, refuses the file with a message naming the sheet."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    check_xlsx_archive(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError, TypeError) as error:
        raise SheetReadError(f"不是有效的 XLSX 电子表格: {error}") from None
    try:
        return {sheet.title: _bounded_rows(sheet) for sheet in workbook.worksheets}
    except (KeyError, ValueError, TypeError) as error:
        raise SheetReadError(f"XLSX 电子表格内容无法读取: {error}") from None
    finally:
        workbook.close()


def _bounded_rows(sheet: Any) -> list[list[Any]]:
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()
    rows: list[list[Any]] = []
    # Without a dimension a row is as wide as its last cell: one row at a time, checked at once.
    for number, row in enumerate(sheet.iter_rows(values_only=True), 1):
        if number > MAX_ROWS:
            raise SheetReadError(f"工作表「{sheet.title}」超过 {MAX_ROWS} 行（含空行），已拒绝读取；"
                                 "请删除表格末尾的多余行或拆分文件")
        values = list(row)
        while values and values[-1] is None:
            values.pop()
        if len(values) > MAX_COLUMNS:
            raise SheetReadError(f"工作表「{sheet.title}」第 {number} 行超过 {MAX_COLUMNS} 列，已拒绝读取")
        rows.append(values)
    return rows


def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (tuple, list)):
        return LIST_SEP.join(str(v) for v in value)
    return value


def write_workbook(path: Path, items: list[Item], regions: RegionIndex, bundles: list[Bundle] = ()) -> None:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheets = {name: workbook.create_sheet(name) for name in ("事项", "材料", "流程", "常见问题", "实施清单", "办理窗口")}
    sheets["事项"].append([h for h, _, _ in ITEM_SHEET])
    sheets["材料"].append(["基本编码", "序号"] + [h for h, _, _ in MATERIAL_SHEET])
    sheets["流程"].append(["基本编码", "序号"] + [h for h, _, _ in FLOW_SHEET])
    sheets["常见问题"].append(["基本编码", "序号"] + [h for h, _, _ in FAQ_SHEET])
    sheets["实施清单"].append(["基本编码", "区划代码", "区划名称"] + [h for h, _, _ in IMPL_SHEET])
    sheets["办理窗口"].append(["基本编码", "区划代码", "序号"] + [h for h, _, _ in WINDOW_SHEET])
    for item in items:
        sheets["事项"].append([_cell(getattr(item, a)) for _, a, _ in ITEM_SHEET])
        for sheet, records, spec in (("材料", item.materials, MATERIAL_SHEET), ("流程", item.flow, FLOW_SHEET), ("常见问题", item.faq, FAQ_SHEET)):
            for i, record in enumerate(records, 1):
                sheets[sheet].append([item.code, i] + [_cell(getattr(record, a)) for _, a, _ in spec])
        for impl in item.implementations:
            region = regions.by_code.get(impl.region_code)
            row = []
            for _, a, _ in IMPL_SHEET:
                value = getattr(impl, a)
                row.append(json.dumps(list(value), ensure_ascii=False) if a == "local_materials" and value is not None else _cell(value))
            sheets["实施清单"].append([item.code, impl.region_code, region.name if region else None] + row)
            for i, window in enumerate(impl.windows, 1):
                sheets["办理窗口"].append([item.code, impl.region_code, i] + [_cell(getattr(window, a)) for _, a, _ in WINDOW_SHEET])
    if bundles:
        write_bundle_sheets(workbook, list(bundles))
    workbook.save(path)


class _Sheet:
    """Rows of one sheet as dicts keyed by header, with problems reported by row."""

    def __init__(self, file: str, title: str, rows: list[list[Any]], problems: list[Problem]):
        self.file, self.title, self.problems = file, title, problems
        self.header = [str(c).strip() if c is not None else "" for c in (rows[0] if rows else [])]
        self.rows = rows[1:]

    def records(self, spec: list, keys: tuple[str, ...]) -> list[tuple[int, dict, dict]]:
        missing = [h for h in keys + tuple(h for h, _, p in spec if p is fields.required_text) if h not in self.header]
        if missing:
            self.problems.append(Problem(f"{self.file}#{self.title}", 1, "、".join(missing), "缺少列"))
            return []
        out = []
        for offset, row in enumerate(self.rows):
            if all(c is None or str(c).strip() == "" for c in row):
                continue
            line = offset + 2
            raw = {h: (row[i] if i < len(row) else None) for i, h in enumerate(self.header)}
            values = {}
            for header, attr, parser in spec:
                value = raw.get(header)
                try:
                    values[attr] = parser(value) if parser else fields.text(value)
                except ValueError as error:
                    self.problems.append(Problem(f"{self.file}#{self.title}", line, header, str(error)))
            out.append((line, {k: fields.text(raw.get(k)) for k in keys}, values))
        return out


def read_workbook(file: str, sheets: dict[str, list[list[Any]]], regions: RegionIndex) -> tuple[list[tuple[Item, SourceRef]], list[Problem]]:
    problems: list[Problem] = []

    def sheet(title: str) -> _Sheet:
        return _Sheet(file, title, sheets.get(title, []), problems)

    children: dict[str, dict[str, list]] = {}

    def collect(title: str, spec: list, make: Callable[..., Any]) -> None:
        for _line, keys, values in sheet(title).records(spec, ("基本编码",)):
            children.setdefault(keys["基本编码"] or "", {}).setdefault(title, []).append(make(**values))

    collect("材料", MATERIAL_SHEET, lambda **v: Material(**{**v, "required": v.get("required") is not False, "waived": bool(v.get("waived"))}))
    collect("流程", FLOW_SHEET, FlowStep)
    collect("常见问题", FAQ_SHEET, Faq)
    windows: dict[tuple[str, str], list[Window]] = {}
    for _line, keys, values in sheet("办理窗口").records(WINDOW_SHEET, ("基本编码", "区划代码")):
        windows.setdefault((keys["基本编码"] or "", keys["区划代码"] or ""), []).append(Window(**values))
    impls: dict[str, list[Implementation]] = {}
    for line, keys, values in sheet("实施清单").records(IMPL_SHEET, ("基本编码", "区划代码")):
        code, region_code = keys["基本编码"] or "", keys["区划代码"] or ""
        if regions.resolve(region_code) is None:
            problems.append(Problem(f"{file}#实施清单", line, "区划代码", f"未知区域「{region_code}」"))
            continue
        if any(i.region_code == region_code for i in impls.get(code, [])):
            problems.append(Problem(f"{file}#实施清单", line, "区划代码", f"编码 {code} 在 {region_code} 重复"))
            continue
        impls.setdefault(code, []).append(Implementation(
            region_code=region_code, windows=tuple(windows.get((code, region_code), ())),
            **{**values, "scope": values.get("scope") or ()}))
    result = []
    for line, _keys, values in sheet("事项").records(ITEM_SHEET, ()):
        if "code" not in values or "name" not in values or values["code"] is None:
            continue
        code = values["code"]
        kids = children.get(code, {})
        result.append((Item(
            **{**values, "demonstration": bool(values.get("demonstration")),
               **{k: values.get(k) or () for k in ("audience", "topics", "aliases", "conditions", "legal_basis")}},
            materials=tuple(kids.get("材料", ())), flow=tuple(kids.get("流程", ())), faq=tuple(kids.get("常见问题", ())),
            implementations=tuple(impls.get(code, ())),
        ), SourceRef(f"{file}#事项", line)))
    known = {item.code for item, _ in result}
    for code in sorted((set(children) | set(impls)) - known):
        problems.append(Problem(file, None, "基本编码", f"编码 {code} 出现在子表中，但「事项」表里没有这个事项"))
    return result, problems
