from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from knowledge.db import make_engine, session_factory, upgrade_schema
from knowledge.search import SearchEngine
from knowledge.store import CatalogStore
from tests.knowledge.engines import guangan_names_only
from tests.strict import unavailable

ADMIN_URL = os.environ.get("YUBAN_TEST_POSTGRES", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def new_database_url():
    """The URL of a PostgreSQL database that does not exist yet (dropped after the test)."""
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect():
            pass
    except Exception as error:  # noqa: BLE001 — any failure means no server to test against
        unavailable(f"PostgreSQL not reachable: {error}")
    name = f"yuban_test_{uuid.uuid4().hex[:8]}"
    yield ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def guangan(shared_data) -> SearchEngine:
    """The real Guang'an list as a names-only search index, built once per test session."""
    return guangan_names_only(shared_data)


@pytest.fixture
def store(tmp_path: Path) -> CatalogStore:
    engine = make_engine(f"sqlite:///{tmp_path / 'catalog.db'}")
    upgrade_schema(engine)
    yield CatalogStore(session_factory(engine))
    engine.dispose()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
