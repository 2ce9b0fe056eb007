"""Typed keys of what the console application holds (shared by all console modules)."""
from __future__ import annotations

from aiohttp import web
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from console.accounts import AccountStore
from console.ratelimit import FailureLimiter
from console.settings import Settings
from console.catalog import ConsoleCatalog

SETTINGS = web.AppKey("settings", Settings)
CATALOG_ENGINE = web.AppKey("catalog_engine", Engine)
CATALOG_SESSIONS = web.AppKey("catalog_sessions", sessionmaker[Session])
ACCOUNTS = web.AppKey("accounts", AccountStore)
CATALOG = web.AppKey("catalog", ConsoleCatalog)
LOGIN_LIMITER = web.AppKey("login_limiter", FailureLimiter)
