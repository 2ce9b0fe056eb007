"""The app channel in the integration stack: its secrets (fresh for each test session,
passed to Rasa through the environment) and the stack's credentials file, which is the
project's credentials.yml plus a `channels.app.AppInput` block."""
from __future__ import annotations

import secrets
from pathlib import Path

import pytest
import yaml

from tooling import services

APP_HMAC_SECRET = secrets.token_hex(32)
APP_JWT_SECRET = secrets.token_hex(32)
APP_ISSUER = "https://app-backend.test/"
APP_AUDIENCE = "yuban-assistant"
APP_ENV = {"YUBAN_TEST_APP_HMAC_SECRET": APP_HMAC_SECRET, "YUBAN_TEST_APP_JWT_SECRET": APP_JWT_SECRET}
APP_CHANNEL = {
    "hmac_secret": "${YUBAN_TEST_APP_HMAC_SECRET}",
    "jwt_secret": "${YUBAN_TEST_APP_JWT_SECRET}",
    "jwt_issuer": APP_ISSUER,
    "jwt_audience": APP_AUDIENCE,
}


@pytest.fixture(scope="session")
def stack_credentials(tmp_path_factory) -> str:
    """credentials.yml with the app channel enabled (the project's file is left alone)."""
    channels = yaml.safe_load((services.ROOT / "credentials.yml").read_text(encoding="utf-8")) or {}
    channels["channels.app.AppInput"] = dict(APP_CHANNEL)
    path: Path = tmp_path_factory.mktemp("credentials") / "credentials.yml"
    path.write_text(yaml.safe_dump(channels, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)
