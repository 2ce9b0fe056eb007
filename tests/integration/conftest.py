"""Integration fixtures: a real action server and a real Rasa server on test ports.

The stack uses its own SQLite catalog (the demonstration catalog imported fresh), so
tests never touch the developer's database. `make test` trains the model first.
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime

import pytest

from tooling import services
from tooling.cli.rest_client import RestClient
from tests.integration.app_channel import APP_ENV

# the blind sets' shared checks (blind_sets.check_questions, check_dialogues) report their failing values
pytest.register_assert_rewrite("tests.integration.blind_sets")

# YUBAN_TEST_PORT_OFFSET moves every port, so two test runs can share a machine.
PORT_OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))
RASA_PORT, ACTIONS_PORT, PROGRESS_PORT = 5105 + PORT_OFFSET, 5155 + PORT_OFFSET, 8200 + PORT_OFFSET
PROGRESS_REFERENCE = datetime(2026, 11, 2, 9, 0)  # the demo applications' "today" in these tests


@pytest.fixture(scope="session")
def catalog_url(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("catalog") / "catalog.db"
    url = f"sqlite:///{path}"
    env = {**services.base_env(), "YUBAN_DATABASE_URL": url}
    subprocess.run([sys.executable, "-m", "tooling.cli", "catalog", "import", str(services.ROOT / "data" / "catalog")],
                   cwd=services.ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    return url


@pytest.fixture(scope="session")
def progress_seed(tmp_path_factory):
    """A progress database seeded at a fixed date (stable numbers and overdue states): (url, report)."""
    from progress_service.seed import seed_url

    url = f"sqlite:///{tmp_path_factory.mktemp('progress') / 'progress.db'}"
    return url, seed_url(url, reference=PROGRESS_REFERENCE)


@pytest.fixture(scope="session")
def progress_url(progress_seed) -> str:
    return progress_seed[0]


@pytest.fixture(scope="session")
def conversation_dbs(tmp_path_factory) -> dict[str, str]:
    """The stack's own tracker store and event broker files (SQLite), as environment variables."""
    folder = tmp_path_factory.mktemp("conversations")
    return {"YUBAN_TRACKER_DB": str(folder / "conversations.db"), "YUBAN_EVENTS_DB": str(folder / "events.db")}


@pytest.fixture(scope="session")
def stack(catalog_url, progress_url, conversation_dbs, stack_credentials):
    if not services.MODEL.exists():
        pytest.fail("no trained model: run `make test` (it trains) or `./yuban train`")
    running = services.Stack(rasa_port=RASA_PORT, actions_port=ACTIONS_PORT, progress_port=PROGRESS_PORT,
                             credentials=stack_credentials,  # credentials.yml; the app channel from APP_ENV
                             extra_env={"YUBAN_DATABASE_URL": catalog_url, "YUBAN_PROGRESS_DATABASE_URL": progress_url,
                                        **conversation_dbs, **APP_ENV})
    running.start(log=lambda *_: None)
    assert running.channels.from_env == ["channels.app.AppInput"]  # switched on by the environment alone
    yield running
    running.stop()


@pytest.fixture(scope="session")
def rest(stack) -> RestClient:
    return RestClient(f"http://127.0.0.1:{RASA_PORT}")


def rasa_command(*args: str) -> list[str]:
    return [str(services.VENVS / "rasa" / "bin" / "rasa"), *args]


def rasa_env(**extra: str) -> dict[str, str]:
    return {**services.base_env(), "YUBAN_ACTIONS_URL": f"http://127.0.0.1:{ACTIONS_PORT}/webhook", **extra}
