"""What the Jiangbei-list test modules share: the list's index (built once, tests/knowledge/engines.py), a set's
questions labelled for the list and those about items it lacks, and one session's lexicon block."""
from __future__ import annotations

import yaml

from knowledge import lexicon
from knowledge.lexicon import LexiconEntry, parse_lexicon
from knowledge.search import SearchEngine
from tests.knowledge.engines import jiangbei_names_only


def jiangbei() -> SearchEngine:
    """The real Jiangbei list, names only; skips the test when it is absent (YUBAN_JIANGBEI_LIST)."""
    return jiangbei_names_only()


def asked(questions: list[dict]) -> list[dict]:
    """The questions labelled for the Jiangbei list, in the form knowledge.evaluation scores."""
    return [{"id": f"q{i}", "question": q["q"], "item_patterns": [q["jiangbei"]]}
            for i, q in enumerate(questions) if "jiangbei" in q]


def missing(questions: list[dict]) -> list[str]:
    """The questions about an item the Jiangbei list does not have."""
    return [q["q"] for q in questions if q.get("absent") == "jiangbei"]


def block_entries(block: str) -> list[LexiconEntry]:
    """The lexicon entries of one session's block (its domains end with `block`, e.g. "（search15）")."""
    data = yaml.safe_load(lexicon.LEXICON_FILE.read_text(encoding="utf-8"))
    return [e for e in parse_lexicon(data) if e.domain.endswith(block)]
