"""CatalogService's lookups without loading guides: item names from the search index, and search
results kept per index; both follow a new catalog version."""
from __future__ import annotations

from dataclasses import replace

import pytest

from knowledge.errors import ItemNotFoundError
from knowledge.importer import import_catalog
from knowledge.search import SearchEngine
from knowledge.service import DEMO_CATALOG, CatalogService


def test_every_item_name_equals_the_loaded_guides_name_and_an_unknown_code_is_not_found(store):
    import_catalog([DEMO_CATALOG], store)
    service = CatalogService(store, reload_interval=0)
    items = store.all_items()
    assert len(items) > 100
    for item in items:
        assert service.item_name(item.code) == item.name
    with pytest.raises(ItemNotFoundError):
        service.item_name("500X9999999999")


def test_a_renamed_or_deleted_item_is_seen_at_the_next_catalog_version(store):
    import_catalog([DEMO_CATALOG], store)
    service = CatalogService(store, reload_interval=0)
    first, second = store.all_items()[:2]
    assert service.item_name(first.code) == first.name
    store.replace_items([replace(first, name=first.name + "（新版）")], delete_codes=[second.code])
    assert service.item_name(first.code) == first.name + "（新版）"
    with pytest.raises(ItemNotFoundError):
        service.item_name(second.code)


def test_kept_search_results_are_what_the_index_finds(store):
    import_catalog([DEMO_CATALOG], store)
    service = CatalogService(store, reload_interval=3600)
    fresh = SearchEngine(store.search_entries(), bundles=store.all_bundles())
    names = [entry.name for entry in store.search_entries()]
    texts = ["办营业执照要带什么", "渝北区换驾驶证在哪", "公积金提取多久到账", "想开个小餐馆", "你好", "",
             *(name[:4] + "怎么办" for name in names[:40]), *names[40:80]]
    for top in (5, 3):
        first = [service.search(text, top=top) for text in texts]
        again = [service.search(text, top=top) for text in reversed(texts)][::-1]
        assert first == again == [fresh.search(text, top=top) for text in texts]
        assert all(a is b for a, b in zip(first, again))  # kept, not searched again
    assert service.search(texts[0]) is service.search(texts[0], top=5)


def test_a_new_catalog_version_searches_anew(store):
    import_catalog([DEMO_CATALOG], store)
    service = CatalogService(store, reload_interval=0)
    item = store.all_items()[0]
    before = service.search(item.name)
    assert before.best is not None and before.best.code == item.code
    store.replace_items([], delete_codes=[item.code])
    after = service.search(item.name)
    assert after is not before and item.code not in {c.code for c in after.candidates}


def test_the_kept_results_are_bounded(store, monkeypatch):
    import knowledge.service as service_module

    import_catalog([DEMO_CATALOG], store)
    monkeypatch.setattr(service_module, "SEARCH_MEMO_SIZE", 3)
    service = CatalogService(store, reload_interval=3600)
    kept = service.search("结婚登记")
    for text in ("护照", "驾驶证", "公积金"):
        service.search(text)
    assert service.search("结婚登记") is not kept and service.search("结婚登记") == kept
