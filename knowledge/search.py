"""From a citizen's words to ranked catalog items.

Signals, strongest first: an exact code, an exact name or alias, the dictionary
matcher (spaCy PhraseMatcher over jieba tokens of every name and alias, plus the
domain lexicon), homophones (pinyin n-grams of names and aliases), BM25F over jieba
tokens and character bigrams with field weights, and fuzzy matching of names. The
result is deterministic: ties break on the item code.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.bundle_search import BundleIndex
from knowledge.normalize import compact, normalize
from knowledge.records import Bundle
from knowledge.regions import Region, RegionIndex, load_regions
from knowledge.store import SearchEntry
from knowledge.tokenize import Tokenizer

LEXICON_FILE = Path(__file__).with_name("data") / "lexicon.yml"
ANSWER, CHOOSE, NOT_FOUND = "answer", "choose", "not_found"
CODE_RE = re.compile(r"[0-9a-z]{3}[a-z0-9-]{5,36}")

# Words that say what is asked, not which item; removed before matching.
QUESTION_WORDS = sorted("""
请问 问一下 问下 我想问 想问 咨询 一下 你好 您好 我想 我要 想要 需要 要 想 我 我们 你们 他 她 的 了 吗 呢 啊 吧 呀 么 嘛 哦
怎么办理 如何办理 怎样办理 怎么办 怎么弄 咋办 咋弄 啷个办 怎么 怎样 如何 咋个 咋 啷个 为什么 什么样 什么 啥子 啥 哪些 哪个 哪里 哪儿 哪
在哪里 在哪儿 在哪 去哪 多久 多长时间 多少天 几天 多少钱 多少 要钱 收费 费用 材料 资料 手续 流程 步骤 程序 办理 去办 办 可以 能否 能不能
能 是否 有没有 有 没有 应该 应当 必须 带 提供 提交 准备 规定 条件 时限 时间 网上 线上 线下 本市 北京市 北京 重庆市 重庆 市里 谢谢
""".split(), key=len, reverse=True)
_QUESTION_RE = re.compile("|".join(re.escape(w) for w in QUESTION_WORDS))

FIELD_WEIGHTS = {"name": 3.0, "aliases": 2.5, "topics": 0.6, "summary": 0.5, "department": 0.3}
K1, B = 1.2, 0.6
BUNDLE_MIN_SCORE = 0.7


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    score: float
    matched: str | None = None


@dataclass(frozen=True)
class SearchResult:
    query: str
    district: Region | None
    decision: str
    candidates: tuple[Candidate, ...] = field(default_factory=tuple)
    core: str = ""  # the question without district and question words: what names the item
    bundles: tuple[Candidate, ...] = field(default_factory=tuple)  # life-event bundles named, best first
    bundle: Candidate | None = None  # the bundle that answers the question better than any item

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None

    def to_json(self) -> dict:
        return {
            "query": self.query,
            "district": self.district.name if self.district else None,
            "decision": self.decision,
            "candidates": [{"code": c.code, "name": c.name, "score": round(c.score, 4)} for c in self.candidates],
            "bundles": [{"code": c.code, "name": c.name, "score": round(c.score, 4)} for c in self.bundles],
            "bundle": self.bundle.code if self.bundle else None,
        }


@dataclass(frozen=True)
class Thresholds:
    """Decision thresholds, calibrated on the development questions as a whole.

    Answer when the best item is clearly good (absolute score and margin) or clearly ahead
    of the rest (ratio); offer choices above `choose`; below it nothing fits.
    """

    answer: float = 0.62
    margin: float = 0.06
    answer_relative: float = 0.35
    ratio: float = 1.5
    choose: float = 0.22


@lru_cache(maxsize=1)
def load_lexicon(path: Path = LEXICON_FILE) -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {compact(k): tuple(v) for k, v in (data.get("synonyms") or {}).items()}


class SearchEngine:
    """An in-memory index of the catalog; build a new one when the catalog changes."""

    def __init__(self, entries: list[SearchEntry], *, regions: RegionIndex | None = None,
                 lexicon: dict[str, tuple[str, ...]] | None = None, thresholds: Thresholds = Thresholds(),
                 bundles: list[Bundle] = ()):
        self.entries = {e.code: e for e in entries}
        self.bundle_index = BundleIndex(bundles)
        self.regions = regions or load_regions()
        self.lexicon = load_lexicon() if lexicon is None else lexicon
        self.thresholds = thresholds
        self.phrases: dict[str, set[str]] = defaultdict(set)  # compact phrase -> codes
        self.variants: dict[str, tuple[str, ...]] = {}  # code -> compact name and aliases
        for entry in entries:
            self.variants[entry.code] = tuple(compact(p) for p in (entry.name, *entry.aliases))
            for key in self.variants[entry.code]:
                if len(key) >= 2:
                    self.phrases[key].add(entry.code)
        self.tokenizer = Tokenizer(list(self.phrases) + list(self.lexicon))
        self._build_phrase_matcher()
        self._build_pinyin()
        self._build_bm25(entries)

    # ------------------------------------------------------------ index building
    def _build_phrase_matcher(self) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher
        from spacy.tokens import Doc

        self._nlp = spacy.blank("zh")
        self._doc = lambda words: Doc(self._nlp.vocab, words=words, spaces=[False] * len(words))
        self.matcher = PhraseMatcher(self._nlp.vocab, attr="ORTH")
        for phrase in sorted(self.phrases):
            self.matcher.add(phrase, [self._doc(self.tokenizer.words(phrase))])
        for term in sorted(self.lexicon):
            self.matcher.add("lex:" + term, [self._doc(self.tokenizer.words(term))])

    def _build_pinyin(self) -> None:
        self.pinyin_phrases: dict[str, str] = {}
        for phrase in self.phrases:
            if len(phrase) >= 3:
                self.pinyin_phrases.setdefault(" ".join(_pinyin(phrase)), phrase)
        self.max_pinyin_len = max((len(p) for p in self.phrases), default=0)

    def _build_bm25(self, entries: list[SearchEntry]) -> None:
        fields_of = lambda e: {"name": e.name, "aliases": " ".join(e.aliases), "topics": " ".join(e.topics),
                               "summary": e.summary or "", "department": e.department or ""}
        token_counts: dict[str, list[dict[str, int]]] = {f: [] for f in FIELD_WEIGHTS}
        codes = []
        for entry in entries:
            codes.append(entry.code)
            for name, value in fields_of(entry).items():
                counts: dict[str, int] = defaultdict(int)
                for token in self.tokenizer.terms(normalize(value)):
                    counts[token] += 1
                token_counts[name].append(counts)
        average = {f: (sum(sum(c.values()) for c in token_counts[f]) / max(len(codes), 1)) or 1.0 for f in FIELD_WEIGHTS}
        postings: dict[str, dict[str, float]] = defaultdict(dict)
        for index, code in enumerate(codes):
            weighted: dict[str, float] = defaultdict(float)
            for f, weight in FIELD_WEIGHTS.items():
                counts = token_counts[f][index]
                length = sum(counts.values())
                norm = 1 - B + B * length / average[f]
                for token, tf in counts.items():
                    weighted[token] += weight * tf / norm
            for token, wtf in weighted.items():
                postings[token][code] = wtf / (K1 + wtf)
        n = max(len(codes), 1)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
        self.postings = postings

    # ------------------------------------------------------------ querying
    def search(self, text: str, top: int = 5) -> SearchResult:
        query = normalize(text)
        district, rest = self.regions.find_in_text(query)
        core = compact(_QUESTION_RE.sub(" ", rest))
        bundles = tuple(Candidate(*match) for match in self.bundle_index.match(compact(rest), core, query))
        exact = self._exact(compact(rest), core)
        if exact:
            candidates = tuple(exact[:top])
            return SearchResult(text, district, ANSWER, candidates, core, bundles, _answering_bundle(bundles, candidates))
        scores: dict[str, float] = defaultdict(float)
        matched: dict[str, str] = {}
        whole = compact(rest)
        expansion = self._phrase_scores(whole, len(core), scores, matched)
        self._pinyin_scores(whole, len(core), scores, matched)
        bm25 = self._bm25(core + " " + " ".join(expansion))
        for code, value in bm25.items():
            scores[code] = scores[code] * 0.62 + value * 0.38 if code in matched else value * 0.5
        self._fuzzy(core, scores)
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        candidates = tuple(Candidate(code, self.entries[code].name, min(score, 1.0), matched.get(code)) for code, score in ranked)
        return SearchResult(text, district, self._decide(candidates), candidates, core, bundles,
                            _answering_bundle(bundles, candidates))

    def _exact(self, whole: str, core: str) -> list[Candidate]:
        for code_match in CODE_RE.finditer(whole):
            code = code_match.group(0).upper()
            if code in self.entries:
                return [Candidate(code, self.entries[code].name, 1.0, code)]
        for key in (whole, core):
            codes = self.phrases.get(key)
            if codes:
                return [Candidate(c, self.entries[c].name, 1.0, key) for c in sorted(codes)]
        return []

    def _phrase_scores(self, text: str, core_length: int, scores: dict[str, float], matched: dict[str, str]) -> list[str]:
        """Names and aliases found in the question; the lexicon's expansions for BM25."""
        if not text:
            return []
        doc = self._doc(self.tokenizer.words(text))
        expansion: list[str] = []
        length = max(core_length, 1)
        for match_id, _start, _end in self.matcher(doc):
            phrase = self._nlp.vocab.strings[match_id]
            if phrase.startswith("lex:"):
                expansion += self.lexicon[phrase[4:]]
                continue
            self._credit(phrase, length, scores, matched, 1.0)
        return expansion

    def _credit(self, phrase: str, length: int, scores: dict[str, float], matched: dict[str, str], weight: float) -> None:
        coverage = min(1.0, len(phrase) / length)
        for code in self.phrases[phrase]:
            bonus = 0.04 if phrase == self.variants[code][0] else 0.0
            value = weight * (0.55 + 0.41 * coverage + bonus)
            if value > scores[code]:
                scores[code] = value
                matched[code] = phrase

    def _pinyin_scores(self, text: str, core_length: int, scores: dict[str, float], matched: dict[str, str]) -> None:
        """Homophone typos: a run of the question that sounds like a name or alias."""
        syllables = _pinyin(text)
        if len(syllables) != len(text) or len(text) < 3:
            return  # letters or digits inside: pinyin positions would not line up
        for size in range(min(self.max_pinyin_len, len(text)), 2, -1):
            for start in range(0, len(text) - size + 1):
                phrase = self.pinyin_phrases.get(" ".join(syllables[start:start + size]))
                if phrase and phrase != text[start:start + size]:
                    self._credit(phrase, max(core_length, 1), scores, matched, 0.95)

    def _bm25(self, text: str) -> dict[str, float]:
        terms = [t for t in dict.fromkeys(self.tokenizer.terms(text)) if t in self.idf]
        if not terms:
            return {}
        total = sum(self.idf[t] for t in terms) * 0.8
        scores: dict[str, float] = defaultdict(float)
        for term in terms:
            idf = self.idf[term]
            for code, value in self.postings[term].items():
                scores[code] += idf * value
        return {code: min(1.0, value / total) for code, value in scores.items()}

    def _fuzzy(self, core: str, scores: dict[str, float]) -> None:
        """Character-level similarity of the question to names, for typos the other signals miss."""
        if len(core) < 2:
            return
        from rapidfuzz import fuzz

        shortlist = sorted(scores, key=lambda c: (-scores[c], c))[:30]
        for code in shortlist:
            best = max(fuzz.partial_ratio(core, variant) for variant in self.variants[code]) / 100
            scores[code] = scores[code] * 0.85 + best * 0.15

    def _decide(self, candidates: tuple[Candidate, ...]) -> str:
        if not candidates or candidates[0].score < self.thresholds.choose:
            return NOT_FOUND
        top = candidates[0].score
        second = candidates[1].score if len(candidates) > 1 else 0.0
        t = self.thresholds
        if (top >= t.answer and top - second >= t.margin) or (top >= t.answer_relative and top >= t.ratio * second):
            return ANSWER
        return CHOOSE


def _answering_bundle(bundles: tuple[Candidate, ...], items: tuple[Candidate, ...]) -> Candidate | None:
    """The best bundle when it fits at least as well as the best item (a named life event wins ties)."""
    if not bundles or bundles[0].score < BUNDLE_MIN_SCORE:
        return None
    if items and items[0].score > bundles[0].score:
        return None
    return bundles[0]


@lru_cache(maxsize=65536)
def _pinyin_cached(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text, errors=lambda chars: list(chars)))


def _pinyin(text: str) -> list[str]:
    return list(_pinyin_cached(text))
