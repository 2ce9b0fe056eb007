"""CatalogService announces a rebuilt index (a new catalog version) to its listeners, not the first build."""
from __future__ import annotations

from knowledge.importer import import_catalog
from knowledge.service import DEMO_CATALOG, CatalogService


def test_listeners_hear_of_each_rebuild_after_the_first(store):
    service = CatalogService(store, reload_interval=0)
    heard = []
    service.on_rebuild.append(lambda: heard.append(service._version))
    first = service.engine()
    assert heard == []
    assert service.engine() is first and heard == []  # same version: nothing rebuilt
    import_catalog([DEMO_CATALOG], store)
    rebuilt = service.engine()
    assert rebuilt is not first and heard == [store.version()]
