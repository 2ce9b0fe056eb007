"""Guide answers as short Chinese text for a phone screen, from catalog facts only.

Every answer names the item, its code and the date the information was verified; a
fact the catalog does not hold is said to be missing, never guessed.
"""
from __future__ import annotations

from knowledge.records import Implementation, Item, Material

ASPECTS = ("materials", "department", "flow", "time_limit", "fee", "conditions", "online", "overview")
ASPECT_LABELS = {
    "materials": "所需材料", "department": "办理部门和窗口", "flow": "办理流程", "time_limit": "办理时限",
    "fee": "收费", "conditions": "办理条件", "online": "网上办理和跑动次数", "overview": "事项概要",
}
MATERIALS_PAGE = 5
ONLINE_DEPTH = {"一级": "网上可查询办事指南", "二级": "可在网上下载表格", "三级": "可网上预审，现场只跑一次",
                "四级": "可全程网上办理"}
HOTLINE = "12345"
MISSING = "目录中暂无该信息，可拨打{phone}咨询。"


def footer(item: Item, impl: Implementation | None) -> str:
    """Code and verification date; without a region, the newest date of any region."""
    dates = [impl.verified] if impl and impl.verified else [i.verified for i in item.implementations if i.verified]
    verified = max(dates).isoformat() if dates else "未注明"
    demo = "（演示数据）" if item.demonstration else ""
    return f"事项编码 {item.code} · 信息核验 {verified}{demo}"


def heading(item: Item, aspect: str, district: str | None) -> str:
    where = f"（{district}）" if district else ""
    return f"【{item.name}】{ASPECT_LABELS[aspect]}{where}"


def consult_phone(impl: Implementation | None) -> str:
    return (impl.consult_phone if impl and impl.consult_phone else None) or f"{HOTLINE}热线"


def describe_material(material: Material) -> str:
    parts = [p for p in (material.form, f"{material.copies}份" if material.copies else None) if p]
    detail = f"（{'，'.join(parts)}）" if parts else ""
    condition = f"［{material.condition}］" if material.condition and not material.required else ""
    waived = "（可免提交，部门共享获取）" if material.waived else ""
    return f"{material.name}{detail}{condition}{waived}"


def ordered_materials(item: Item) -> list[Material]:
    """Required first, then conditional ones, each group in catalog order."""
    return [m for m in item.materials if m.required] + [m for m in item.materials if not m.required]


def render_materials(item: Item, impl: Implementation | None, offset: int = 0) -> tuple[str, int | None]:
    """A page of materials and the offset of the next page (None when nothing is left)."""
    materials = ordered_materials(item)
    if not materials:
        return MISSING.format(phone=consult_phone(impl)), None
    page = materials[offset:offset + MATERIALS_PAGE]
    lines = []
    for index, material in enumerate(page, start=offset + 1):
        if index == 1 and material.required:
            lines.append("必交材料：")
        if not material.required and (index == 1 or materials[index - 2].required):
            lines.append("视情况提交：")
        lines.append(f"{index}. {describe_material(material)}")
    next_offset = offset + MATERIALS_PAGE
    if next_offset < len(materials):
        lines.append(f"共{len(materials)}项，回复“更多”查看其余{len(materials) - next_offset}项。")
        return "\n".join(lines), next_offset
    return "\n".join(lines), None


def render_department(item: Item, impl: Implementation | None) -> str:
    if impl is None:
        return MISSING.format(phone=f"{HOTLINE}热线")
    lines = [f"实施主体：{impl.body or '未注明'}"]
    for window in impl.windows[:2]:
        if window.address:
            lines.append(f"办理地点：{window.address}" + (f"（{window.name}）" if window.name else ""))
        if window.hours:
            lines.append(f"办公时间：{window.hours}")
        if window.phone and window.phone != impl.consult_phone:
            lines.append(f"窗口电话：{window.phone}")
        if window.directions:
            lines.append(f"交通指引：{window.directions}")
    lines.append(f"咨询电话：{consult_phone(impl)}")
    if impl.appointment:
        lines.append("支持预约办理。")
    return "\n".join(lines)


def render_flow(item: Item, impl: Implementation | None) -> str:
    if not item.flow:
        return MISSING.format(phone=consult_phone(impl))
    lines = []
    for index, step in enumerate(item.flow, 1):
        limit = f"（{step.time_limit}）" if step.time_limit else ""
        description = f"：{step.description}" if step.description else ""
        lines.append(f"{index}. {step.name}{limit}{description}")
    return "\n".join(lines)


