"""Finding life-event bundles (一件事一次办) in a question, beside the item search.

Bundles are matched on their names and aliases only (never on BM25 over summaries), so
they come up when the question names the life event ("开饭店要办哪些手续", "生孩子要办什么")
and do not crowd out items in questions about one concrete service.
"""
from __future__ import annotations

import re
from collections import defaultdict

from knowledge.normalize import compact
from knowledge.records import Bundle

MIN_CONTAINED = 3  # shorter aliases ("结婚") count only when they are the whole question
# Words that ask for the whole package rather than one service.
BUNDLE_CUES = re.compile(r"哪些手续|什么手续|啥手续|要办哪些|要办什么|要办啥|办哪些|一件事|一次办|联办|全套|全流程|都要办|全部手续")
CUE_BONUS = 0.08
GAP_PENALTY = 0.95
# "开个饭馆", "开一家药店", "生了个娃": measure words between the verb and the event do not change it.
MEASURE_WORDS = re.compile(r"(?<=[开生办买卖])(?:了)?(?:一)?[个家间辆套]")


class BundleIndex:
    """Compact names and aliases of the bundles, for exact and contained matches."""

    def __init__(self, bundles: list[Bundle] = ()):
        self.names = {b.code: b.name for b in bundles}
        self.phrases: dict[str, set[str]] = defaultdict(set)
        for bundle in bundles:
            for phrase in (bundle.name, *bundle.aliases):
                key = compact(phrase)
                if len(key) >= 2:
                    self.phrases[key].add(bundle.code)
        # "宝宝刚出生" still names "宝宝出生": one extra character inside a phrase is allowed
        self.gapped = {phrase: re.compile(".?".join(re.escape(c) for c in phrase))
                       for phrase in self.phrases if len(phrase) >= MIN_CONTAINED}

    def match(self, whole: str, core: str, query: str) -> list[tuple[str, str, float, str]]:
        """(code, name, score, matched phrase) of the bundles the question names, best first."""
        if not self.phrases or not whole:
            return []
        whole, core = MEASURE_WORDS.sub("", whole), MEASURE_WORDS.sub("", core)
        scores: dict[str, tuple[float, str]] = {}
        cue = CUE_BONUS if BUNDLE_CUES.search(query) else 0.0
        length = max(len(core), 1)
        for phrase, codes in self.phrases.items():
            if phrase in (whole, core):
                score = 1.0
            elif len(phrase) >= MIN_CONTAINED and phrase in whole:
                score = min(0.99, 0.55 + 0.41 * min(1.0, len(phrase) / length) + cue)
            elif phrase in self.gapped and _gapped_match(self.gapped[phrase], whole, len(phrase)):
                score = min(0.97, (0.55 + 0.41 * min(1.0, len(phrase) / length) + cue) * GAP_PENALTY)
            else:
                continue
            for code in codes:
                if score > scores.get(code, (0.0, ""))[0]:
                    scores[code] = (score, phrase)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[0]))
        return [(code, self.names[code], score, phrase) for code, (score, phrase) in ranked]


def _gapped_match(pattern: re.Pattern, text: str, length: int) -> bool:
    """The phrase's characters in order with at most one other character among them."""
    return any(len(match.group(0)) <= length + 1 for match in pattern.finditer(text))
