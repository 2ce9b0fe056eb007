"""The repository's own source format: YAML, one file per department or per item.

See docs/catalog-format.md. Reading validates every field and collects all problems
before anything is written; an implementation template is expanded here into one
implementation per region so the database only ever holds explicit rows.
"""
from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any, Callable

import yaml

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from knowledge import fields
from knowledge.errors import Problem
from knowledge.bundle_source import bundle_to_yaml_dict, read_yaml_bundles
from knowledge.records import (
    CITY_CODE, Bundle, Faq, FlowStep, Implementation, Item, Material, SourceRef, Window, to_plain,
)
from knowledge.regions import Region, RegionIndex, load_regions

DEFAULT_SUPERVISION_PHONE = "023-12345"
ITEM_KEYS = {
    "code", "name", "power_type", "department", "audience", "topics", "aliases", "summary",
    "conditions", "legal_basis", "materials", "flow", "statutory_limit", "result", "faq",
    "implementation", "implementations",
}


class _Reader:
    """Collects problems while turning one file's YAML tree into items."""

    def __init__(self, path: str, regions: RegionIndex):
        self.path = path
        self.regions = regions
        self.problems: list[Problem] = []

    def problem(self, row: int | None, field: str | None, message: str) -> None:
        self.problems.append(Problem(self.path, row, field, message))

    def parse(self, row: int | None, field: str, parser: Callable[[Any], Any], value: Any, default: Any = None) -> Any:
        try:
            return parser(value)
        except ValueError as error:
            self.problem(row, field, str(error))
            return default


def read_yaml_file(path: Path, regions: RegionIndex | None = None) -> tuple[list[tuple[Item, SourceRef]], list[Problem]]:
    """Items of one YAML file with where each came from, and the problems found."""
    items, _bundles, problems = read_yaml_source(path, regions)
    return items, problems


