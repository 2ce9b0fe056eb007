"""Configuration of the progress service, read from the environment once at start."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from core.env import env_int
from progress_service.repository import database_url
from progress_service.seed import CATALOG_DIR, now_local


class SettingsError(ValueError):
    """A configuration value is wrong; the message names the variable."""


def _int_env(name: str, default: int) -> int:
    return env_int(name, default, low=1, error=SettingsError)


@dataclass(frozen=True)
class Settings:
    """Everything the app needs; the clocks are injectable so tests never sleep."""

    database_url: str = field(default_factory=database_url)
    host: str = "127.0.0.1"
    port: int = 8100
    # When set, /v1 requires "Authorization: Bearer <token>": the platform must only
    # trust identities asserted by the assistant, not by anyone who can reach it.
    token: str | None = None
    requests_per_minute: int = 600
    failed_verifications_per_hour: int = 20
    seed_if_empty: bool = True
    catalog_dir: Path = CATALOG_DIR
    now: Callable[[], datetime] = now_local
    monotonic: Callable[[], float] = time.monotonic

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        values = dict(
            database_url=database_url(),
            token=os.environ.get("YUBAN_PROGRESS_TOKEN") or None,
            requests_per_minute=_int_env("YUBAN_PROGRESS_RATE_PER_MINUTE", 600),
            failed_verifications_per_hour=_int_env("YUBAN_PROGRESS_FAILED_PER_HOUR", 20),
        )
        values.update(overrides)
        return cls(**values)
