"""The production profile's configuration: every problem named, unreachable services reported
before any process starts."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tooling import services
from tooling.prod.settings import ProdConfigError, ProdSettings, ensure_postgres_database, ping_redis
from tests.production.conftest import ADMIN_URL, postgres_reachable, prod_environment
from tests.strict import unavailable

FAKE_DATABASES = {part: f"postgresql://yuban@127.0.0.1:5432/{part}" for part in
                  ("catalog", "conversations", "events", "progress")}


def complete() -> dict[str, str]:
    return prod_environment(FAKE_DATABASES, "redis://:pw@127.0.0.1:6379/0")


def test_a_complete_environment_gives_the_settings():
    settings = ProdSettings.from_env(complete())
    assert settings.rasa_ports == [5705 + int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0")),
                                   5706 + int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))]
    env = settings.process_env()
    assert env["YUBAN_TRACKER_DATABASE_URL"].endswith("/conversations")
    assert env["YUBAN_ACTIONS_URL"] == f"http://127.0.0.1:{settings.actions_port}/webhook"


def test_every_missing_variable_is_named_at_once():
    with pytest.raises(ProdConfigError) as raised:
        ProdSettings.from_env({})
    message = str(raised.value)
    for name in ("YUBAN_DATABASE_URL", "YUBAN_TRACKER_DATABASE_URL", "YUBAN_EVENTS_DATABASE_URL",
                 "YUBAN_PROGRESS_DATABASE_URL", "YUBAN_REDIS_URL", "YUBAN_SEAL_KEY", "YUBAN_HASH_SALT", "YUBAN_IDENTITY_KEY"):
        assert name in message
    assert "未设置" in message and "deploy/prod.env.example" in message


@pytest.mark.parametrize("name, value, expected", [
    ("YUBAN_TRACKER_DATABASE_URL", "sqlite:///var/conversations.db", "应为 PostgreSQL"),
    ("YUBAN_REDIS_URL", "http://127.0.0.1:6379", "应为 Redis"),
    ("YUBAN_RASA_PROCESSES", "0", "1 到 16"),
    ("YUBAN_RASA_PORT", "port", "整数"),
    ("YUBAN_SEAL_KEY", "not-a-key", "YUBAN_SEAL_KEY"),
    ("YUBAN_HASH_SALT", "yuban", "不能用默认值"),
    ("YUBAN_IDENTITY_KEY", "short", "至少 32 个字符"),
    ("YUBAN_STORE_RETRY_SECONDS", "three", "秒数"),
])
def test_malformed_values_are_named(name, value, expected):
    with pytest.raises(ProdConfigError) as raised:
        ProdSettings.from_env({**complete(), name: value})
    assert name in str(raised.value) and expected in str(raised.value)


def test_a_progress_platform_url_replaces_the_local_service_database():
    env = {**complete(), "YUBAN_PROGRESS_URL": "https://platform.example/progress"}
    del env["YUBAN_PROGRESS_DATABASE_URL"]
    settings = ProdSettings.from_env(env)
    assert settings.progress_database_url is None
    assert settings.process_env()["YUBAN_PROGRESS_URL"] == "https://platform.example/progress"


def test_unreachable_postgresql_is_reported_with_the_variable():
    with pytest.raises(ProdConfigError) as raised:
        ensure_postgres_database("YUBAN_TRACKER_DATABASE_URL", "postgresql://yuban:secret@127.0.0.1:1/conversations")
    message = str(raised.value)
    assert "YUBAN_TRACKER_DATABASE_URL" in message and "无法连接 PostgreSQL" in message
    assert "secret" not in message  # the password is never shown


def test_unreachable_redis_is_reported_with_the_variable():
    with pytest.raises(ProdConfigError) as raised:
        ping_redis("YUBAN_REDIS_URL", "redis://:secret@127.0.0.1:1/0")
    assert "YUBAN_REDIS_URL" in str(raised.value) and "无法连接 Redis" in str(raised.value)
    assert "secret" not in str(raised.value)


def test_a_missing_database_is_created():
    if not postgres_reachable():
        unavailable("PostgreSQL not reachable")
    import uuid

    from sqlalchemy import create_engine, text

    name = f"yuban_test_prod_new_{uuid.uuid4().hex[:6]}"
    url = ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    try:
        ensure_postgres_database("YUBAN_EVENTS_DATABASE_URL", url)
        engine = create_engine(url)
        with engine.connect() as connection:
            assert connection.scalar(text("SELECT current_database()")) == name
        engine.dispose()
    finally:
        admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_command_line_refuses_to_start_with_a_clear_message():
    env = {key: value for key, value in services.base_env().items() if not key.startswith("YUBAN_")}
    env["YUBAN_REDIS_URL"] = "redis://127.0.0.1:1/0"
    result = subprocess.run([sys.executable, "-m", "tooling.cli", "run", "--profile", "prod"], cwd=services.ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "YUBAN_TRACKER_DATABASE_URL 未设置" in result.stderr and "YUBAN_SEAL_KEY" in result.stderr


def test_the_launcher_reports_an_unreachable_service_and_starts_nothing():
    env = {**services.base_env(), **prod_environment(FAKE_DATABASES, "redis://:pw@127.0.0.1:1/0")}
    env["YUBAN_DATABASE_URL"] = "postgresql://yuban@127.0.0.1:1/catalog"
    result = subprocess.run([sys.executable, "-m", "tooling.prod.launch", "rasa"], cwd=services.ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert "YUBAN_DATABASE_URL" in result.stderr and "无法连接 PostgreSQL" in result.stderr

