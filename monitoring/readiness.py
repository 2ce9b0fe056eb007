"""Readiness: named checks run concurrently with a time limit (framework independent).

A check is an async callable that returns nothing when the dependency is usable and
raises otherwise. /ready answers 200 only when every check passes, 503 with the failing
checks named otherwise. Error texts are masked and shortened: they end up in responses.
"""
from __future__ import annotations

import asyncio
import re
from typing import Awaitable, Callable, Mapping

from core.personal_data import mask_text

Check = Callable[[], Awaitable[object]]
CHECK_TIMEOUT = 3.0
_URL_PASSWORD = re.compile(r"(://[^/@\s:]*):[^/@\s]*@")


def describe(error: BaseException) -> str:
    """A short, safe reason: personal data masked, passwords in URLs removed."""
    text = _URL_PASSWORD.sub(r"\1:***@", f"{type(error).__name__}: {error}")
    return mask_text(text)[:300]


async def run_checks(checks: Mapping[str, Check], timeout: float = CHECK_TIMEOUT) -> tuple[bool, dict[str, str]]:
    async def one(check: Check) -> str:
        try:
            await asyncio.wait_for(check(), timeout)
            return "ok"
        except asyncio.TimeoutError:
            return f"timeout after {timeout:g} s"
        except Exception as error:  # noqa: BLE001 — any failure means "not ready", with a reason
            return describe(error)

    names = list(checks)
    results = await asyncio.gather(*(one(checks[name]) for name in names))
    report = dict(zip(names, results))
    return all(result == "ok" for result in results), report

