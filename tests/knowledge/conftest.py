from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.db import make_engine, session_factory, upgrade_schema
from knowledge.evaluation import guangan_entries
from knowledge.search import SearchEngine
from knowledge.store import CatalogStore

_ENGINES: dict[str, SearchEngine] = {}


@pytest.fixture
def guangan(shared_data) -> SearchEngine:
    """The real Guang'an list as a names-only search index, built once per test session."""
    if "guangan" not in _ENGINES:
        entries = guangan_entries(shared_data / "reference")
        if entries is None:
            pytest.skip("the Guang'an reference list is not present")
        _ENGINES["guangan"] = SearchEngine(entries)
    return _ENGINES["guangan"]


@pytest.fixture
def store(tmp_path: Path) -> CatalogStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    upgrade_schema(engine)
    yield CatalogStore(session_factory(engine))
    engine.dispose()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
