"""A life-event bundle (一件事一次办) as short Chinese text for a phone screen.

The reply lists the items in the order they are handled (optional ones with when), the
combined materials (a material several items need is listed once, with those items),
the joint window and form, the combined promised time, and the code and verification
date, from catalog facts only.
"""
from __future__ import annotations

from knowledge.bundles import BundlePart, MergedMaterial
from knowledge.records import Bundle
from knowledge.regions import Region

MAX_CONDITIONAL_SHOWN = 4


def positions_label(positions: tuple[int, ...]) -> str:
    """"第1、2项共用" for shared materials, "第2项" for one item's."""
    numbers = "、".join(str(p) for p in positions)
    return f"第{numbers}项共用" if len(positions) > 1 else f"第{numbers}项"


def render_parts(parts: list[BundlePart], district: Region | None) -> list[str]:
    lines = [f"办理事项（共{len(parts)}项，按顺序）："]
    for part in parts:
        if part.item is None:
            lines.append(f"{part.position}. 事项 {part.step.item_code}（目录中暂无，请咨询 12345）")
            continue
        impl = part.item.implementation_for(district.code if district else None)
        body = (impl.body if impl and impl.body else None) or part.item.department
        when = f"［视情况：{part.step.condition}］" if part.step.optional and part.step.condition else (
            "［视情况办理］" if part.step.optional else "")
        lines.append(f"{part.position}. {part.item.name}" + (f" — {body}" if body else "") + when)
    return lines


def render_materials(materials: list[MergedMaterial]) -> list[str]:
    if not materials:
        return ["合并材料：目录中暂无材料信息，可拨打 12345 咨询。"]
    required = [m for m in materials if m.required]
    conditional = [m for m in materials if not m.required]
    lines = ["合并材料（同一材料只交一份）："]
    for material in required:
        waived = "（可免提交）" if material.waived else ""
        lines.append(f"· {material.name}{waived}（{positions_label(material.positions)}）")
    if conditional:
        shown = "、".join(f"{m.name}（{positions_label(m.positions)}）" for m in conditional[:MAX_CONDITIONAL_SHOWN])
        more = f"等{len(conditional)}项" if len(conditional) > MAX_CONDITIONAL_SHOWN else ""
        lines.append(f"视情况提交：{shown}{more}")
    return lines


def render_bundle(bundle: Bundle, parts: list[BundlePart], materials: list[MergedMaterial],
                  district: Region | None, verified) -> str:
    where = f"（{district.name}）" if district else ""
    lines = [f"【{bundle.name}】一件事一次办{where}"]
    if bundle.summary:
        lines.append(bundle.summary)
    lines += render_parts(parts, district)
    lines += render_materials(materials)
    window = bundle.window_for(district.name if district else None)
    lines.append(f"联办窗口：{window or '目录中暂无，可拨打 12345 咨询'}")
    if bundle.form:
        lines.append(f"一表申请：{bundle.form}")
    if bundle.online_url:
        lines.append(f"网上办理：{bundle.online_url}")
    lines.append(f"承诺总时限：{bundle.promised_limit or '目录中暂无，可拨打 12345 咨询'}")
    hint = "回复序号或事项名称查看单项指南，如“第二个要什么材料”。"
    if district is None and bundle.window and "{region}" in bundle.window:
        hint += "告诉我您所在区县（如“渝北区的呢”），给您当地窗口。"
    lines.append(hint)
    demo = "（演示数据）" if bundle.demonstration else ""
    lines.append(f"联办编码 {bundle.code} · 信息核验 {verified.isoformat() if verified else '未注明'}{demo}")
    return "\n".join(lines)
