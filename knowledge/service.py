"""The catalog as the assistant and the consoles use it: search plus guides, kept fresh.

The search index is rebuilt when the catalog version in the database moves (an import
or a new alias), checked at most every `reload_interval` seconds, so a change is live
without retraining or restarting anything.
"""
from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from knowledge.db import ROOT, database_url, get_engine, session_factory
from knowledge.errors import BundleNotFoundError, ItemNotFoundError
from knowledge.records import Bundle, Item
from knowledge.search import SearchEngine, SearchResult
from knowledge.store import CatalogStore

DEMO_CATALOG = ROOT / "data" / "catalog"
# Results kept per index: a guide turn searches its words and its whole text, a menu reply its
# text again, and many people ask the same short questions; a result depends only on the text,
# `top` and the index (a new catalog version gets a new, empty memo).
SEARCH_MEMO_SIZE = 1024
DEMO_STAMP = ROOT / "var" / "demo-catalog.sha256"


class CatalogService:
    def __init__(self, store: CatalogStore, reload_interval: float = 2.0):
        self.store = store
        self.reload_interval = reload_interval
        self._engine: SearchEngine | None = None
        self._version = -1
        self._checked = 0.0
        self._lock = threading.Lock()
        self._items: dict[str, Item] = {}
        self._bundles: dict[str, Bundle] = {}
        self._search: Callable[..., SearchResult] | None = None  # the index's search, results kept
        # Called (no arguments, in the thread that rebuilt) after the index is rebuilt for a new
        # catalog version; the first build is not announced. The action server refreezes its heap.
        self.on_rebuild: list[Callable[[], None]] = []

    @classmethod
    def from_url(cls, url: str | None = None, reload_interval: float = 2.0) -> CatalogService:
        return cls(CatalogStore(session_factory(get_engine(url))), reload_interval)

    def engine(self) -> SearchEngine:
        now = time.monotonic()
        if self._engine is None or now - self._checked >= self.reload_interval:
            with self._lock:
                self._checked = now
                version = self.store.version()
                if self._engine is None or version != self._version:
                    first = self._engine is None
                    bundles = self.store.all_bundles()
                    self._engine = SearchEngine(self.store.search_entries(), bundles=bundles)
                    self._bundles = {bundle.code: bundle for bundle in bundles}
                    self._version = version
                    self._items = {}
                    self._search = lru_cache(maxsize=SEARCH_MEMO_SIZE)(self._engine.search)
                    if not first:
                        for listener in self.on_rebuild:
                            listener()
        return self._engine

    def invalidate(self) -> None:
        """Reread the catalog's version at the next use, e.g. right after this process wrote it."""
        self._checked = float("-inf")

    def search(self, text: str, top: int = 5) -> SearchResult:
        """The index's result for the text (kept: the same text gets the same frozen result)."""
        self.engine()
        return self._search(text, top=top)

    def item(self, code: str) -> Item:
        """The full guide of an item (cached until the catalog changes)."""
        self.engine()
        if code not in self._items:
            self._items[code] = self.store.get(code)
        return self._items[code]

    def item_name(self, code: str) -> str:
        """An item's name from the search index, without loading its guide (a menu's or an
        answer's alternatives name several items per turn; loading one with its ~40 district
        implementations costs about 6 ms). ItemNotFoundError when the catalog has no such item."""
        entry = self.engine().entries.get(code)
        if entry is None:
            raise ItemNotFoundError(f"没有编码为 {code} 的事项")
        return entry.name

    def bundle(self, code: str) -> Bundle:
        """A life-event bundle; BundleNotFoundError when the catalog has none with that code."""
        self.engine()
        if code not in self._bundles:
            raise BundleNotFoundError(f"没有编码为 {code} 的联办事项")
        return self._bundles[code]


def ensure_demo_catalog(store: CatalogStore, folder: Path = DEMO_CATALOG, stamp: Path | None = None) -> bool:
    """Keep the default database in step with the demonstration catalog files; True if it imported.

    The files' hash is kept in a stamp file beside the database, so the import (a merge:
    aliases added by the content team stay) runs once per change of the files.
    """
    if not folder.exists():
        return False
    from knowledge.importer import catalog_files, import_catalog

    stamp = stamp or DEMO_STAMP
    digest = hashlib.sha256()
    for path in catalog_files([folder]):
        digest.update(path.name.encode() + path.read_bytes())
    current = digest.hexdigest()
    if store.count() > 0 and stamp.exists() and stamp.read_text().strip() == current:
        return False
    import_catalog([folder], store)
    stamp.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    stamp.write_text(current)
    return True


@lru_cache(maxsize=1)
def default_service() -> CatalogService:
    """The process-wide service for YUBAN_DATABASE_URL.

    The default SQLite database gets the demonstration catalog when it is empty; a
    configured database is used as it is (the content team imports into it).
    """
    service = CatalogService.from_url(database_url())
    if not os.environ.get("YUBAN_DATABASE_URL"):
        ensure_demo_catalog(service.store)
    return service
