"""The action server's warm-up (actions/server.py): once the search index is loaded, what is
loaded so far is frozen out of later garbage collections; objects made afterwards are not."""
from __future__ import annotations

import asyncio
import gc
import weakref

import pytest

from actions import server


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


class Catalog:
    """What the warm-up reads of the catalog service: the rebuild listeners."""

    def __init__(self):
        self.on_rebuild = []


@pytest.fixture
def catalog(monkeypatch):
    catalog = Catalog()
    monkeypatch.setattr("actions.deps.default_catalog", lambda: catalog)
    return catalog


class Node:
    def __init__(self):
        self.me = self  # a reference cycle: only the garbage collector frees it


def test_the_warm_up_freezes_what_is_loaded_once_the_index_is_there(unfrozen, catalog, monkeypatch):
    loaded = Node()

    async def index_loaded():
        return None

    monkeypatch.setattr(server, "_search_index_loaded", index_loaded)
    asyncio.run(server.load_search_index())
    assert gc.get_freeze_count() > 0
    assert not any(obj is loaded for obj in gc.get_objects())  # moved out of the collected generations
    Node()  # made after the freeze: still collected
    assert gc.collect() >= 1


def test_nothing_is_frozen_when_the_index_does_not_load(unfrozen, catalog, monkeypatch):
    async def index_fails():
        raise RuntimeError("catalog database unreachable")

    monkeypatch.setattr(server, "_search_index_loaded", index_fails)
    asyncio.run(server.load_search_index())
    assert gc.get_freeze_count() == 0
    assert catalog.on_rebuild == []


def test_a_rebuilt_index_is_refrozen_once_and_the_replaced_one_freed(unfrozen, catalog, monkeypatch):
    async def index_loaded():
        return None

    monkeypatch.setattr(server, "_search_index_loaded", index_loaded)
    old_index = Node()
    gone = weakref.ref(old_index)
    asyncio.run(server.load_search_index())
    asyncio.run(server.load_search_index())  # a second warm-up registers nothing more
    assert catalog.on_rebuild == [server.refreeze]
    del old_index  # the catalog changed: the old index is dropped, a frozen cycle
    gc.collect()
    assert gone() is not None  # frozen: a collection alone does not free it
    for listener in catalog.on_rebuild:  # what the service does after rebuilding
        listener()
    assert gone() is None and gc.get_freeze_count() > 0
