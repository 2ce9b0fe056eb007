"""The production profile on test ports: two Rasa servers and two action servers on PostgreSQL,
with a private Redis (so a test can stop it) — started once for the whole directory.

Databases are created as yuban_test_prod_<random>_* on the machine's PostgreSQL
(YUBAN_TEST_POSTGRES, default postgres@127.0.0.1:5432) and dropped at the end. Skipped when
PostgreSQL or redis-server is not available; fails when there is no trained model.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tooling import services
from tooling.prod.settings import ProdSettings
from tooling.prod.stack import ProdStack
from tests.strict import unavailable

ADMIN_URL = os.environ.get("YUBAN_TEST_POSTGRES", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))
RASA_PORT, ACTIONS_PORT, PROGRESS_PORT, CONSOLE_PORT = 5705 + OFFSET, 5755 + OFFSET, 8805 + OFFSET, 8810 + OFFSET
REMINDERS_PORT = 8815 + OFFSET
REDIS_PORT = 6391 + OFFSET
PROGRESS_REFERENCE = datetime(2026, 11, 2, 9, 0)  # the demo applications' "today"
SEAL_KEY = "vJ0y3Dd6bHj1f0qzHVv0mEw9l9yq5zq1m5v0ZgM2xkE="
PROGRESS_TOKEN = "prod-test-progress-token-0123456789"
REDIS_PASSWORD = "prod-test-redis-password"


def postgres_reachable() -> bool:
    engine = create_engine(ADMIN_URL)
    try:
        with engine.connect():
            return True
    except Exception:  # noqa: BLE001 — any failure means no server to test against
        return False
    finally:
        engine.dispose()


def postgres_is_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"]).returncode == 0


def ensure_postgres_running() -> None:
    """The machine's PostgreSQL is shared: whatever a test did, leave it running."""
    if shutil.which("pg_isready") is None or postgres_is_ready():
        return
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if versions:
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "start"], check=False)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not postgres_is_ready():
        time.sleep(0.5)


