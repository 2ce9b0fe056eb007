"""What the Jiangbei-list test modules share: the list's index (built once, tests/knowledge/engines.py), a set's
questions labelled for the list and those about items it lacks, one session's lexicon block, and the
official names a block's words must lead to."""
from __future__ import annotations

from pathlib import Path

import yaml

from knowledge import lexicon
from knowledge.evaluation import entries_of, guangan_entries, jiangbei_entries
from knowledge.importer import read_catalog
from knowledge.lexicon import LexiconEntry, parse_lexicon
from knowledge.normalize import compact
from knowledge.search import SearchEngine
from knowledge.service import DEMO_CATALOG
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


def block_and_earlier(block: str) -> tuple[list[LexiconEntry], set[str]]:
    """One session's lexicon block (the entries whose domain ends with `block`, e.g. "（search15）"), and the
    compact `say` of every entry outside it (the first entry of a term wins)."""
    entries = parse_lexicon(yaml.safe_load(lexicon.LEXICON_FILE.read_text(encoding="utf-8")))
    return ([e for e in entries if e.domain.endswith(block)],
            {compact(e.say) for e in entries if not e.domain.endswith(block)})


def official_names(shared_data: Path) -> list[str]:
    """The names of the demo catalog and of the real Guang'an and Jiangbei lists, those that are present."""
    names = [e.name for e in entries_of(read_catalog([DEMO_CATALOG])[0])]
    names += [e.name for e in guangan_entries(shared_data / "reference") or ()]
    names += [e.name for e in jiangbei_entries() or ()]
    return names
