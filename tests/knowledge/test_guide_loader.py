"""Guides read with Core queries (knowledge/guide_loader.py) are the records the ORM gave.

The reference (bench/guide_load_bench.py) is the ORM loading the store used before (`selectinload` of every
relationship, then copied into records); every item of the demonstration catalog must load
equal through both, on SQLite and on PostgreSQL.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bench.guide_load_bench import orm_item, orm_query
from knowledge.db import make_engine, session_factory, upgrade_schema
from knowledge.errors import ItemNotFoundError
from knowledge.importer import import_catalog
from knowledge.records import Implementation, Item, Material, Window
from knowledge.service import DEMO_CATALOG
from knowledge.store import CatalogStore


def _orm_items(store: CatalogStore) -> dict[str, Item]:
    """Every item as the ORM loading of the previous store built it."""
    with store._sessions() as session:
        return {row.code: orm_item(row) for row in session.scalars(orm_query())}


def _odd_item() -> Item:
    """An item with what the demonstration catalog may lack: no implementations' windows, a
    local list, empty JSON lists, a verified date, no aliases, flow or questions."""
    return Item(code="TEST-ODD-1", name="测试事项（边界）", topics=(), audience=("个人",),
                materials=(Material(name="身份证", required=False, copies=2, waived=True, notes="复印件"),),
                implementations=(
                    Implementation(region_code="500000", windows=(), scope=(), verified=date(2024, 5, 6),
                                   local_materials=("一", "二"), express=False, appointment=None, trips=0),
                    Implementation(region_code="500103", windows=(Window(name="甲"), Window(address="乙路 1 号")),
                                   local_materials=()),
                ))


def _check_every_item(store: CatalogStore) -> None:
    import_catalog([DEMO_CATALOG], store)
    store.replace_items([_odd_item()])
    expected = _orm_items(store)
    assert len(expected) > 300
    assert store.get_many(list(expected)) == expected
    assert {item.code: item for item in store.all_items()} == expected
    assert [item.code for item in store.all_items()] == sorted(expected)
    for code in list(expected)[::25] + ["TEST-ODD-1"]:
        assert store.get(code) == expected[code]
    assert store.get("TEST-ODD-1") == _odd_item()
    assert sum(len(i.windows) for item in expected.values() for i in item.implementations) > 0


def test_every_demo_item_loads_as_the_orm_gave_it_on_sqlite(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    upgrade_schema(engine)
    try:
        _check_every_item(CatalogStore(session_factory(engine)))
    finally:
        engine.dispose()


def test_every_demo_item_loads_as_the_orm_gave_it_on_postgresql(new_database_url):
    engine = make_engine(new_database_url)  # creates the database
    try:
        upgrade_schema(engine)
        _check_every_item(CatalogStore(session_factory(engine)))
    finally:
        engine.dispose()


def test_missing_codes_are_absent_and_a_missing_item_is_an_error(store):
    store.replace_items([_odd_item(), replace(_odd_item(), code="TEST-ODD-2", name="测试事项二")])
    found = store.get_many(["TEST-ODD-2", "NO-SUCH", "TEST-ODD-2"])
    assert list(found) == ["TEST-ODD-2"] and found["TEST-ODD-2"].name == "测试事项二"
    assert store.get_many([]) == {}
    with pytest.raises(ItemNotFoundError):
        store.get("NO-SUCH")
