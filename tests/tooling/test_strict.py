"""Under CI a missing service fails the tests that need it (tests/strict.py)."""
from __future__ import annotations

import pytest

from tests.strict import require, unavailable


@pytest.mark.parametrize("ci", ["true", "1", "TRUE"])
def test_under_ci_a_missing_service_fails(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.fail.Exception, match="CI=true: PostgreSQL not reachable"):
        unavailable("PostgreSQL not reachable")
    with pytest.raises(pytest.fail.Exception):
        require(False, "no Chromium")


@pytest.mark.parametrize("ci", [None, "", "false"])
def test_elsewhere_it_skips(monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    with pytest.raises(pytest.skip.Exception, match="Redis not reachable"):
        unavailable("Redis not reachable")
    require(True, "never raised")
