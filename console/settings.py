"""Configuration of the console, read from the environment once at start.

| variable | default | meaning |
|---|---|---|
| YUBAN_DATABASE_URL | sqlite:///var/yuban.db | catalog database (also accounts, sessions, taken handoffs) |
| YUBAN_TRACKER_DATABASE_URL / YUBAN_TRACKER_DB | var/conversations.db | Rasa's tracker store (see console.sources) |
| YUBAN_EVENTS_DATABASE_URL / YUBAN_EVENTS_DB | var/events.db | Rasa's event broker table |
| YUBAN_CONSOLE_PORT | 8000 | port |
| YUBAN_CONSOLE_COOKIE_SECURE | 0 | 1 behind HTTPS: the session cookie is then sent over HTTPS only |
| YUBAN_CONSOLE_API_KEYS | (none) | comma-separated keys accepted in X-API-Key by the assist API |
| YUBAN_CONSOLE_SESSION_HOURS | 8 | a session ends after this many hours without a request |
| YUBAN_CONSOLE_LOGIN_FAILURES | 5 | failed logins per account or address within 15 minutes before 429 |
| YUBAN_CONSOLE_TRUST_PROXY | 0 | 1 behind our reverse proxy (deploy/nginx.conf): the client address is the last X-Forwarded-For entry |
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable

from console import sources
from core.env import env_int
from knowledge.db import database_url
from console.messages import message

MIN_API_KEY_LENGTH = 16


class SettingsError(ValueError):
    """A configuration value is wrong; the message names the variable."""


def utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _positive_int(name: str, default: int) -> int:
    return env_int(name, default, low=1, error=SettingsError)


def _flag(name: str) -> bool:
    raw = (os.environ.get(name) or "0").strip().lower()
    if raw not in ("0", "1", "true", "false", "yes", "no"):
        raise SettingsError(message("operator.not_a_flag", name=name, value=repr(raw)))
    return raw in ("1", "true", "yes")


def _api_keys(name: str) -> tuple[str, ...]:
    keys = tuple(k.strip() for k in (os.environ.get(name) or "").split(",") if k.strip())
    short = [k for k in keys if len(k) < MIN_API_KEY_LENGTH]
    if short:
        raise SettingsError(message("operator.short_key", name=name, length=MIN_API_KEY_LENGTH))
    return keys


@dataclass(frozen=True)
class Settings:
    """Everything the console needs; clocks are injectable so tests never sleep."""

    catalog_url: str = field(default_factory=database_url)
    tracker_url: str = field(default_factory=sources.tracker_url)
    events_url: str = field(default_factory=sources.events_url)
    host: str = "127.0.0.1"
    port: int = 8000
    cookie_secure: bool = False
    api_keys: tuple[str, ...] = ()
    session_hours: int = 8
    login_failures: int = 5
    trust_proxy: bool = False
    login_window_seconds: int = 15 * 60
    # How often search checks the catalog version for changes made by other processes (the
    # command line); the console's own changes (aliases, publish) are live for the next search.
    catalog_reload_seconds: float = 1.0
    now: Callable[[], datetime] = utcnow
    monotonic: Callable[[], float] = time.monotonic

    @classmethod
    def from_env(cls, **overrides) -> Settings:
        values = dict(
            catalog_url=database_url(), tracker_url=sources.tracker_url(), events_url=sources.events_url(),
            port=_positive_int("YUBAN_CONSOLE_PORT", 8000),
            cookie_secure=_flag("YUBAN_CONSOLE_COOKIE_SECURE"),
            api_keys=_api_keys("YUBAN_CONSOLE_API_KEYS"),
            session_hours=_positive_int("YUBAN_CONSOLE_SESSION_HOURS", 8),
            login_failures=_positive_int("YUBAN_CONSOLE_LOGIN_FAILURES", 5),
            trust_proxy=_flag("YUBAN_CONSOLE_TRUST_PROXY"),
        )
        values.update(overrides)
        return cls(**values)
