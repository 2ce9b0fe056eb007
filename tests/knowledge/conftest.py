from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.db import make_engine, session_factory, upgrade_schema
from knowledge.store import CatalogStore


@pytest.fixture
def store(tmp_path: Path) -> CatalogStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    upgrade_schema(engine)
    yield CatalogStore(session_factory(engine))
    engine.dispose()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
