"""Bundles (一件事一次办) in the catalog files: the YAML `bundles:` form and the XLSX sheets.

A YAML file may hold `bundles:` beside (or instead of) `items:`; the workbook holds them in
the sheets 联办事项 (one row per bundle) and 联办环节 (one row per item of a bundle, in order).
Readers collect every problem with its file, row and field, like the item readers.
"""
from __future__ import annotations

from typing import Any

from knowledge import fields
from knowledge.errors import Problem
from knowledge.records import Bundle, BundleStep, SourceRef, to_plain

BUNDLE_KEYS = {
    "code", "name", "aliases", "summary", "topics", "lead_department", "items", "window", "city_window", "form",
    "online_url", "promised_limit", "verified",
}
STEP_KEYS = {"code", "optional", "condition"}

BUNDLE_SHEET = "联办事项"
STEP_SHEET = "联办环节"
# (header, attribute, parser) — parser None means plain text
BUNDLE_COLUMNS = [
    ("联办编码", "code", fields.code), ("联办名称", "name", fields.required_text), ("俗称", "aliases", fields.line_list),
    ("概述", "summary", None), ("主题分类", "topics", fields.line_list), ("牵头部门", "lead_department", None),
    ("联办窗口", "window", None), ("市级联办窗口", "city_window", None), ("一表申请", "form", None),
    ("网办地址", "online_url", None), ("承诺总时限", "promised_limit", None), ("信息核验日期", "verified", fields.day),
    ("演示数据", "demonstration", fields.boolean),
]
STEP_COLUMNS = [("基本编码", "item_code", fields.code), ("是否可选", "optional", fields.boolean), ("适用情形", "condition", None)]


# ---------------------------------------------------------------- YAML

def read_yaml_bundles(path: str, raw: Any, lines: list[int], demonstration: bool
                      ) -> tuple[list[tuple[Bundle, SourceRef]], list[Problem]]:
    """Bundles of a YAML file's `bundles:` list (`lines`: where each entry starts)."""
    problems: list[Problem] = []
    if not isinstance(raw, list):
        return [], [Problem(path, None, "bundles", "应为联办事项列表")]
    result = []
    for index, entry in enumerate(raw):
        row = lines[index] if index < len(lines) else None
        bundle = _read_yaml_bundle(path, row, entry, demonstration, problems)
        if bundle is not None:
            result.append((bundle, SourceRef(path, row)))
    return result, problems


def _read_yaml_bundle(path: str, row: int | None, raw: Any, demonstration: bool, problems: list[Problem]) -> Bundle | None:
    def problem(field: str | None, message: str) -> None:
        problems.append(Problem(path, row, field, message))

    def parse(field: str, parser, value: Any, default: Any = None) -> Any:
        try:
            return parser(value)
        except ValueError as error:
            problem(field, str(error))
            return default

    if not isinstance(raw, dict):
        problem(None, "联办事项应为映射")
        return None
    for key in sorted(set(raw) - BUNDLE_KEYS, key=str):
        problem(str(key), "未知字段")
    code = parse("code", fields.code, raw.get("code"))
    name = parse("name", fields.required_text, raw.get("name"))
    steps = _read_yaml_steps(raw.get("items"), problem, parse)
    if code is None or name is None:
        return None
    return Bundle(
        code=code, name=name,
        aliases=parse("aliases", fields.string_list, raw.get("aliases"), ()),
        summary=fields.text(raw.get("summary")),
        topics=parse("topics", fields.string_list, raw.get("topics"), ()),
        lead_department=fields.text(raw.get("lead_department")),
        steps=steps,
        window=fields.text(raw.get("window")), city_window=fields.text(raw.get("city_window")),
        form=fields.text(raw.get("form")), online_url=fields.text(raw.get("online_url")),
        promised_limit=fields.text(raw.get("promised_limit")),
        verified=parse("verified", fields.day, raw.get("verified")),
        demonstration=demonstration,
    )


def _read_yaml_steps(raw: Any, problem, parse) -> tuple[BundleStep, ...]:
    if not isinstance(raw, list) or not raw:
        problem("items", "应为至少一个事项的列表（每项给出 code）")
        return ()
    steps: list[BundleStep] = []
    for index, entry in enumerate(raw):
        field = f"items[{index + 1}]"
        if isinstance(entry, str):
            entry = {"code": entry}
        if not isinstance(entry, dict):
            problem(field, "应为事项编码或映射")
            continue
        for key in sorted(set(entry) - STEP_KEYS, key=str):
            problem(f"{field}.{key}", "未知字段")
        code = parse(f"{field}.code", fields.code, entry.get("code"))
        if code is None:
            continue
        optional = parse(f"{field}.optional", fields.boolean, entry.get("optional"), False) is True
        condition = fields.text(entry.get("condition"))
        if optional and not condition:
            problem(f"{field}.condition", "可选事项应说明适用情形")
        if any(step.item_code == code for step in steps):
            problem(f"{field}.code", f"事项 {code} 重复")
            continue
        steps.append(BundleStep(item_code=code, optional=optional, condition=condition))
    return tuple(steps)


