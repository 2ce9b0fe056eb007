"""The catalog on PostgreSQL: a database named by YUBAN_DATABASE_URL is created by the first import."""
from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import create_engine, text

from knowledge.db import ROOT


def test_first_import_creates_the_database_and_schema(new_database_url, fixtures):
    env = {**os.environ, "YUBAN_DATABASE_URL": new_database_url, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-m", "tooling.cli", "catalog", "import", str(fixtures / "mini.yml")],
                            cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    search = subprocess.run([sys.executable, "-m", "tooling.cli", "search", "--json", "测试证"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert '"name": "测试许可证核发"' in search.stdout
    engine = create_engine(new_database_url)
    with engine.connect() as connection:
        assert connection.execute(text("select count(*) from implementations")).scalar() == 42
        versions = set(connection.execute(text("select version_num from alembic_version")).scalars())
    assert versions == _migration_heads()  # every migration branch applied
    engine.dispose()


def _migration_heads() -> set[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from knowledge.db import MIGRATIONS

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return set(ScriptDirectory.from_config(config).get_heads())
