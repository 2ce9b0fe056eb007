"""Personal data on disk is for the project's user only (issue #16, finding 11): var/ is
created 0700 and the SQLite files 0600 — progress.db holds names and phone numbers."""
from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from core.private_files import private_file, private_sqlite


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def usual_umask():
    previous = os.umask(0o022)  # what a shell usually has: files 0644, directories 0755
    yield
    os.umask(previous)


def test_progress_database_is_not_world_readable(tmp_path):
    from progress_service.repository import create_schema, make_engine

    database = tmp_path / "var" / "progress.db"
    engine = make_engine(f"sqlite:///{database}")
    create_schema(engine)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS probe (x INTEGER)"))
        connection.execute(text("INSERT INTO probe VALUES (1)"))
    assert mode(database.parent) == 0o700
    for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        if path.exists():
            assert mode(path) == 0o600, path
    engine.dispose()


def test_catalog_database_with_accounts_is_not_world_readable(tmp_path):
    from knowledge.db import make_engine

    database = tmp_path / "var" / "yuban.db"
    engine = make_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE probe (x INTEGER)"))
    assert mode(database.parent) == 0o700 and mode(database) == 0o600
    assert mode(Path(f"{database}-wal")) == 0o600  # SQLite gives the WAL the database's mode
    engine.dispose()


def test_an_existing_world_readable_var_is_tightened(tmp_path):
    var = tmp_path / "var"
    var.mkdir(mode=0o755)
    os.chmod(var, 0o755)
    old = var / "progress.db"
    old.write_bytes(b"")
    os.chmod(old, 0o644)
    private_sqlite(str(old), project_var=var)
    assert mode(var) == 0o700 and mode(old) == 0o600


def test_directories_that_are_not_var_are_left_alone(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    private_file(shared / "catalog.db", project_var=tmp_path / "var")
    assert mode(shared) == 0o755 and mode(shared / "catalog.db") == 0o600


def test_the_seal_key_directory_is_private(tmp_path, monkeypatch):
    from bot.ops.sealing import load_key

    monkeypatch.delenv("YUBAN_SEAL_KEY", raising=False)
    key_file = tmp_path / "var" / "seal.key"
    load_key(None, key_file)
    assert mode(key_file.parent) == 0o700 and mode(key_file) == 0o600
