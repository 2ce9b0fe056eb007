"""Search indexes the knowledge tests share, each built once per test session: the demonstration
catalog without its aliases (what a names-only import gets) and the real Guang'an and Jiangbei lists, names only."""
from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.evaluation import entries_of, guangan_entries, jiangbei_entries
from knowledge.importer import read_catalog
from knowledge.search import SearchEngine
from knowledge.service import DEMO_CATALOG

_ENGINES: dict[str, SearchEngine] = {}


def demo_without_aliases() -> SearchEngine:
    if "demo" not in _ENGINES:
        _ENGINES["demo"] = SearchEngine(entries_of(read_catalog([DEMO_CATALOG])[0], aliases=False))
    return _ENGINES["demo"]


def guangan_names_only(shared_data: Path) -> SearchEngine:
    """Skips the test when the reference list is absent."""
    if "guangan" not in _ENGINES:
        entries = guangan_entries(shared_data / "reference")
        if entries is None:
            pytest.skip("the Guang'an reference list is not present")
        _ENGINES["guangan"] = SearchEngine(entries)
    return _ENGINES["guangan"]


def jiangbei_names_only() -> SearchEngine:
    """The real Jiangbei list (outside the repository, YUBAN_JIANGBEI_LIST); skips the test when it is absent."""
    if "jiangbei" not in _ENGINES:
        entries = jiangbei_entries()
        if entries is None:
            pytest.skip("the Jiangbei list is not present (YUBAN_JIANGBEI_LIST)")
        _ENGINES["jiangbei"] = SearchEngine(entries)
    return _ENGINES["jiangbei"]
