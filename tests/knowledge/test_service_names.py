"""CatalogService.item_name: the name the full guide has, from the search index, kept fresh."""
from __future__ import annotations

from dataclasses import replace

import pytest

from knowledge.errors import ItemNotFoundError
from knowledge.importer import import_catalog
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