def read_yaml_source(path: Path, regions: RegionIndex | None = None
                     ) -> tuple[list[tuple[Item, SourceRef]], list[tuple[Bundle, SourceRef]], list[Problem]]:
    """Items and bundles of one YAML file with where each came from, and the problems found."""
    regions = regions or load_regions()
    reader = _Reader(str(path), regions)
    try:
        raw = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        return [], [], [Problem(str(path), None, None, f"文件不是 UTF-8 编码（第 {error.start} 字节）")]
    refused = _anchors_and_aliases(str(path), raw)
    if refused:
        return [], [], refused
    try:
        data = yaml.load(raw, Loader=_Loader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark else None
        return [], [], [Problem(str(path), row, None, f"YAML 语法错误: {getattr(error, 'problem', error)}")]
    except ValueError as error:  # a well-formed scalar with an impossible value, e.g. 2026-13-45
        return [], [], [Problem(str(path), None, None, f"YAML 取值错误: {error}")]
    if not isinstance(data, dict):
        return [], [], [Problem(str(path), None, None, "文件内容应为一个映射（department/items 或单个事项）")]

    demonstration = bool(data.get("demonstration", False))
    bundles: list[tuple[Bundle, SourceRef]] = []
    if "bundles" in data:
        bundles, bundle_problems = read_yaml_bundles(str(path), data["bundles"], _item_lines(raw, "bundles"), demonstration)
        reader.problems += bundle_problems
    department = data.get("department") or {}
    if isinstance(department, str):
        department = {"name": department}
    if "items" in data:
        raw_items = data["items"]
        if not isinstance(raw_items, list):
            reader.problem(None, "items", "应为事项列表")
            raw_items = []
    elif "bundles" in data:
        raw_items = []
    elif "code" in data or "name" in data:
        raw_items = [{k: v for k, v in data.items() if k not in ("demonstration",)}]
        if isinstance(data.get("department"), str):
            raw_items[0]["department"] = data["department"]
    else:
        reader.problem(None, None, "未找到 items 列表或事项字段（code、name）")
        raw_items = []

    lines = _item_lines(raw)
    results = []
    for index, raw_item in enumerate(raw_items):
        row = lines[index] if index < len(lines) else None
        if not isinstance(raw_item, dict):
            reader.problem(row, None, "事项应为映射")
            continue
        item = _read_item(reader, row, raw_item, department, demonstration)
        if item is not None:
            results.append((item, SourceRef(str(path), row)))
    return results, bundles, reader.problems


def _anchors_and_aliases(path: str, raw: str) -> list[Problem]:
    """Anchors (&a) and aliases (*a) are refused before the file is loaded.

    An alias shares one node, so a few hundred bytes of nested aliases ("billion laughs")
    load as a small graph that expands to gigabytes when a field is turned into a string.
    Catalog files never need them; the parser's events are read one by one (no tree)."""
    problems: list[Problem] = []
    try:
        for event in yaml.parse(raw, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                kind = "别名（*）" if isinstance(event, yaml.AliasEvent) else "锚点（&）"
                problems.append(Problem(path, event.start_mark.line + 1, None,
                                        f"不允许使用 YAML {kind}「{event.anchor}」：请把内容直接写出，文件未导入"))
                if len(problems) >= 20:
                    break
    except yaml.YAMLError:
        return []  # the loader reports the syntax error with its line
    return problems


def _item_lines(raw: str, key: str = "items") -> list[int]:
    """Line numbers where each entry of `items:` (or `key`) starts, for error messages."""
    try:
        node = yaml.compose(raw, Loader=_Loader)
    except yaml.YAMLError:
        return []
    if not isinstance(node, yaml.MappingNode):
        return []
    key_name = key
    for key, value in node.value:
        if key.value == key_name and isinstance(value, yaml.SequenceNode):
            return [child.start_mark.line + 1 for child in value.value]
    return [1]


def _read_item(reader: _Reader, row: int | None, raw: dict, department: dict, demonstration: bool) -> Item | None:
    unknown = set(raw) - ITEM_KEYS
    for key in sorted(unknown, key=str):
        reader.problem(row, str(key), "未知字段")
    code = reader.parse(row, "code", fields.code, raw.get("code"))
    name = reader.parse(row, "name", fields.required_text, raw.get("name"))
    if code is None or name is None:
        return None
    dept_name = fields.text(raw.get("department")) or fields.text(department.get("name"))
    materials = tuple(m for m in (_read_material(reader, row, i, m) for i, m in enumerate(raw.get("materials") or [])) if m)
    flow = tuple(s for s in (_read_step(reader, row, i, s) for i, s in enumerate(raw.get("flow") or [])) if s)
    faq = tuple(
        Faq(q=str(f.get("q", "")).strip(), a=str(f.get("a", "")).strip())
        for f in (raw.get("faq") or []) if isinstance(f, dict) and f.get("q")
    )
    if "implementations" in raw:
        implementations = _read_explicit(reader, row, code, raw.get("implementations") or [], department)
    elif "implementation" in raw:
        implementations = _expand_template(reader, row, code, raw.get("implementation") or {}, department)
    else:
        implementations = ()
    return Item(
        code=code,
        name=name,
        power_type=reader.parse(row, "power_type", fields.power_type, raw.get("power_type")),
        department=dept_name,
        audience=reader.parse(row, "audience", lambda v: fields.limited_choices(fields.string_list(v), fields.AUDIENCES), raw.get("audience"), ()),
        topics=reader.parse(row, "topics", fields.string_list, raw.get("topics"), ()),
        aliases=reader.parse(row, "aliases", fields.string_list, raw.get("aliases"), ()),
        summary=fields.text(raw.get("summary")),
        conditions=reader.parse(row, "conditions", fields.string_list, raw.get("conditions"), ()),
        legal_basis=reader.parse(row, "legal_basis", fields.string_list, raw.get("legal_basis"), ()),
        materials=materials,
        flow=flow,
        statutory_limit=fields.text(raw.get("statutory_limit")),
        result=fields.text(raw.get("result")),
        faq=faq,
        implementations=implementations,
        demonstration=demonstration,
    )


def _read_material(reader: _Reader, row: int | None, index: int, raw: Any) -> Material | None:
    field = f"materials[{index + 1}]"
    if isinstance(raw, str):
        return Material(name=raw.strip())
    if not isinstance(raw, dict):
        reader.problem(row, field, "材料应为名称或映射")
        return None
    name = reader.parse(row, f"{field}.name", fields.required_text, raw.get("name"))
    if name is None:
        return None
    return Material(
        name=name,
        required=reader.parse(row, f"{field}.required", fields.boolean, raw.get("required", True), True) is not False,
        condition=fields.text(raw.get("condition")),
        form=reader.parse(row, f"{field}.form", lambda v: fields.choice(v, fields.FORMS), raw.get("form")),
        copies=reader.parse(row, f"{field}.copies", fields.integer, raw.get("copies")),
        medium=reader.parse(row, f"{field}.medium", lambda v: fields.choice(v, fields.MEDIA), raw.get("medium")),
        source=fields.text(raw.get("source")),
        waived=bool(reader.parse(row, f"{field}.waived", fields.boolean, raw.get("waived", False), False)),
        notes=fields.text(raw.get("notes")),
    )


def _read_step(reader: _Reader, row: int | None, index: int, raw: Any) -> FlowStep | None:
    if isinstance(raw, str):
        return FlowStep(name=raw.strip())
    if not isinstance(raw, dict) or not fields.text(raw.get("name")):
        reader.problem(row, f"flow[{index + 1}]", "流程步骤应有 name")
        return None
    return FlowStep(name=fields.text(raw["name"]), description=fields.text(raw.get("description")),
                    time_limit=fields.text(raw.get("time_limit")))


def _common_impl_fields(reader: _Reader, row: int | None, prefix: str, raw: dict) -> dict[str, Any]:
    p = f"{prefix}." if prefix else ""
    return dict(
        promised_limit=fields.text(raw.get("promised_limit")),
        fee=reader.parse(row, f"{p}fee", lambda v: fields.choice(v, fields.FEES), raw.get("fee")),
        fee_detail=fields.text(raw.get("fee_detail")),
        fee_basis=fields.text(raw.get("fee_basis")),
        online_depth=reader.parse(row, f"{p}online_depth", lambda v: fields.choice(v, fields.ONLINE_DEPTHS), raw.get("online_depth")),
        online_url=fields.text(raw.get("online_url")),
        trips=reader.parse(row, f"{p}trips", fields.integer, raw.get("trips")),
        express=reader.parse(row, f"{p}express", fields.boolean, raw.get("express")),
        appointment=reader.parse(row, f"{p}appointment", fields.boolean, raw.get("appointment")),
        scope=reader.parse(row, f"{p}scope", lambda v: fields.limited_choices(fields.string_list(v), fields.SCOPES), raw.get("scope"), ()),
        verified=reader.parse(row, f"{p}verified", fields.day, raw.get("verified")),
    )


def _read_explicit(reader: _Reader, row: int | None, code: str, raw: Any, department: dict) -> tuple[Implementation, ...]:
    if not isinstance(raw, list):
        reader.problem(row, "implementations", "应为列表")
        return ()
    result: dict[str, Implementation] = {}
    for index, entry in enumerate(raw):
        field = f"implementations[{index + 1}]"
        if not isinstance(entry, dict):
            reader.problem(row, field, "应为映射")
            continue
        region = reader.regions.resolve(str(entry.get("region", "")))
        if region is None:
            reader.problem(row, f"{field}.region", f"未知区域「{entry.get('region')}」")
            continue
        if region.code in result:
            reader.problem(row, f"{field}.region", f"区域「{region.name}」重复")
            continue
        windows = tuple(
            Window(**{k: fields.text(w.get(k)) for k in ("name", "address", "hours", "phone", "directions")})
            for w in (entry.get("windows") or []) if isinstance(w, dict)
        )
        result[region.code] = Implementation(
            region_code=region.code,
            body=fields.text(entry.get("body")) or _body(department, region),
            code=fields.text(entry.get("code")) or implementation_code(code, region, department),
            windows=windows,
            consult_phone=fields.text(entry.get("consult_phone")),
            supervision_phone=fields.text(entry.get("supervision_phone")),
            **_common_impl_fields(reader, row, field, entry),
        )
    return tuple(result.values())


def _expand_template(reader: _Reader, row: int | None, code: str, raw: Any, department: dict) -> tuple[Implementation, ...]:
    if not isinstance(raw, dict):
        reader.problem(row, "implementation", "应为映射")
        return ()
    levels = fields.string_list(raw.get("levels") or ["district"])
    bad = [lv for lv in levels if lv not in ("city", "district", "township")]
    if bad:
        reader.problem(row, "implementation.levels", f"未知层级 {bad}（可用 city、district、township）")
        return ()
    common = _common_impl_fields(reader, row, "implementation", raw)
    targets: list[tuple[Region, str]] = []
    if "city" in levels:
        targets.append((reader.regions.city(), "city"))
    if "district" in levels or "township" in levels:
        level = "district" if "district" in levels else "township"
        targets += [(region, level) for region in reader.regions.local()]
    result = []
    for region, level in targets:
        body = _body(department, region, township=(level == "township"))
        window_tpl = department.get("window") or {}
        address_tpl = window_tpl.get("city_address") if region.code == CITY_CODE else window_tpl.get("address")
        phone = demo_phone(department, region) if region.code != CITY_CODE else (
            fields.text(department.get("consult_phone")) or demo_phone(department, region))
        window = Window(
            name=fields.text(raw.get("window_name")) or f"{fields.text(department.get('short')) or '综合'}窗口",
            address=_fill(address_tpl, region) or f"{region.name}政务服务中心",
            hours=fields.text(window_tpl.get("hours")) or "周一至周五 9:00-12:00，13:30-17:00（法定节假日除外）",
            phone=phone,
        )
        result.append(Implementation(
            region_code=region.code,
            body=body,
            code=implementation_code(code, region, department),
            windows=(window,),
            consult_phone=phone,
            supervision_phone=fields.text(raw.get("supervision_phone")) or fields.text(department.get("supervision_phone")) or DEFAULT_SUPERVISION_PHONE,
            **common,
        ))
    return tuple(result)


def _fill(template: Any, region: Region) -> str | None:
    value = fields.text(template)
    return value.replace("{region}", region.name) if value else None


def _body(department: dict, region: Region, township: bool = False) -> str | None:
    name = fields.text(department.get("name"))
    if region.code == CITY_CODE:
        return name
    if township and department.get("township_body"):
        return _fill(department["township_body"], region)
    if region.level == "zone" and department.get("zone_body"):
        return _fill(department["zone_body"], region)
    return _fill(department.get("district_body"), region) or name


def _digits(*parts: str, count: int) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return str(int(digest, 16))[-count:].zfill(count)


def demo_phone(department: dict, region: Region) -> str:
    """A well-formed, deterministic demonstration phone number for a department's office."""
    return f"023-6{_digits(str(department.get('slug') or department.get('name')), region.code, count=7)}"


def implementation_code(basic_code: str, region: Region, department: dict) -> str:
    """The national implementation-code shape: 基本编码-区划代码000000-000-信用代码-1-00."""
    credit = f"115{region.code}{_digits(str(department.get('name')), region.code, count=8)}X"
    return f"{basic_code}-{region.code}000000-000-{credit}-1-00"


# ---------------------------------------------------------------- writing

def item_to_yaml_dict(item: Item, regions: RegionIndex | None = None) -> dict[str, Any]:
    """An item as the explicit YAML the importer reads back to the same item."""
    regions = regions or load_regions()
    plain = to_plain(item)
    plain.pop("demonstration", None)
    implementations = []
    for impl in item.implementations:
        entry = to_plain(impl)
        region_code = entry.pop("region_code")
        entry = {"region": regions.by_code[region_code].name if region_code in regions.by_code else region_code, **entry}
        implementations.append(entry)
    plain.pop("implementations", None)
    if implementations:
        plain["implementations"] = implementations
    for material in plain.get("materials", []):
        if material.get("waived") is False:
            material.pop("waived")
    return plain


def dump_department_file(path: Path, department: str | None, items: list[Item], demonstration: bool) -> None:
    data: dict[str, Any] = {}
    if demonstration:
        data["demonstration"] = True
    if department:
        data["department"] = {"name": department}
    data["items"] = [item_to_yaml_dict(item) for item in items]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")


def dump_bundle_file(path: Path, bundles: list[Bundle], demonstration: bool) -> None:
    data: dict[str, Any] = {"demonstration": True} if demonstration else {}
    data["bundles"] = [bundle_to_yaml_dict(bundle) for bundle in bundles]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120), encoding="utf-8")
