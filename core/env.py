"""Numbers from environment variables, with the variable named when the value is bad.

One parser for every process (the console, the progress service, the production
settings and the analytics settings each had their own).
"""
from __future__ import annotations

import math
import os
from collections.abc import Mapping


class EnvValueError(ValueError):
    """An environment variable holds a value that is not a number in the allowed range."""


def env_int(name: str, default: int, low: int | None = None, high: int | None = None, *,
            env: Mapping[str, str] | None = None, error: type[Exception] = EnvValueError) -> int:
    """The integer in `name`, `default` when unset or empty.

    A bad value raises `error` (each package passes its own configuration error) with a
    message naming the variable, the allowed range and the value found.
    """
    raw = (os.environ if env is None else env).get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise error(f"{name} 应为{_range(low, high)}的整数，实际为 {raw!r}") from None
    if (low is not None and value < low) or (high is not None and value > high):
        raise error(f"{name} 应为{_range(low, high)}的整数，实际为 {raw!r}")
    return value


def env_float(name: str, default: float, low: float | None = None, high: float | None = None, *,
              env: Mapping[str, str] | None = None, error: type[Exception] = EnvValueError) -> float:
    """The number in `name`, `default` when unset or empty; like env_int otherwise."""
    raw = (os.environ if env is None else env).get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise error(f"{name} 应为{_range(low, high)}的数字，实际为 {raw!r}") from None
    if not math.isfinite(value) or (low is not None and value < low) or (high is not None and value > high):
        raise error(f"{name} 应为{_range(low, high)}的数字，实际为 {raw!r}")
    return value


def _range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f" {low:g} 到 {high:g} 之间"
    if low is not None:
        return f"不小于 {low:g} "
    if high is not None:
        return f"不大于 {high:g} "
    return ""
