"""Fixtures shared by all tests: paths to fixtures and the shared reference data.

Fixture modules are registered here as plugins (pytest only reads `pytest_plugins` in
the root conftest) instead of being imported into test modules, where an imported
fixture looks unused and its parameter looks like a redefinition. The channel
fixtures need the Rasa environment, where tests/channels runs.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "knowledge" / "fixtures"
SHARED = ROOT.parent / "shared" / "data"
RASA_ENVIRONMENT = ("rasa", "sanic", "wechatpy", "defusedxml", "hypothesis", "redis")

pytest_plugins = ["tests.console.browser", "tests.integration.app_channel"]
if all(importlib.util.find_spec(name) is not None for name in RASA_ENVIRONMENT):
    pytest_plugins += ["tests.channels.wechat_fixtures", "tests.channels.app_fixtures"]


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def shared_data() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared/data is not present")
    return SHARED
