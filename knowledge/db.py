"""Database access: the engine from configuration, sessions, and schema migrations.

`YUBAN_DATABASE_URL` names the database (every command and service honours it); the
default is a SQLite file under `var/`. The schema is created and upgraded by Alembic,
and a PostgreSQL database that does not exist yet is created on first use.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from knowledge.errors import KnowledgeError

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "var" / "yuban.db"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseError(KnowledgeError):
    """The catalog database cannot be reached or prepared."""


def database_url() -> str:
    return os.environ.get("YUBAN_DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            from core.private_files import private_sqlite

            private_sqlite(parsed.database)  # var/ 0700, the file 0600 (issue #16)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        _create_postgres_database_if_missing(url)
        engine = create_engine(url, pool_pre_ping=True)
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _create_postgres_database_if_missing(url: str) -> None:
    parsed = make_url(url)
    probe = create_engine(url)
    try:
        with probe.connect():
            return
    except OperationalError as error:
        if "does not exist" not in str(error):
            raise DatabaseError(f"无法连接数据库 {parsed.render_as_string(hide_password=True)}: {error.orig}") from error
    finally:
        probe.dispose()
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    finally:
        admin.dispose()


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest migration (creates it in an empty database)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@lru_cache(maxsize=8)
def _engine_for(url: str) -> Engine:
    engine = make_engine(url)
    upgrade_schema(engine)
    return engine


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for a URL, created and migrated on first use."""
    return _engine_for(url or database_url())


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(engine or get_engine(), expire_on_commit=False)
