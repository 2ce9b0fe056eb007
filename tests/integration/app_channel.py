"""The app channel in the integration stack, switched on from the environment as a newcomer
would (tooling/channels_env.py): its secrets are fresh for each test session and reach Rasa
through the environment; the stack reads the project's credentials.yml unchanged."""
from __future__ import annotations

import secrets

import pytest

from tooling import services

APP_HMAC_SECRET = secrets.token_hex(32)
APP_JWT_SECRET = secrets.token_hex(32)
APP_ISSUER = "https://app-backend.test/"
APP_AUDIENCE = "yuban-assistant"
APP_ENV = {"YUBAN_APP_HMAC_SECRET": APP_HMAC_SECRET, "YUBAN_APP_JWT_SECRET": APP_JWT_SECRET,
           "YUBAN_APP_JWT_ISSUER": APP_ISSUER, "YUBAN_APP_JWT_AUDIENCE": APP_AUDIENCE}


@pytest.fixture(scope="session")
def stack_credentials() -> str:
    """The project's credentials.yml: the app channel comes from APP_ENV, not from an edited file."""
    return str(services.ROOT / "credentials.yml")