@dataclass
class PrivateRedis:
    """A redis-server of our own, so the "Redis unavailable" test can stop and start it."""

    port: int
    log: Path
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://:{REDIS_PASSWORD}@127.0.0.1:{self.port}/0"  # production requires a password

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--requirepass", REDIS_PASSWORD],
            stdout=open(self.log, "ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.ping():
                return
            time.sleep(0.1)
        raise RuntimeError(f"redis-server on {self.port} did not start (see {self.log})")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def ping(self) -> bool:
        import redis

        try:
            return bool(redis.Redis(port=self.port, password=REDIS_PASSWORD, socket_connect_timeout=1).ping())
        except redis.RedisError:
            return False

    def command_count(self, command: str) -> int:
        """How often Redis executed `command` (INFO commandstats), e.g. to see the lock store use it."""
        import redis

        stats = redis.Redis(port=self.port, password=REDIS_PASSWORD, socket_connect_timeout=2).info("commandstats")
        return int(stats.get(f"cmdstat_{command}", {}).get("calls", 0))


@pytest.fixture(scope="session")
def prod_databases():
    if not postgres_reachable():
        unavailable("PostgreSQL not reachable (YUBAN_TEST_POSTGRES)")
    prefix = f"yuban_test_prod_{uuid.uuid4().hex[:6]}"
    base = ADMIN_URL.rsplit("/", 1)[0]
    urls = {part: f"{base}/{prefix}_{part}" for part in ("catalog", "conversations", "events", "progress")}
    yield urls
    ensure_postgres_running()
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        for url in urls.values():
            connection.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def private_redis(tmp_path_factory):
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed")
    redis = PrivateRedis(REDIS_PORT, tmp_path_factory.mktemp("redis") / "redis.log")
    redis.start()
    yield redis
    redis.stop()


def prod_environment(databases: dict[str, str], redis_url: str) -> dict[str, str]:
    return {
        "YUBAN_DATABASE_URL": databases["catalog"], "YUBAN_TRACKER_DATABASE_URL": databases["conversations"],
        "YUBAN_EVENTS_DATABASE_URL": databases["events"], "YUBAN_PROGRESS_DATABASE_URL": databases["progress"],
        "YUBAN_REDIS_URL": redis_url, "YUBAN_HASH_SALT": "prod-test-salt", "YUBAN_SEAL_KEY": SEAL_KEY,
        "YUBAN_PROGRESS_TOKEN": PROGRESS_TOKEN,
        "YUBAN_IDENTITY_KEY": "prod-test-identity-key-" + "0" * 16,
        "YUBAN_RASA_PORT": str(RASA_PORT), "YUBAN_ACTIONS_PORT": str(ACTIONS_PORT),
        "YUBAN_PROGRESS_PORT": str(PROGRESS_PORT), "YUBAN_CONSOLE_PORT": str(CONSOLE_PORT),
        "YUBAN_REMINDERS_PORT": str(REMINDERS_PORT),
        "YUBAN_RASA_PROCESSES": "2", "YUBAN_ACTION_PROCESSES": "2",
    }


@pytest.fixture(scope="session")
def prod_settings(prod_databases, private_redis) -> ProdSettings:
    settings = ProdSettings.from_env(prod_environment(prod_databases, private_redis.url))
    settings.check_services()  # creates the four databases
    return settings


@pytest.fixture(scope="session")
def progress_examples(prod_settings) -> list[tuple[str, str, str, bool]]:
    """(number, last four phone digits, stage, overdue) of the seeded demonstration applications."""
    from progress_service.seed import seed_url

    return seed_url(prod_settings.progress_database_url, reference=PROGRESS_REFERENCE).examples


@pytest.fixture(scope="session")
def prod_stack(prod_settings, progress_examples, tmp_path_factory):
    if not services.MODEL.exists():
        pytest.fail("no trained model: run `make test` (it trains) or `./yuban train`")
    env = {**services.base_env(), "YUBAN_DATABASE_URL": prod_settings.catalog_url}
    subprocess.run([sys.executable, "-m", "tooling.cli", "catalog", "import", str(services.ROOT / "data" / "catalog")],
                   cwd=services.ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    stack = ProdStack(prod_settings, log_dir=tmp_path_factory.mktemp("prod-logs"), with_console=False)
    stack.start(log=lambda *_: None)
    yield stack
    stack.stop()
    ensure_postgres_running()


def send(port: int, sender: str, text: str, timeout: float = 30) -> tuple[int, list[dict]]:
    """One REST turn on one Rasa server: (HTTP status, messages)."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, json.loads(response.read() or b"[]")


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def item_of(messages: list[dict]) -> str:
    """The catalog item an answer is about: its title 【…】."""
    found = re.search(r"【([^】]+)】", texts(messages))
    assert found, texts(messages)
    return found.group(1)


def kinds(messages: list[dict]) -> set[str]:
    return {m["custom"].get("type") for m in messages if isinstance(m.get("custom"), dict)}


REST_SENDER = "rest:{}"  # the guarded REST input stores a caller's sender under rest: (docs/security.md)


def stored_events(database_url: str, sender: str) -> list[dict]:
    """The events of one REST conversation (`sender` as the caller sent it) as Rasa's SQL
    tracker store holds them, in id order."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT id, type_name, data FROM events WHERE sender_id = :s ORDER BY id"),
                                      {"s": REST_SENDER.format(sender)}).all()
    finally:
        engine.dispose()
    return [{"id": row.id, "type": row.type_name, **json.loads(row.data)} for row in rows]


def broker_events(database_url: str, sender: str) -> list[dict]:
    """The events the event broker wrote for one REST conversation, in id order."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT data FROM events WHERE sender_id = :s ORDER BY id"),
                                      {"s": REST_SENDER.format(sender)}).all()
    finally:
        engine.dispose()
    return [json.loads(row.data) for row in rows]


def user_texts(events: list[dict]) -> list[str]:
    return [event.get("text") for event in events if event.get("event") == "user"]
