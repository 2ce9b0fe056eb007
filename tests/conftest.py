"""Fixtures shared by all tests: paths to fixtures and the shared reference data."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "knowledge" / "fixtures"
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def shared_data() -> Path:
    if not SHARED.exists():
        pytest.skip("../shared/data is not present")
    return SHARED
