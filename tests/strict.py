"""Skipping a test because a service or a browser is missing — except under CI.

On a developer's machine a test that needs PostgreSQL, Redis, Chromium or the Rasa
environment skips with the reason when it is not there. Under CI (`CI=true`, set by
.ci/run and by CI services) the same absence fails the test: a run whose services did
not start must not go green with those tests silently skipped.
"""
from __future__ import annotations

import os

import pytest


def strict() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def unavailable(reason: str) -> None:
    """Skip (fail under CI) because something the test needs cannot be reached or started."""
    if strict():
        pytest.fail(f"CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def require(condition: object, reason: str) -> None:
    """`unavailable(reason)` unless `condition` holds."""
    if not condition:
        unavailable(reason)
