"""Machine-readable cards for channels that render natively (the 渝快办 app).

The text answers (actions/rendering.py) are written for a phone screen; these cards hold
the same catalog facts as data, so the app can lay them out itself. They carry only what
the catalog or the platform holds: a missing fact is null or an empty list, never a
guess. Progress cards carry personal data masked exactly as the text answers do.
"""
from __future__ import annotations

from typing import Any

from progress_api.records import Application
from actions.progress_render import masked_number
from actions.rendering import ONLINE_DEPTH, consult_phone, ordered_materials
from knowledge.records import CITY_CODE, Implementation, Item, Material
from knowledge.regions import load_regions


def guide_card(item: Item, impl: Implementation | None, aspect: str, district: str | None = None,
               district_needed: bool = False) -> dict[str, Any]:
    """The whole guide of an item for one region (the district's implementation, else the
    city's, else an example region's when the district is still unknown)."""
    region = load_regions().by_code.get(impl.region_code) if impl else None
    return {
        "item": {"code": item.code, "name": item.name, "power_type": item.power_type,
                 "department": item.department, "summary": item.summary},
        "aspect": aspect,
        "district": district,
        "region": {"code": impl.region_code, "name": region.name if region else None,
                   "is_example": district is None and impl.region_code != CITY_CODE} if impl else None,
        "district_needed": district_needed,
        "district_note": (f"「{item.name}」由各区县分别办理，告诉我您所在的区县即可查看当地的部门和窗口。"
                          if district_needed else None),
        "materials": [material_entry(m) for m in ordered_materials(item)],
        "material_counts": material_counts(item.materials),
        "conditions": list(item.conditions),
        "department": department(impl),
        "flow": [{"step": n, "name": s.name, "description": s.description, "time_limit": s.time_limit}
                 for n, s in enumerate(item.flow, 1)],
        "time_limit": {"promised": impl.promised_limit if impl else None, "statutory": item.statutory_limit},
        "fee": fee(impl),
        "online": online(impl),
        "verified": verified(item, impl),
        "demonstration": item.demonstration,
    }


def material_entry(material: Material) -> dict[str, Any]:
    return {"name": material.name, "required": material.required, "condition": material.condition,
            "form": material.form, "copies": material.copies, "medium": material.medium, "source": material.source,
            "waived": material.waived, "notes": material.notes}


def material_counts(materials: tuple[Material, ...]) -> dict[str, int]:
    return {"total": len(materials), "required": sum(m.required for m in materials),
            "conditional": sum(not m.required for m in materials), "waived": sum(m.waived for m in materials)}


def department(impl: Implementation | None) -> dict[str, Any] | None:
    if impl is None:
        return None
    return {
        "body": impl.body,
        "windows": [{"name": w.name, "address": w.address, "hours": w.hours, "phone": w.phone,
                     "directions": w.directions} for w in impl.windows],
        "consult_phone": consult_phone(impl),
        "supervision_phone": impl.supervision_phone,
        "appointment": impl.appointment,
    }


def fee(impl: Implementation | None) -> dict[str, Any]:
    charged = None if impl is None or not impl.fee else impl.fee != "不收费"
    return {"charged": charged, "summary": impl.fee if impl else None, "detail": impl.fee_detail if impl else None,
            "basis": impl.fee_basis if impl else None}


def online(impl: Implementation | None) -> dict[str, Any]:
    if impl is None:
        return {"depth": None, "description": None, "url": None, "trips": None, "express": None, "scope": []}
    return {"depth": impl.online_depth, "description": ONLINE_DEPTH.get(impl.online_depth or ""),
            "url": impl.online_url, "trips": impl.trips, "express": impl.express, "scope": list(impl.scope)}


def verified(item: Item, impl: Implementation | None) -> str | None:
    """The date the shown facts were verified; without a region, the newest of any region
    (as the text answers' footer says)."""
    dates = [impl.verified] if impl and impl.verified else [i.verified for i in item.implementations if i.verified]
    return max(dates).isoformat() if dates else None


def progress_card(app: Application) -> dict[str, Any]:
    """One application's progress; the number and the applicant are masked."""
    return {
        "number": masked_number(app.number),
        "item_code": app.item_code,
        "item_name": app.item_name,
        "stage": app.stage,
        "stage_name": app.stage_name,
        "completed": app.completed,
        "timeline": [{"stage": s.stage, "name": s.name, "status": s.status,
                      "at": _chongqing(s.at)} for s in app.timeline],
        "body": {"name": app.body_name, "phone": app.body_phone},
        "region": app.region,
        "submitted_at": _chongqing(app.submitted_at),
        "promised_limit": app.promised_limit,
        "promised_date": app.promised_date.isoformat() if app.promised_date else None,
        "completed_at": _chongqing(app.completed_at),
        "overdue": app.overdue,
        "overdue_days": app.overdue_days,
        "supervision_phone": app.supervision_phone,
        "applicant": {"name": app.applicant_name, "phone": app.applicant_phone},
    }


def _chongqing(moment) -> str | None:
    """RFC 3339 (the card's `date-time`): the records hold Chongqing wall-clock time."""
    return None if moment is None else moment.replace(microsecond=0).isoformat() + "+08:00"


def progress_list(apps: list[Application], limit: int = 10) -> list[dict[str, Any]]:
    """A verified user's applications (as many as the text lists), masked."""
    return [{"number": masked_number(a.number), "item_code": a.item_code, "item_name": a.item_name,
             "stage": a.stage, "stage_name": a.stage_name, "completed": a.completed, "overdue": a.overdue,
             "promised_date": a.promised_date.isoformat() if a.promised_date else None} for a in apps[:limit]]
