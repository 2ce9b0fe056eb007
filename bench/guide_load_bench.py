"""CPU per item of loading a guide: the ORM loading the store used before against the Core
queries it uses now (knowledge/guide_loader.py), rounds alternating in one process.

A fresh copy of the demonstration catalog (SQLite in a temporary folder, or an empty
PostgreSQL database named by --url), then per round every item (or --items of them) loaded
one by one as the catalog service loads an answered item (`CatalogStore.get`), first by one
way, then by the other, swapping the order each round. Prints the median over rounds of CPU
(`time.process_time`) and wall time per item, and the load average.

    .venvs/actions/bin/python -m bench.guide_load_bench [--rounds 6] [--items 120] [--url postgresql+psycopg2://...]
"""
from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from knowledge.db import make_engine, session_factory, upgrade_schema
from knowledge.models import ImplementationRow, ItemRow
from knowledge.records import Faq, FlowStep, Implementation, Item, Material, Window
from knowledge.store import CatalogStore


def orm_query():
    """The store's previous query: every relationship by `selectinload` (7 queries)."""
    return select(ItemRow).options(
        selectinload(ItemRow.aliases), selectinload(ItemRow.materials), selectinload(ItemRow.flow),
        selectinload(ItemRow.faq), selectinload(ItemRow.implementations).selectinload(ImplementationRow.windows))


def orm_item(row: ItemRow) -> Item:
    """The store's previous copy of mapped rows into a record."""
    return Item(
        code=row.code, name=row.name, power_type=row.power_type, department=row.department,
        audience=tuple(row.audience or ()), topics=tuple(row.topics or ()),
        aliases=tuple(a.alias for a in row.aliases), summary=row.summary,
        conditions=tuple(row.conditions or ()), legal_basis=tuple(row.legal_basis or ()),
        materials=tuple(Material(name=m.name, required=m.required, condition=m.condition, form=m.form, copies=m.copies,
                                 medium=m.medium, source=m.source, waived=m.waived, notes=m.notes) for m in row.materials),
        flow=tuple(FlowStep(name=s.name, description=s.description, time_limit=s.time_limit) for s in row.flow),
        statutory_limit=row.statutory_limit, result=row.result,
        faq=tuple(Faq(q=f.question, a=f.answer) for f in row.faq),
        implementations=tuple(Implementation(
            region_code=i.region_code, body=i.body, code=i.code, promised_limit=i.promised_limit, fee=i.fee,
            fee_detail=i.fee_detail, fee_basis=i.fee_basis,
            windows=tuple(Window(name=w.name, address=w.address, hours=w.hours, phone=w.phone, directions=w.directions)
                          for w in i.windows),
            consult_phone=i.consult_phone, supervision_phone=i.supervision_phone, online_depth=i.online_depth,
            online_url=i.online_url, trips=i.trips, express=i.express, appointment=i.appointment,
            scope=tuple(i.scope or ()), verified=i.verified, local_name=i.local_name,
            local_power_type=i.local_power_type,
            local_materials=tuple(i.local_materials) if i.local_materials is not None else None,
        ) for i in row.implementations),
        demonstration=row.demonstration,
    )


def orm_get(store: CatalogStore, code: str) -> Item:
    with store._sessions() as session:
        return orm_item(session.scalar(orm_query().where(ItemRow.code == code)))


def _timed(load, codes: list[str]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    for code in codes:
        load(code)
    return (time.process_time() - cpu) * 1000 / len(codes), (time.perf_counter() - wall) * 1000 / len(codes)


def run(store: CatalogStore, rounds: int, items: int) -> None:
    codes = [entry.code for entry in store.search_entries()][:items]
    ways = {"orm (before)": lambda code: orm_get(store, code), "core (after)": store.get}
    for load in ways.values():  # warm the statement caches and the connection pool
        _timed(load, codes[:10])
    figures: dict[str, list[tuple[float, float]]] = {name: [] for name in ways}
    for index in range(rounds):
        order = list(ways) if index % 2 == 0 else list(reversed(ways))
        for name in order:
            figures[name].append(_timed(ways[name], codes))
    print(f"{len(codes)} items, {rounds} rounds alternating, load average {os.getloadavg()[0]:.2f} "
          f"({time.strftime('%H:%M:%S', time.gmtime())} UTC)")
    for name, values in figures.items():
        cpu = statistics.median(v[0] for v in values)
        wall = statistics.median(v[1] for v in values)
        print(f"  {name:14s} CPU {cpu:.2f} ms/item (rounds {', '.join(f'{v[0]:.2f}' for v in values)}), "
              f"wall {wall:.2f} ms/item")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--items", type=int, default=120)
    parser.add_argument("--url", help="an EMPTY database to import the demonstration catalog into (default: SQLite in a temporary folder)")
    args = parser.parse_args()
    from knowledge.importer import import_catalog
    from knowledge.service import DEMO_CATALOG

    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(args.url or f"sqlite:///{Path(folder) / 'catalog.db'}")
        upgrade_schema(engine)
        store = CatalogStore(session_factory(engine))
        if store.count() == 0:
            import_catalog([DEMO_CATALOG], store)
        run(store, args.rounds, args.items)
        engine.dispose()


if __name__ == "__main__":
    main()
