"""Items with their whole guide, read with Core queries straight into records.

An item's guide is its row plus aliases, materials, flow steps, questions and about forty
district implementations with their windows. Loading that through the ORM (`selectinload`)
built about 95 mapped objects and an identity map per item only to copy them into the frozen
records of knowledge/records.py (6.5–7.6 ms of CPU per item, docs/performance.md). Here each
table is one `select` of the columns the records need, in the records' field order, and the
implementations come with their windows in one outer join: six queries for any number of
items, the same records as before (tests/knowledge/test_guide_loader.py compares every item
of the demonstration catalog with the ORM's).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import fields
from functools import cache

from sqlalchemy import Select, Table, bindparam, select
from sqlalchemy.orm import Session

from knowledge.models import AliasRow, FaqRow, FlowStepRow, ImplementationRow, ItemRow, MaterialRow, WindowRow
from knowledge.records import Faq, FlowStep, Implementation, Item, Material, Window

_ITEM_LISTS = ("audience", "topics", "conditions", "legal_basis")  # JSON lists, tuples in the record
_ITEM_COLUMNS = [name for name in (f.name for f in fields(Item))
                 if name not in ("aliases", "materials", "flow", "faq", "implementations")]
_MATERIAL_COLUMNS = [f.name for f in fields(Material)]
_FLOW_COLUMNS = [f.name for f in fields(FlowStep)]
_WINDOW_COLUMNS = [f.name for f in fields(Window)]
_IMPLEMENTATION_COLUMNS = [f.name for f in fields(Implementation) if f.name != "windows"]


def load_items(session: Session, codes: list[str] | None) -> dict[str, Item]:
    """The items whose codes are listed (None: all items), by code; codes the catalog lacks
    are simply absent."""
    statements = _statements(codes is not None)
    connection = session.connection()  # Core rows: no ORM result processing

    def rows(name: str):
        return connection.execute(statements[name], {"codes": codes} if codes is not None else {}).all()

    items = rows("items")
    if not items:
        return {}
    aliases = _grouped(rows("aliases"), lambda row: row[1])
    materials = _grouped(rows("materials"), lambda row: Material(*row[1:]))
    flow = _grouped(rows("flow"), lambda row: FlowStep(*row[1:]))
    faq = _grouped(rows("faq"), lambda row: Faq(q=row[1], a=row[2]))
    implementations = _implementations(rows("implementations"))
    empty: tuple = ()
    loaded = {}
    for row in items:
        values = dict(zip(_ITEM_COLUMNS, row))
        for name in _ITEM_LISTS:
            values[name] = tuple(values[name] or ())
        code = values["code"]
        loaded[code] = Item(**values, aliases=aliases.get(code, empty), materials=materials.get(code, empty),
                            flow=flow.get(code, empty), faq=faq.get(code, empty),
                            implementations=implementations.get(code, empty))
    return loaded


@cache
def _statements(by_codes: bool) -> dict[str, Select]:
    """The six statements, built once (building and keying a `select` per call cost about as
    much as reading its rows): filtered by the `codes` list parameter, or unfiltered."""
    codes = bindparam("codes", expanding=True)

    def where(column) -> tuple:
        return (column.in_(codes),) if by_codes else ()

    items, aliases, materials = ItemRow.__table__, AliasRow.__table__, MaterialRow.__table__
    flow, faq = FlowStepRow.__table__, FaqRow.__table__
    implementations, windows = ImplementationRow.__table__, WindowRow.__table__
    return {
        "items": select(*_columns(items, _ITEM_COLUMNS)).where(*where(items.c.code)),
        "aliases": select(aliases.c.item_code, aliases.c.alias).where(*where(aliases.c.item_code))
        .order_by(aliases.c.item_code, aliases.c.position, aliases.c.id),
        "materials": select(materials.c.item_code, *_columns(materials, _MATERIAL_COLUMNS))
        .where(*where(materials.c.item_code)).order_by(materials.c.item_code, materials.c.position, materials.c.id),
        "flow": select(flow.c.item_code, *_columns(flow, _FLOW_COLUMNS))
        .where(*where(flow.c.item_code)).order_by(flow.c.item_code, flow.c.position, flow.c.id),
        "faq": select(faq.c.item_code, faq.c.question, faq.c.answer)
        .where(*where(faq.c.item_code)).order_by(faq.c.item_code, faq.c.position, faq.c.id),
        # one outer join: each implementation's row once per window, or once without
        "implementations": select(implementations.c.item_code, implementations.c.id,
                                  *_columns(implementations, _IMPLEMENTATION_COLUMNS), windows.c.id,
                                  *_columns(windows, _WINDOW_COLUMNS))
        .outerjoin(windows, windows.c.implementation_id == implementations.c.id)
        .where(*where(implementations.c.item_code))
        .order_by(implementations.c.item_code, implementations.c.region_code, implementations.c.id,
                  windows.c.position, windows.c.id),
    }


def _columns(table: Table, names: list[str]) -> list:
    return [table.c[name] for name in names]


def _grouped(rows, build) -> dict[str, tuple]:
    """Rows whose first column is the item code, built and grouped per item in their order."""
    grouped: defaultdict[str, list] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(build(row))
    return {code: tuple(values) for code, values in grouped.items()}


def _implementations(rows) -> dict[str, tuple[Implementation, ...]]:
    """Implementations with their windows from the joined rows, per item in their order."""
    size = len(_IMPLEMENTATION_COLUMNS)
    grouped: defaultdict[str, list] = defaultdict(list)
    group: list = []  # the rows of one implementation
    for row in rows:
        if group and row[1] != group[0][1]:
            grouped[group[0][0]].append(_implementation(group, size))
            group = []
        group.append(row)
    if group:
        grouped[group[0][0]].append(_implementation(group, size))
    return {code: tuple(values) for code, values in grouped.items()}


def _implementation(rows: list, size: int) -> Implementation:
    """One implementation from its joined rows (item code, id, its columns, window id, window columns)."""
    values = dict(zip(_IMPLEMENTATION_COLUMNS, rows[0][2:2 + size]))
    values["scope"] = tuple(values["scope"] or ())
    if values["local_materials"] is not None:
        values["local_materials"] = tuple(values["local_materials"])
    windows = tuple(Window(*row[3 + size:]) for row in rows if row[2 + size] is not None)
    return Implementation(**values, windows=windows)