def bundle_to_yaml_dict(bundle: Bundle) -> dict[str, Any]:
    """A bundle as the YAML the reader reads back to the same bundle."""
    plain = to_plain(bundle)
    plain.pop("demonstration", None)
    plain.pop("steps", None)
    ordered: dict[str, Any] = {}
    for key in ("code", "name", "aliases", "summary", "topics", "lead_department"):
        if key in plain:
            ordered[key] = plain.pop(key)
    ordered["items"] = [
        {"code": s.item_code, **({"optional": True} if s.optional else {}), **({"condition": s.condition} if s.condition else {})}
        for s in bundle.steps
    ]
    ordered.update(plain)
    return ordered


# ---------------------------------------------------------------- XLSX

def _cell(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (tuple, list)):
        return "\n".join(str(v) for v in value)
    return value


def write_bundle_sheets(workbook, bundles: list[Bundle]) -> None:
    """Append the 联办事项 and 联办环节 sheets to a write-only openpyxl workbook."""
    main, steps = workbook.create_sheet(BUNDLE_SHEET), workbook.create_sheet(STEP_SHEET)
    main.append([h for h, _, _ in BUNDLE_COLUMNS])
    steps.append(["联办编码", "序号"] + [h for h, _, _ in STEP_COLUMNS])
    for bundle in bundles:
        main.append([_cell(getattr(bundle, a)) for _, a, _ in BUNDLE_COLUMNS])
        for index, step in enumerate(bundle.steps, 1):
            steps.append([bundle.code, index] + [_cell(getattr(step, a)) for _, a, _ in STEP_COLUMNS])


def read_bundle_sheets(file: str, sheets: dict[str, list[list[Any]]]) -> tuple[list[tuple[Bundle, SourceRef]], list[Problem]]:
    """Bundles from the 联办事项 / 联办环节 sheets (none when the workbook has no such sheet)."""
    if BUNDLE_SHEET not in sheets:
        return [], []
    problems: list[Problem] = []
    step_rows: dict[str, list[BundleStep]] = {}
    for line, keys, values in _records(file, STEP_SHEET, sheets.get(STEP_SHEET, []), STEP_COLUMNS, ("联办编码",), problems):
        if values.get("item_code") is None:
            continue
        step_rows.setdefault(keys["联办编码"] or "", []).append(BundleStep(
            item_code=values["item_code"], optional=values.get("optional") is True, condition=values.get("condition")))
    result = []
    for line, _keys, values in _records(file, BUNDLE_SHEET, sheets[BUNDLE_SHEET], BUNDLE_COLUMNS, (), problems):
        if values.get("code") is None or values.get("name") is None:
            continue
        code = values["code"]
        steps = tuple(step_rows.get(code, ()))
        if not steps:
            problems.append(Problem(f"{file}#{BUNDLE_SHEET}", line, "联办编码", f"联办事项 {code} 在「{STEP_SHEET}」表中没有事项"))
        result.append((Bundle(**{**values, "aliases": values.get("aliases") or (), "topics": values.get("topics") or (),
                                 "demonstration": bool(values.get("demonstration"))}, steps=steps),
                       SourceRef(f"{file}#{BUNDLE_SHEET}", line)))
    known = {bundle.code for bundle, _ in result}
    for code in sorted(set(step_rows) - known):
        problems.append(Problem(f"{file}#{STEP_SHEET}", None, "联办编码", f"编码 {code} 不在「{BUNDLE_SHEET}」表中"))
    return result, problems


def _records(file: str, title: str, rows: list[list[Any]], spec: list, keys: tuple[str, ...],
             problems: list[Problem]) -> list[tuple[int, dict, dict]]:
    header = [str(c).strip() if c is not None else "" for c in (rows[0] if rows else [])]
    required = keys + tuple(h for h, _, p in spec if p in (fields.required_text, fields.code))
    missing = [h for h in required if h not in header]
    if missing:
        problems.append(Problem(f"{file}#{title}", 1, "、".join(missing), "缺少列"))
        return []
    out = []
    for offset, row in enumerate(rows[1:]):
        if all(c is None or str(c).strip() == "" for c in row):
            continue
        line = offset + 2
        raw = {h: (row[i] if i < len(row) else None) for i, h in enumerate(header)}
        values = {}
        for column, attr, parser in spec:
            try:
                values[attr] = parser(raw.get(column)) if parser else fields.text(raw.get(column))
            except ValueError as error:
                problems.append(Problem(f"{file}#{title}", line, column, str(error)))
                values[attr] = None
        out.append((line, {k: fields.text(raw.get(k)) for k in keys}, values))
    return out
