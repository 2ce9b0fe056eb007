"""The official export format: XLSX and CSV with the standard Chinese column names.

Two shapes are read:

* the flat export of the 政务服务事项库: one row per implementation (or per item when a
  list has no region), item elements repeated on every row; partial columns are fine
  (names and codes only is a valid list);
* our own workbook export: sheets 事项, 材料, 流程, 常见问题, 实施清单, 办理窗口, one row per
  element, which round-trips every field.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any, Iterable

from knowledge import fields
from knowledge.errors import Problem
from knowledge.bundle_source import BUNDLE_SHEET, read_bundle_sheets
from knowledge.records import Bundle, FlowStep, Implementation, Item, Material, SourceRef, Window
from knowledge.regions import Region, RegionIndex, load_regions

# column header → field; several official spellings map to one field
ITEM_COLUMNS = {
    "事项名称": "name", "基本编码": "code", "目录编码": "code", "事项编码": "code",
    "序号": "row_id", "行号": "row_id", "事项ID": "row_id", "事项id": "row_id", "ID": "row_id", "id": "row_id",
    "记录ID": "row_id", "清单编号": "row_id",
    "权力类型": "power_type", "事项类型": "power_type", "taskType": "power_type",
    "部门": "department", "主管部门": "department", "所属部门": "department",
    "事项概述": "summary", "服务对象": "audience", "主题分类": "topics", "俗称": "aliases", "别名": "aliases",
    "受理条件": "conditions", "设定依据": "legal_basis", "申请材料": "materials", "申报材料": "materials",
    "办理流程": "flow", "法定办结时限": "statutory_limit", "办理结果": "result", "审批结果": "result",
}
IMPL_COLUMNS = {
    "实施编码": "impl_code", "itemCode": "impl_code", "实施主体": "body", "实施机构": "body",
    "区划": "region", "实施区域": "region", "行政区划": "region", "行政区划代码": "region", "areaCode": "region",
    "承诺办结时限": "promised_limit", "是否收费": "fee", "收费标准": "fee_detail", "收费依据": "fee_basis",
    "办理地点": "address", "办公时间": "hours", "办理时间": "hours", "窗口电话": "window_phone", "交通指引": "directions",
    "咨询电话": "consult_phone", "监督投诉电话": "supervision_phone", "投诉电话": "supervision_phone",
    "网办深度": "online_depth", "网上办理深度": "online_depth", "网办地址": "online_url", "在线办理地址": "online_url",
    "跑动次数": "trips", "到办事现场次数": "trips", "是否支持物流快递": "express", "物流快递": "express",
    "是否支持预约办理": "appointment", "预约办理": "appointment", "通办范围": "scope", "信息核验日期": "verified",
    "更新日期": "verified",
}
KNOWN_COLUMNS = {**ITEM_COLUMNS, **IMPL_COLUMNS}
NATIONAL_BASIC_CODE = re.compile(r"^(\d{3}[A-Z][0-9A-Z]{6,12}|[0-9A-Z]{1,2}-\d{4,6}-\d{3,5})(?=-)")
REGION_SEGMENT = re.compile(r"-(\d{12})-")


def read_sheet_file(path: Path, regions: RegionIndex | None = None, region_override: str | None = None
                    ) -> tuple[list[tuple[Item, SourceRef]], list[Problem], list[str]]:
    """Items from a CSV or XLSX file, the problems found, and the columns that were ignored."""
    items, _bundles, problems, ignored = read_sheet_source(path, regions, region_override)
    return items, problems, ignored


def read_sheet_source(path: Path, regions: RegionIndex | None = None, region_override: str | None = None
                      ) -> tuple[list[tuple[Item, SourceRef]], list[tuple[Bundle, SourceRef]], list[Problem], list[str]]:
    """Items and bundles from a CSV or XLSX file, the problems found, and the ignored columns."""
    regions = regions or load_regions()
    name = str(path)
    override = None
    if region_override:
        override = regions.resolve(region_override)
        if override is None:
            return [], [], [Problem(name, None, "--region", f"未知区域「{region_override}」")], []
    try:
        if path.suffix.lower() == ".csv":
            sheets = {"": _read_csv(path)}
        else:
            sheets = _read_xlsx(path)
    except _FormatError as error:
        return [], [], [Problem(name, None, None, str(error))], []
    bundles, bundle_problems = read_bundle_sheets(name, sheets)
    if "事项" in sheets and "实施清单" in sheets:
        from knowledge.workbook import read_workbook

        items, problems = read_workbook(name, sheets, regions)
        return items, bundles, problems + bundle_problems, []
    if BUNDLE_SHEET in sheets and "事项" not in sheets:
        return [], bundles, bundle_problems, []  # a workbook of bundles only
    rows = next(iter(sheets.values())) if len(sheets) == 1 else sheets.get("事项") or next(iter(sheets.values()))
    items, problems, ignored = _FlatReader(name, regions, override).read(rows)
    return items, bundles, problems + bundle_problems, ignored


class _FormatError(Exception):
    pass


def _read_csv(path: Path) -> list[list[Any]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _FormatError("文件编码无法识别：请保存为 UTF-8 或 GB18030 编码的 CSV")
    if "\x00" in text:
        raise _FormatError("文件含有二进制内容，不是 CSV 文本")
    try:
        return [row for row in csv.reader(io.StringIO(text))]
    except csv.Error as error:
        raise _FormatError(f"CSV 格式错误: {error}") from None


def _read_xlsx(path: Path) -> dict[str, list[list[Any]]]:
    from knowledge.workbook import SheetReadError, read_xlsx_sheets

    try:  # bounded reading: rows, columns and decompressed size (issue #16)
        return read_xlsx_sheets(path)
    except SheetReadError as error:
        raise _FormatError(str(error)) from None


def _header_key(cell: Any) -> str:
    text = str(cell or "").strip().replace("\n", "")
    text = re.sub(r"[（(].*?[)）]$", "", text).strip()
    return text.lstrip("*＊").strip()


def _find_header(rows: list[list[Any]]) -> int | None:
    for index, row in enumerate(rows[:10]):
        keys = {_header_key(c) for c in row}
        if "事项名称" in keys or "基本编码" in keys:
            return index
    return None


def _is_blank(row: Iterable[Any]) -> bool:
    return all(c is None or str(c).strip() == "" for c in row)


class _FlatReader:
    def __init__(self, name: str, regions: RegionIndex, override: Region | None):
        self.name, self.regions, self.override = name, regions, override
        self.problems: list[Problem] = []

    def problem(self, row: int | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.name, row, field, message))

    def read(self, rows: list[list[Any]]):
        header_index = _find_header(rows)
        if header_index is None:
            self.problem(None, None, "找不到表头：需要「事项名称」和「基本编码」（或「实施编码」）列")
            return [], self.problems, []
        header = [_header_key(c) for c in rows[header_index]]
        columns = {i: KNOWN_COLUMNS[h] for i, h in enumerate(header) if h in KNOWN_COLUMNS}
        ignored = [h for h in header if h and h not in KNOWN_COLUMNS]
        present = set(columns.values())
        if "name" not in present or not ({"code", "impl_code", "row_id"} & present):
            self.problem(header_index + 1, None, "缺少必需的列：「事项名称」以及「基本编码」「实施编码」或本清单的「序号」")
            return [], self.problems, ignored
        dupes = {f for f in present if list(columns.values()).count(f) > 1}
        for field in sorted(dupes):
            cols = [header[i] for i, f in columns.items() if f == field]
            self.problem(header_index + 1, "、".join(cols), "这些列表示同一字段，只能保留一列")
        items: dict[str, dict] = {}
        for offset, row in enumerate(rows[header_index + 1:]):
            line = header_index + offset + 2
            if _is_blank(row):
                continue
            values = {field: row[i] if i < len(row) else None for i, field in columns.items()}
            self._read_row(line, values, items)
        return [(self._build(entry), entry["source"]) for entry in items.values()], self.problems, ignored

    def _parse(self, line: int, field: str, parser, value, default=None):
        try:
            return parser(value)
        except ValueError as error:
            self.problem(line, _column_name(field), str(error))
            return default

    def _read_row(self, line: int, v: dict, items: dict[str, dict]) -> None:
        impl_code = fields.text(v.get("impl_code"))
        code = fields.text(v.get("code"))
        if impl_code:
            derived = NATIONAL_BASIC_CODE.match(impl_code)
            if derived and (not code or derived.group(1).startswith(code)):
                code = derived.group(1)
        if not code and fields.text(v.get("row_id")):  # names-only list: keep its own row id
            code = self._parse(line, "row_id", fields.row_id_code, v.get("row_id"))
            if code is None:
                return
        else:
            code = self._parse(line, "code", fields.code, code)
        name = self._parse(line, "name", fields.required_text, v.get("name"))
        if code is None or name is None:
            return
        item = dict(
            name=name,
            power_type=self._parse(line, "power_type", fields.power_type, v.get("power_type")),
            department=fields.text(v.get("department")) or fields.text(v.get("body")),
            summary=fields.text(v.get("summary")),
            audience=self._parse(line, "audience", fields.string_list, v.get("audience"), ()),
            topics=self._parse(line, "topics", fields.string_list, v.get("topics"), ()),
            aliases=self._parse(line, "aliases", fields.string_list, v.get("aliases"), ()),
            conditions=self._parse(line, "conditions", fields.string_list, v.get("conditions"), ()),
            legal_basis=self._parse(line, "legal_basis", fields.string_list, v.get("legal_basis"), ()),
            materials=tuple(Material(name=m) for m in self._parse(line, "materials", fields.string_list, v.get("materials"), ())),
            flow=tuple(FlowStep(name=s) for s in self._parse(line, "flow", fields.string_list, v.get("flow"), ())),
            statutory_limit=fields.text(v.get("statutory_limit")),
            result=fields.text(v.get("result")),
        )
        entry = items.get(code)
        if entry is None:
            entry = items[code] = {"code": code, "item": item, "impls": {}, "source": SourceRef(self.name, line)}
        region = self._region(line, v, impl_code)
        if region is None:
            if entry["impls"] or entry.get("regionless"):
                self.problem(line, "基本编码", f"编码 {code} 重复（第 {entry['source'].row} 行已有），且没有区域可区分")
            entry["regionless"] = True
            return
        if region.code in entry["impls"]:
            self.problem(line, "基本编码", f"编码 {code} 在{region.name}重复（第 {entry['impls'][region.code][1]} 行已有）")
            return
        fee = self._parse(line, "fee", _fee, v.get("fee"))
        impl = Implementation(
            region_code=region.code, code=impl_code, body=fields.text(v.get("body")),
            promised_limit=fields.text(v.get("promised_limit")), fee=fee, fee_detail=fields.text(v.get("fee_detail")),
            fee_basis=fields.text(v.get("fee_basis")),
            windows=(Window(address=fields.text(v.get("address")), hours=fields.text(v.get("hours")),
                            phone=fields.text(v.get("window_phone")), directions=fields.text(v.get("directions"))),)
            if any(v.get(k) for k in ("address", "hours", "window_phone", "directions")) else (),
            consult_phone=fields.text(v.get("consult_phone")), supervision_phone=fields.text(v.get("supervision_phone")),
            online_depth=self._parse(line, "online_depth", lambda x: fields.choice(x, fields.ONLINE_DEPTHS), v.get("online_depth")),
            online_url=fields.text(v.get("online_url")),
            trips=self._parse(line, "trips", fields.integer, v.get("trips")),
            express=self._parse(line, "express", fields.boolean, v.get("express")),
            appointment=self._parse(line, "appointment", fields.boolean, v.get("appointment")),
            scope=self._parse(line, "scope", lambda x: fields.limited_choices(fields.string_list(x), fields.SCOPES), v.get("scope"), ()),
            verified=self._parse(line, "verified", fields.day, v.get("verified")),
        )
        entry["impls"][region.code] = (impl, line, item)

    def _region(self, line: int, v: dict, impl_code: str | None) -> Region | None:
        if self.override:
            return self.override
        raw = fields.text(v.get("region"))
        if raw is None and impl_code:
            segment = REGION_SEGMENT.search(impl_code)
            raw = segment.group(1) if segment else None
        if raw is None:
            return None
        region = self.regions.resolve(raw) or (self.regions.resolve(raw[:6]) if raw[:6].isdigit() else None)
        if region is None:
            self.problem(line, "区划", f"未知区域「{raw}」（可用 --region 指定本表所属区县）")
        return region

    def _build(self, entry: dict) -> Item:
        """One item from its rows: the city row (else the first) sets the standard elements."""
        impls = entry["impls"]
        standard = entry["item"]
        if "500000" in impls:
            standard = impls["500000"][2]
        result = []
        for region_code, (impl, _line, local) in impls.items():
            differs = {
                "local_name": local["name"] if local["name"] != standard["name"] else None,
                "local_power_type": local["power_type"] if local["power_type"] != standard["power_type"] else None,
                "local_materials": tuple(m.name for m in local["materials"])
                if [m.name for m in local["materials"]] != [m.name for m in standard["materials"]] else None,
            }
            result.append(Implementation(**{**{f: getattr(impl, f) for f in impl.__dataclass_fields__}, **differs}))
        return Item(code=entry["code"], implementations=tuple(result), **standard)


def _fee(value: Any) -> str | None:
    raw = fields.text(value)
    if raw is None:
        return None
    if raw in ("是", "收费", "1", "true", "True"):
        return "收费"
    if raw in ("否", "不收费", "0", "false", "False", "免费"):
        return "不收费"
    raise ValueError(f"「{raw}」不是 是/否")


def _column_name(field: str) -> str:
    for column, mapped in KNOWN_COLUMNS.items():
        if mapped == field:
            return column
    return field
