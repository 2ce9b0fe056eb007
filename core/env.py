"""Numbers from environment variables, with the variable named when the value is bad.

One parser for every process (the console, the progress service, the production
settings and the analytics settings each had their own).
"""
from __future__ import annotations

import os
from collections.abc import Mapping


class EnvValueError(ValueError):
    """An environment variable holds a value that is not a number in the allowed range."""


def env_int(name: str, default: int, low: int | None = None, high: int | None = None,
            env: Mapping[str, str] | None = None) -> int:
    """The integer in `name`, `default` when unset or empty; EnvValueError names the variable."""
    raw = (os.environ if env is None else env).get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise EnvValueError(f"{name} 应为整数，实际为 {raw!r}") from None
    _check_range(name, value, low, high)
    return value


def env_float(name: str, default: float, low: float | None = None, high: float | None = None,
              env: Mapping[str, str] | None = None) -> float:
    """The number in `name`, `default` when unset or empty; EnvValueError names the variable."""
    raw = (os.environ if env is None else env).get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise EnvValueError(f"{name} 应为数字，实际为 {raw!r}") from None
    if value != value:  # NaN passes every comparison below
        raise EnvValueError(f"{name} 应为数字，实际为 {raw!r}")
    _check_range(name, value, low, high)
    return value


def _check_range(name: str, value: float, low: float | None, high: float | None) -> None:
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{'' if low is None else low} 到 {'' if high is None else high}".strip()
        raise EnvValueError(f"{name} 应在 {bounds} 之间，实际为 {value}")
