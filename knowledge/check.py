"""The completeness and consistency report of the catalog (`./yuban catalog check`)."""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from knowledge.fields import ROW_ID_PREFIX, is_row_id_code, is_valid_phone, is_valid_url
from knowledge.records import Bundle, Item
from knowledge.regions import RegionIndex, load_regions

STALE_AFTER_DAYS = 180
ITEM_ELEMENTS = {
    "power_type": "权力类型", "department": "部门", "materials": "申请材料", "conditions": "受理条件",
    "flow": "办理流程", "statutory_limit": "法定办结时限", "result": "办理结果", "implementations": "实施清单",
}
IMPL_ELEMENTS = {
    "body": "实施主体", "promised_limit": "承诺办结时限", "fee": "是否收费", "consult_phone": "咨询电话",
    "windows": "办理窗口", "verified": "信息核验日期",
}


@dataclass
class Finding:
    kind: str
    code: str
    name: str
    detail: str
    region: str | None = None


@dataclass
class CheckReport:
    items: int = 0
    implementations: int = 0
    bundles: int = 0
    findings: list[Finding] = field(default_factory=list)

    def by_kind(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = defaultdict(list)
        for finding in self.findings:
            grouped[finding.kind].append(finding)
        return dict(grouped)

    def to_json(self) -> dict:
        return {
            "items": self.items, "implementations": self.implementations, "bundles": self.bundles,
            "counts": {kind: len(found) for kind, found in self.by_kind().items()},
            "findings": [vars(f) for f in self.findings],
        }


KINDS = {
    "standard_violation": "三级四同不一致",
    "missing_element": "缺少要素",
    "missing_code": "缺少国家基本编码（以清单行号标识）",
    "duplicate_name": "事项名称重复",
    "bad_phone": "电话格式错误",
    "bad_link": "链接格式错误",
    "stale": f"信息核验超过 {STALE_AFTER_DAYS} 天或未核验",
    "missing_region": "部分区县缺少实施清单",
    "bundle_missing_item": "联办事项引用的事项不在目录中",
    "bundle_incomplete": "联办事项缺少要素",
}
BUNDLE_ELEMENTS = {"window": "联办窗口", "promised_limit": "承诺总时限", "verified": "信息核验日期"}


def check_catalog(items: list[Item], today: date | None = None, regions: RegionIndex | None = None,
                  bundles: list[Bundle] = ()) -> CheckReport:
    today = today or date.today()
    regions = regions or load_regions()
    local_codes = {r.code for r in regions.local()}
    report = CheckReport(items=len(items), implementations=sum(len(i.implementations) for i in items))
    add = report.findings.append
    names = Counter(item.name for item in items)
    for item in items:
        if is_row_id_code(item.code):
            add(Finding("missing_code", item.code, item.name, f"清单行号 {item.code[len(ROW_ID_PREFIX):]}"))
        for attr, label in ITEM_ELEMENTS.items():
            if not getattr(item, attr):
                add(Finding("missing_element", item.code, item.name, label))
        if names[item.name] > 1:
            others = sorted(i.code for i in items if i.name == item.name and i.code != item.code)
            add(Finding("duplicate_name", item.code, item.name, f"与 {'、'.join(others)} 同名"))
        for impl in item.implementations:
            region = regions.by_code.get(impl.region_code)
            where = region.name if region else impl.region_code
            _check_standard(item, impl, where, add)
            for attr, label in IMPL_ELEMENTS.items():
                if not getattr(impl, attr):
                    add(Finding("missing_element", item.code, item.name, label, where))
            phones = [impl.consult_phone, impl.supervision_phone] + [w.phone for w in impl.windows]
            for phone in filter(None, phones):
                if not is_valid_phone(phone):
                    add(Finding("bad_phone", item.code, item.name, phone, where))
            if impl.online_url and not is_valid_url(impl.online_url):
                add(Finding("bad_link", item.code, item.name, impl.online_url, where))
            if impl.verified and impl.verified < today - timedelta(days=STALE_AFTER_DAYS):
                add(Finding("stale", item.code, item.name, f"最后核验 {impl.verified.isoformat()}", where))
        present = {impl.region_code for impl in item.implementations} & local_codes
        if 2 <= len(present) < len(local_codes):
            missing = [r.name for r in regions.local() if r.code not in present]
            add(Finding("missing_region", item.code, item.name, f"缺 {len(missing)} 个: {'、'.join(missing[:8])}{'…' if len(missing) > 8 else ''}"))
    _check_bundles(bundles, {item.code for item in items}, add)
    report.bundles = len(bundles)
    return report


def _check_bundles(bundles: list[Bundle], known: set[str], add) -> None:
    for bundle in bundles:
        for index, code in enumerate(bundle.item_codes(), 1):
            if code not in known:
                add(Finding("bundle_missing_item", bundle.code, bundle.name, f"第{index}项 {code} 不存在"))
        for attr, label in BUNDLE_ELEMENTS.items():
            if not getattr(bundle, attr):
                add(Finding("bundle_incomplete", bundle.code, bundle.name, label))
        if len(bundle.steps) < 2:
            add(Finding("bundle_incomplete", bundle.code, bundle.name, "联办事项应至少包含 2 个事项"))


def _check_standard(item: Item, impl, where: str, add) -> None:
    if impl.local_name:
        add(Finding("standard_violation", item.code, item.name, f"名称为「{impl.local_name}」", where))
    if impl.local_power_type:
        add(Finding("standard_violation", item.code, item.name, f"权力类型为「{impl.local_power_type}」", where))
    if impl.local_materials is not None:
        add(Finding("standard_violation", item.code, item.name, f"申请材料不同（{len(impl.local_materials)} 项）", where))


def render_text(report: CheckReport, examples: int = 10) -> str:
    lines = [f"目录检查：{report.items} 个事项，{report.implementations} 条实施清单"
             + (f"，{report.bundles} 个联办事项" if report.bundles else "")]
    grouped = report.by_kind()
    if not grouped:
        lines.append("未发现问题。")
    for kind, label in KINDS.items():
        found = grouped.get(kind, [])
        if not found:
            continue
        lines.append(f"\n【{label}】{len(found)} 处")
        if kind == "missing_element":
            counts = Counter(f.detail for f in found)
            lines += [f"  {element}: {count} 处" for element, count in counts.most_common()]
        for f in found[:examples]:
            region = f" [{f.region}]" if f.region else ""
            lines.append(f"  - {f.code} {f.name}{region}: {f.detail}")
        if len(found) > examples:
            lines.append(f"  … 另有 {len(found) - examples} 处")
    return "\n".join(lines)