def render_time_limit(item: Item, impl: Implementation | None) -> str:
    lines = []
    if impl and impl.promised_limit:
        lines.append(f"承诺办结时限：{impl.promised_limit}")
    if item.statutory_limit:
        lines.append(f"法定办结时限：{item.statutory_limit}")
    return "\n".join(lines) or MISSING.format(phone=consult_phone(impl))


def render_fee(item: Item, impl: Implementation | None) -> str:
    if impl is None or not impl.fee:
        return MISSING.format(phone=consult_phone(impl))
    if impl.fee == "不收费":
        return "不收费。"
    lines = [f"收费：{impl.fee_detail or '收费标准未注明，请咨询' + consult_phone(impl)}"]
    if impl.fee_basis:
        lines.append(f"收费依据：{impl.fee_basis}")
    return "\n".join(lines)


def render_conditions(item: Item, impl: Implementation | None) -> str:
    if not item.conditions:
        return MISSING.format(phone=consult_phone(impl))
    return "\n".join(f"{i}. {c}" for i, c in enumerate(item.conditions, 1))


def render_online(item: Item, impl: Implementation | None) -> str:
    if impl is None:
        return MISSING.format(phone=f"{HOTLINE}热线")
    lines = []
    if impl.online_depth:
        lines.append(f"网上办理：{ONLINE_DEPTH.get(impl.online_depth, impl.online_depth)}")
    if impl.online_url:
        lines.append(f"办理入口：{impl.online_url}")
    if impl.trips is not None:
        lines.append("跑动次数：0次，不用跑腿" if impl.trips == 0 else f"跑动次数：最多{impl.trips}次")
    if impl.express:
        lines.append("办理结果可快递送达。")
    if impl.scope:
        lines.append(f"通办范围：{'、'.join(impl.scope)}")
    return "\n".join(lines) or MISSING.format(phone=consult_phone(impl))


def render_overview(item: Item, impl: Implementation | None) -> str:
    lines = [item.summary] if item.summary else []
    if impl and impl.body:
        lines.append(f"办理部门：{impl.body}")
    if impl and impl.promised_limit:
        lines.append(f"承诺时限：{impl.promised_limit}")
    if impl and impl.fee:
        lines.append(f"收费：{impl.fee}")
    if impl and impl.trips is not None:
        lines.append(f"跑动次数：{impl.trips}次")
    required = [m.name for m in ordered_materials(item) if m.required]
    if required:
        shown = "、".join(required[:3]) + ("等" if len(required) > 3 else "")
        lines.append(f"主要材料：{shown}")
    lines.append("可以继续问我：要什么材料、在哪办、流程、要多久、收费吗、能网上办吗。")
    return "\n".join(lines)


RENDERERS = {
    "department": render_department, "flow": render_flow, "time_limit": render_time_limit, "fee": render_fee,
    "conditions": render_conditions, "online": render_online, "overview": render_overview,
}


def render_guide(item: Item, aspect: str, impl: Implementation | None, district: str | None,
                 offset: int = 0, with_footer: bool = True) -> tuple[str, int | None]:
    """The full reply text for one aspect and the next materials offset (materials only).

    `with_footer=False` leaves out the code-and-date line (shown once per item in a conversation)."""
    next_offset = None
    if aspect == "materials":
        body, next_offset = render_materials(item, impl, offset)
    else:
        body = RENDERERS[aspect](item, impl)
    tail = f"\n{footer(item, impl)}" if with_footer else ""
    return f"{heading(item, aspect, district)}\n{body}{tail}", next_offset


# Which implementation facts an aspect shows: when they differ between regions, the
# answer depends on the district and the assistant asks for it.
ASPECT_FIELDS = {
    "department": ("body", "windows", "consult_phone"),
    "time_limit": ("promised_limit",),
    "fee": ("fee", "fee_detail"),
    "online": ("online_depth", "online_url", "trips", "express"),
    "overview": ("promised_limit", "fee", "trips"),
}


def depends_on_district(item: Item, aspect: str) -> bool:
    fields = ASPECT_FIELDS.get(aspect)
    if not fields or len(item.implementations) < 2:
        return False
    if aspect == "department":
        return True
    values = {tuple(getattr(impl, f) for f in fields) for impl in item.implementations}
    return len(values) > 1
