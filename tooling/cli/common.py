"""Shared pieces of the command line: the catalog store and a friendly error exit."""
from __future__ import annotations

import os
import sys

from knowledge.db import database_url, get_engine, session_factory
from knowledge.errors import KnowledgeError
from knowledge.service import ensure_demo_catalog
from knowledge.store import CatalogStore


def open_store(load_demo: bool = True) -> CatalogStore:
    """The catalog store of YUBAN_DATABASE_URL; the default database gets the demo catalog."""
    try:
        store = CatalogStore(session_factory(get_engine(database_url())))
        if load_demo and not os.environ.get("YUBAN_DATABASE_URL") and ensure_demo_catalog(store):
            print("yuban: 已将演示目录（data/catalog）导入默认数据库", file=sys.stderr)
        return store
    except KnowledgeError as error:
        fail(str(error))
        raise


def fail(message: str, code: int = 1) -> None:
    print(f"yuban: {message}", file=sys.stderr)
    raise SystemExit(code)
