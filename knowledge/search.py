"""From a citizen's words to ranked catalog items.

Signals, strongest first: an exact code, an exact name or alias, the dictionary
matcher (spaCy PhraseMatcher over jieba tokens of every name and alias, plus the
domain lexicon), homophones (pinyin n-grams of names and aliases), BM25F over jieba
tokens and character bigrams with field weights, and fuzzy matching of names. The
result is deterministic: ties break on the item code.
"""
from __future__ import annotations

import heapq
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from knowledge import lexicon as lexicon_file
from knowledge.bundle_search import BundleIndex
from knowledge.confidence import CONFIDENCE_POOL, calibrate, decide
from knowledge.coverage import QuestionCoverage
from knowledge.lexicon import Lexicon, LexiconEntry, LexiconMatch
from knowledge.name_parts import (ACTION_WORDS, DEFAULT_ACTIONS, NEUTRAL_ACTIONS, SALE_WORDS, BUYERS_ACTIONS, PartIndex, alternate_names, bigrams,
                                  bracket_actions,
                                  negated_words, split_name)
from knowledge.normalize import compact, normalize
from knowledge.object_typos import ActionTypos, ObjectTypos
from knowledge.phrasing import (CHANGE, FOUNDING_WORDS, Phrasing, VerbLast, attribute_spans, canonical_ages, care_elsewhere, contradicts, does_opposed, done_before, done_spans, employer_spans, joined_verbs, lone_cancels, negated_kinds, personal_entry_changed, plain_passives,
                                INFO_CHANGE, NOT_YET_WORDS, opposed_actions, purpose_spans, sale_side, undone_actions,
                                ANIMAL_DEATH_ACTION, ANIMAL_FORMS, DEATH_FORMS, background_spans, business_record,
                                implied_actions, implied_objects, BODY_WORDS, ENTRY_WORDS, entry_changed)
from knowledge.records import Bundle
from knowledge.siblings import (SAID_DAMP, SAID_SHORTLIST, SIBLING_DAMP, VARIANT_DAMP, VARIANT_SHORTLIST, MarkedVariants, family_unasked,
                                said_action_unasked, said_actions)
from knowledge.regions import Region, RegionIndex, load_regions
from knowledge.store import SearchEntry
from knowledge.tokenize import Tokenizer

LEXICON_FILE = lexicon_file.LEXICON_FILE
ANSWER, CHOOSE, NOT_FOUND = "answer", "choose", "not_found"
CODE_RE = re.compile(r"[0-9a-z]{3}[a-z0-9-]{5,36}")

# Words that say what is asked, not which item; removed before matching.
QUESTION_WORDS = sorted("""
请问 问一下 问下 我想问 想问 咨询 一下 你好 您好 我想 我要 想要 需要 要 想 我 我们 你们 他 她 的 了 吗 呢 啊 吧 呀 么 嘛 哦 哪门
怎么办理 如何办理 怎样办理 怎么办 怎么弄 咋办 咋弄 啷个办 怎么 怎样 如何 咋个 咋 啷个 为什么 什么样 什么 啥子 啥 哪些 哪个 哪里 哪儿 哪
在哪里 在哪儿 在哪 去哪 多久 多长时间 多少天 几天 多少钱 多少 要钱 收费 费用 材料 资料 手续 流程 步骤 程序 办理 去办 办 可以 能否 能不能
能 是否 有没有 有 没有 应该 应当 必须 带 提供 提交 准备 规定 条件 时限 时间 网上 线上 线下 本市 北京市 北京 重庆市 重庆 市里 谢谢
""".split(), key=len, reverse=True)
_QUESTION_RE = re.compile("|".join(re.escape(w) for w in QUESTION_WORDS))
_PLAIN_ACTIONS = frozenset(DEFAULT_ACTIONS) | frozenset(NEUTRAL_ACTIONS)
_ASKED_ACTIONS = tuple(w for w in ACTION_WORDS if len(w) >= 2 and w not in _PLAIN_ACTIONS)
_ITEM_ACTION_ENDINGS = tuple(w for w in ACTION_WORDS if w not in _PLAIN_ACTIONS)
# The action words a homophone typo beside a written object is read as (补岭 → 补领): the two-character ones that
# are not plain (登记 sounds like 等级, a word of its own).
_TYPO_ACTIONS = tuple(w for w in ACTION_WORDS if len(w) == 2 and w not in _PLAIN_ACTIONS)
# Words every other item has: a candidate that shares only these with the question is not a
# match ("申请专利" against 失业保险金申领 and 居住证申领), whatever its score (confidence.py).
GENERIC_WORDS = sorted(set(DEFAULT_ACTIONS) | set(NEUTRAL_ACTIONS) | set("""
申请 申领 办理 登记 办 手续 业务 事项 服务 信息 相关 审批
""".split()), key=len, reverse=True)
_GENERIC_RE = re.compile("|".join(re.escape(w) for w in GENERIC_WORDS))
SOUND_ALIKE_MIN = 3  # shorter terms share their sound with too many other words (失业/事业)
_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]+$")
_FILLERS = re.compile(r"一个|一条|一张|一本|一只|[了个条张只]")  # measure words and 了 between a verb and its object

STAGES = ("exact", "phrase", "lexicon", "pinyin", "bm25", "objects", "concepts", "fuzzy", "phrasing", "coverage")
_PLAIN = Phrasing()
# Actions a question may undo (解除挂失, 取消抵押), longest first; UNDONE_DAMP is what is left of the
# score of a name doing the undone action (knowledge/phrasing.py).
_UNDOABLE = tuple(sorted(set(ACTION_WORDS) | {"抵押", "质押", "查封", "冻结"}, key=lambda w: (-len(w), w)))
UNDONE_DAMP = 0.7
CERTIFICATE_WORD, CERTIFYING_DAMP = "证明", 0.8  # session 15: a certificate of a thing done is not the doing
CERTIFIED_ACTIONS = ("迁移", "迁入", "迁出", "注销", "变更", "更正")  # what a household or registration certificate attests
OPPOSED_DAMP = 0.4  # what is left of the score of a name doing only an action the question rules out
# An alias match whose item accounts for none of an object the question names, against a candidate scoring at
# least ALIAS_RIVAL of it that does: what is left of its score (`_alias_scores`), among the ALIAS_SHORTLIST best.
ALIAS_UNEXPLAINED, ALIAS_RIVAL, ALIAS_SHORTLIST = 0.7, 0.5, 10
# A certificate named without an action asks for the item that issues it: names doing something
# else to it (补领, 换领, 变更) keep this share of their score (_names_issued_certificate).
CERTIFICATE_DAMP, CERTIFICATE_ENDINGS = 0.7, ("证", "证书", "执照", "本", "簿")
CONTRADICTION_DAMP = 0.5
INFO_CHANGE_LEAD = 1.05  # how far a name changing the holder's information leads the document's names when an entry changed
# BM25 weight of the lexicon's object / action / person terms: a person word (孩子 → 子女) says
# who the item is for, not which item, so it weighs least (孩子转学 is 学籍异动, not 收养子女).
OBJECT_EXPANSION, ACTION_EXPANSION, PERSON_EXPANSION = 1.0, 0.5, 0.25
PERSON_CREDIT = 0.3  # what a person word covers of a name's object, next to an object word
QUALIFIER_CREDIT = 0.1  # what a person or purpose word covering a name's qualifier (租赁住房) adds to its score
EXPANSION_SCALE = 0.5  # share of the expansions' weight in the BM25 normalisation (1.0: they dilute fully)
OBJECT_WEIGHT, OBJECT_SHARE, OBJECT_SHORTLIST = 0.5, 0.6, 60
# How much the share of the question's lexicon terms a name accounts for moves its score, and
# what an action term counts next to an object term (_concept_scores). 0.15 keeps the gains on
# our own question sets and costs least on long questions, where an incidental term (国外,
# 已注销) is a concept too.
CONCEPT_WEIGHT, CONCEPT_ACTION, CONCEPT_PERSON, CONCEPT_SHORTLIST = 0.15, 0.6, 0.3, 20
# The name is indexed twice: whole, and its object part again, so the object outweighs the action.
FIELD_WEIGHTS = {"name": 3.0, "object": 1.5, "aliases": 2.5, "topics": 0.6, "summary": 0.5, "department": 0.3}
K1, B = 1.2, 0.6
BUNDLE_MIN_SCORE = 0.7
ACCOUNTS_CACHE_SIZE = 200_000  # (item, lexicon term) answers kept before the cache starts over


@dataclass(frozen=True)
class Candidate:
    code: str
    name: str
    score: float
    matched: str | None = None
    confidence: float = 0.0  # calibrated probability that this is the item asked about (knowledge/confidence.py)


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
            "candidates": [{"code": c.code, "name": c.name, "score": round(c.score, 4), "confidence": c.confidence}
                           for c in self.candidates],
            "bundles": [{"code": c.code, "name": c.name, "score": round(c.score, 4)} for c in self.bundles],
            "bundle": self.bundle.code if self.bundle else None,
        }


@dataclass(frozen=True)
class Thresholds:
    """The score under which nothing fits (`not_found`); answer-or-choose is the confidence
    rule of knowledge/confidence.py. The other fields are kept for callers that set them."""

    answer: float = 0.62
    margin: float = 0.06
    answer_relative: float = 0.35
    ratio: float = 1.5
    choose: float = 0.15


def load_lexicon(path: Path = LEXICON_FILE) -> dict[str, tuple[str, ...]]:
    """`colloquial term -> official terms` (the NLU lookup tables read this view)."""
    return lexicon_file.load(path).as_synonyms()


class SearchEngine:
    """An in-memory index of the catalog; build a new one when the catalog changes."""

    def __init__(self, entries: list[SearchEntry], *, regions: RegionIndex | None = None,
                 lexicon: Lexicon | dict[str, tuple[str, ...]] | None = None, thresholds: Thresholds = Thresholds(),
                 bundles: list[Bundle] = (), disabled: frozenset[str] | set[str] = frozenset()):
        unknown = set(disabled) - set(STAGES)
        if unknown:
            raise ValueError(f"unknown search stages: {sorted(unknown)}")
        self.disabled = frozenset(disabled)
        self.entries = {e.code: e for e in entries}
        self.bundle_index = BundleIndex(bundles)
        self.regions = regions or load_regions()
        self.lexicon = _as_lexicon(lexicon_file.load() if lexicon is None else lexicon)
        self.thresholds = thresholds
        self.phrases: dict[str, set[str]] = defaultdict(set)  # compact phrase -> codes
        self.variants: dict[str, tuple[str, ...]] = {}  # code -> compact name and aliases
        for entry in entries:
            self.variants[entry.code] = tuple(compact(p) for p in (entry.name, *entry.aliases, *alternate_names(entry.name)))
            for key in self.variants[entry.code]:
                if len(key) >= 2:
                    self.phrases[key].add(entry.code)
        official = {compact(m) for e in self.lexicon.entries.values() for m in e.means}
        # what a question may name, for the concept stage: colloquial terms and official ones as written
        said = {compact(e.say) for e in self.lexicon.entries.values()}
        kinds = {compact(m): e.kind for e in self.lexicon.entries.values() for m in e.means}
        self.concepts = Lexicon(list(self.lexicon.entries.values())
                                + [LexiconEntry(t, (t,), kinds[t], "", "official") for t in sorted(official - said) if len(t) >= 2])
        self.object_concepts = Lexicon([e for e in self.concepts.entries.values() if e.kind == "object"])
        self.verb_last = VerbLast(list(self.lexicon.entries))
        self.tokenizer = Tokenizer(list(self.phrases) + list(self.lexicon.entries) + sorted(official))
        self.parts = PartIndex({e.code: e.name for e in entries})
        # names certifying that something was done: 证明 beside another action (注销户口证明) or an action inside the object
        # (开具户口迁移情况证明)
        self.certifying = frozenset(
            code for code, p in self.parts.parts.items() if p.actions and p.actions[-1] == CERTIFICATE_WORD
            and any(w in f"{p.object} {' '.join(p.actions[:-1])}" for w in CERTIFIED_ACTIONS))
        self.variants_marked = MarkedVariants({e.code: e.name for e in entries}, self.parts.parts)
        # 非X inside names (民办非企业单位, 非公司企业法人): per item, and every X some name negates
        self.negated = {e.code: words for e in entries if (words := negated_words(compact(e.name)))}
        self.negatable = frozenset(w for words in self.negated.values() for w in words)
        self._form_cache: dict[LexiconEntry, tuple] = {}
        self._means_cache: dict[str, set[str]] = {}
        self._grams_cache: dict[str, tuple[str, tuple[frozenset[str], ...]]] = {}
        self._accounts_cache: dict[tuple[str, tuple], bool] = {}  # (code, forms) -> held; the lexicon is finite
        self._build_phrase_matcher()
        self._build_pinyin()
        self._build_bm25(entries)
        self.coverage = QuestionCoverage(self.parts, self.variants, frozenset(compact(w) for w in GENERIC_WORDS))

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

    def _build_pinyin(self) -> None:
        self.pinyin_phrases: dict[str, str] = {}
        for phrase in self.phrases:
            if len(phrase) >= 3:
                self.pinyin_phrases.setdefault(" ".join(_pinyin(phrase)), phrase)
        self.max_pinyin_len = max((len(p) for p in self.phrases), default=0)
        # the lexicon's terms by sound, for homophone typos of a citizen's word (身分证, 社宝卡): a sound
        # two terms share names neither
        by_sound: dict[str, set[str]] = defaultdict(set)
        for term in self.lexicon.entries:
            if len(term) >= SOUND_ALIKE_MIN and _CJK_ONLY.match(term):
                by_sound[" ".join(_pinyin(term))].add(term)
        self.sound_alikes = {sound: next(iter(terms)) for sound, terms in by_sound.items() if len(terms) == 1}
        # what is already written right: the names and the lexicon's official terms (a run of them is kept)
        self._spelled = "|".join([*self.phrases, *(m for e in self.lexicon.entries.values() for m in e.means)])
        self._sound_sizes = tuple(sorted({len(t) for t in self.sound_alikes.values()}, reverse=True))
        self.object_typos = ObjectTypos(self.lexicon, self.tokenizer.loose_characters, _pinyin)
        self.action_typos = ActionTypos(_TYPO_ACTIONS, self.tokenizer.loose_characters, _pinyin)

    def _build_bm25(self, entries: list[SearchEntry]) -> None:
        fields_of = lambda e: {"name": e.name, "object": self.parts.parts[e.code].object, "aliases": " ".join(e.aliases), "topics": " ".join(e.topics),
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
        # the same postings as arrays (item positions, values), summed densely at query time; made
        # when a term is first asked, so building the index costs what it did
        self._codes = codes
        self._position = {code: i for i, code in enumerate(codes)}
        self._rows: dict[str, tuple[np.ndarray, np.ndarray]] = {}

    # ------------------------------------------------------------ querying
    def search(self, text: str, top: int = 5) -> SearchResult:
        query = normalize(text)
        district, rest = self.regions.find_in_text(query)
        if "phrasing" not in self.disabled:
            rest = business_record(care_elsewhere(lone_cancels(plain_passives(self.verb_last.join(joined_verbs(canonical_ages(rest)))))))
        if "pinyin" not in self.disabled:
            rest = self._sound_alikes(rest)
        whole = compact(rest)
        core = compact(_QUESTION_RE.sub(" ", rest))
        bundles = tuple(Candidate(*match) for match in self.bundle_index.match(whole, core, query))
        exact = self._exact(whole, core) if "exact" not in self.disabled else []
        if exact:
            candidates = tuple(replace(c, confidence=round(1 / len(exact), 4)) for c in exact[:top])
            decision = ANSWER if len(candidates) == 1 else CHOOSE
            return SearchResult(text, district, decision, candidates, core, bundles, _answering_bundle(bundles, candidates))
        phrasing = self._phrasing(whole)
        found = _changed_entries(_animal_deaths(self._lexicon_terms(whole, phrasing)), whole)
        main = compact(_QUESTION_RE.sub(" ", phrasing.cut(whole))) if phrasing != _PLAIN else core
        objects = [m for e in found if e.kind == "object" for m in e.means]
        actions = [m for e in found if e.kind == "action" for m in e.means]
        if "phrasing" not in self.disabled:  # session 15: 法人要换人 asks for 变更, 公司散伙了 for 注销, 迁过来 for 迁入
            actions += [a for a in implied_actions(whole) if a not in actions]
            objects += [o for o in implied_objects(whole) if o not in objects]
        persons = [m for e in found if e.kind == "person" for m in e.means]
        scores: dict[str, float] = defaultdict(float)
        matched: dict[str, str] = {}
        if "phrase" not in self.disabled:
            self._phrase_scores(whole, len(core), scores, matched)
        if "pinyin" not in self.disabled:
            self._pinyin_scores(whole, len(core), scores, matched)
        if "bm25" not in self.disabled:
            bm25 = self._bm25([(main, 1.0), (" ".join(objects), OBJECT_EXPANSION), (" ".join(actions), ACTION_EXPANSION),
                               (" ".join(persons), PERSON_EXPANSION)])
            for code, value in bm25.items():
                scores[code] = scores[code] * 0.62 + value * 0.38 if code in matched else value * 0.5
        if "objects" not in self.disabled:
            self._object_scores(main, phrasing.cut(whole), objects, actions, scores, persons, phrasing,
                                _names_issued_certificate(found))
        named = _animal_deaths(self._named(whole, phrasing))
        if "concepts" not in self.disabled and "lexicon" not in self.disabled:
            self._concept_scores(named, scores)
        if "fuzzy" not in self.disabled:
            self._fuzzy(core, scores)
        contradicted = self._contradiction_scores(named, scores) | self._negation_scores(whole, scores, found) \
            if "phrasing" not in self.disabled else set()
        if "phrasing" not in self.disabled:
            self._opposed_scores(whole, actions, scores)
            self._certifying_scores(whole, objects, actions, scores)
            if personal_entry_changed(whole):
                self._info_change_scores(named, scores)
        if "objects" not in self.disabled:
            self._alias_scores(named, scores, matched)
            said = bigrams(" ".join([whole, *objects, *actions]))
            for code in self.variants_marked.damped(_top(scores, VARIANT_SHORTLIST), said):
                scores[code] *= VARIANT_DAMP
            self._said_action_scores(main, phrasing.cut(whole), objects, actions, scores, phrasing)
        pool = _top(scores, max(top, CONFIDENCE_POOL))
        generic = self._generic_only(core, found, pool, matched) | (contradicted & set(pool))
        candidates = tuple(Candidate(code, self.entries[code].name, min(scores[code], 1.0), matched.get(code))
                           for code in pool)
        covered = self.coverage.of(named, pool, self._accounts_for, self._forms) \
            if "coverage" not in self.disabled else {}
        candidates = calibrate(candidates, generic, covered)[:top]
        return SearchResult(text, district, self._decide(candidates, core, generic, covered), candidates, core, bundles,
                            _answering_bundle(bundles, candidates))

    def _generic_only(self, core: str, found: list[LexiconEntry], codes: list[str], matched: dict[str, str]) -> set[str]:
        """The codes that share nothing with the question but generic words (申请, 办理, 登记 …).

        What the question names is its core and its lexicon terms' official forms, each with
        the generic words cut out; a code that holds none of it (in any indexed field) and
        was not found by a name or alias of its own is a match made of generic words only.
        """
        terms = self._specific_terms(core) | {t for e in found for m in e.means for t in self._means_terms(m)}
        out = set()
        for code in codes:
            phrase = matched.get(code)
            if phrase and _GENERIC_RE.sub("", phrase):
                continue
            if not any(code in self.postings[t] for t in terms):
                out.add(code)
        return out

    def _lexicon_terms(self, whole: str, phrasing: Phrasing | None = None) -> list[LexiconEntry]:
        """The lexicon entries the question names, in the order found (a purpose's as person words)."""
        if "lexicon" in self.disabled:
            return []
        bare = _FILLERS.sub("", whole)  # 考个驾照, 养了条狗: the lexicon's 考驾照, 养狗
        matches = {(m.entry.say, m.entry.kind): m.entry for m in self.lexicon.find(whole)}
        matches.update({(m.entry.say, m.entry.kind): m.entry for m in self.lexicon.find(bare)} if bare != whole else {})
        return _as_purposes(list(matches.values()), whole, phrasing)

    def _named(self, whole: str, phrasing: Phrasing | None = None) -> list[LexiconEntry]:
        """What the question names: colloquial lexicon terms and official terms, a term inside a longer one skipped."""
        bare = _FILLERS.sub("", whole)
        matches = {(m.entry.say, m.entry.kind): m.entry for m in self.concepts.find(whole)}
        matches.update({(m.entry.say, m.entry.kind): m.entry for m in self.concepts.find(bare)} if bare != whole else {})
        return _as_purposes(list(matches.values()), whole, phrasing)

    def _phrasing(self, whole: str) -> Phrasing:
        """The question's purposes (only when it names another object) and undone actions (knowledge/phrasing.py)."""
        if "phrasing" in self.disabled:
            return _PLAIN
        objects = [(m.start, m.end) for m in self.object_concepts.find(whole)]
        spans = sorted(set(purpose_spans(whole)) | set(attribute_spans(whole)) | set(done_spans(whole))
                       | set(done_before(whole, objects)) | set(employer_spans(whole)) | set(background_spans(whole, objects)))
        if spans:  # a purpose only qualifies another object: objects named outside it (提公积金's 公积金 too)
            blanked = Phrasing(tuple(spans)).cut(whole)
            spans = spans if self.object_concepts.find(blanked) else []
        undone = undone_actions(whole, _UNDOABLE)
        return Phrasing(tuple(spans), tuple(undone)) if spans or undone else _PLAIN

    def _expansions(self, whole: str) -> tuple[list[str], list[str]]:
        """The lexicon's official terms for the question's words: (objects, actions)."""
        found = self._lexicon_terms(whole)
        return ([m for e in found if e.kind == "object" for m in e.means],
                [m for e in found if e.kind == "action" for m in e.means])

    def _concept_scores(self, found: list[LexiconEntry], scores: dict[str, float]) -> None:
        """Prefer the names that account for more of what the question names.

        Each lexicon term of the question is one thing asked about (车子 and 抵押 in 拿车子去
        抵押); a name accounts for a term when it holds the term or one of its official forms.
        机动车抵押登记 accounts for both, 抵押权登记 for one. With fewer than two terms every
        name would score alike, so nothing moves.
        """
        if len(found) < 2 or not scores:
            return
        weights = [{"object": 1.0, "action": CONCEPT_ACTION}.get(e.kind, CONCEPT_PERSON) for e in found]
        total = sum(weights)
        shortlist = _top(scores, CONCEPT_SHORTLIST)
        forms = [self._forms(e) for e in found]
        shares = {code: sum(w for f, w in zip(forms, weights) if self._accounts_for(code, f)) / total
                  for code in shortlist}
        best = max(shares.values())
        if not best:
            return
        for code in scores:  # relative to the best share, so the best names keep their scale
            scores[code] *= 1 - CONCEPT_WEIGHT + CONCEPT_WEIGHT * shares.get(code, 0.0) / best

    def _object_scores(self, core: str, whole: str, objects: list[str], actions: list[str],
                       scores: dict[str, float], persons: list[str] = (), phrasing: Phrasing | None = None,
                       certificate: bool = False) -> None:
        """Blend in how much of each name's object, then action, the question covers.

        An object match weighs OBJECT_SHARE of the blend and an action match the rest, so a
        question about 机动车 + 变更 ranks 机动车…变更登记 above 养犬变更登记.
        """
        if not scores:
            return
        # a verb-object action term names its object too (上户口 → 出生登记: 出生; 补结婚证 → 补领结婚证: 结婚证)
        object_terms = bigrams(core) | bigrams(" ".join(objects)) | bigrams(" ".join(_objects_of(actions)))
        person_terms = bigrams(" ".join(persons)) - object_terms  # cover a name's object at PERSON_CREDIT
        action_terms = bigrams(whole) | bigrams(" ".join(actions)) | object_terms
        # an action counts as asked unless it is a plain one (审批, 申请, 办理: what every item does)
        # (卖 → 销售, 经营 says what a business does, not what is done to the item: no action asked)
        asks_action = any(_is_item_action(a) for a in actions) or any(w in whole for w in _ASKED_ACTIONS)
        shortlist = _top(scores, OBJECT_SHORTLIST)
        measured = set(shortlist)
        for code in scores:  # not measured: damped as if nothing matched, so none jumps ahead
            if code not in measured:
                scores[code] *= 1 - OBJECT_WEIGHT
        covers = {code: self.parts.coverage(code, object_terms, action_terms) for code in shortlist}
        # an action no name of a family does (年检 of the inspection mark): its plain form before its replacements
        unasked = family_unasked(self.parts.parts, self.parts.default, {c: act for c, (_, act) in covers.items()}) \
            if asks_action else set()
        for code in shortlist:
            obj, act = covers[code]
            if person_terms:
                obj = min(1.0, obj + PERSON_CREDIT * self.parts.coverage(code, person_terms, set())[0])
                # a purpose or person picks among names of one object by what they are done for (租房 → 租赁住房提取)
                scores[code] *= 1 + QUALIFIER_CREDIT * self.parts.qualifier_coverage(code, person_terms)
            if code in unasked:
                scores[code] *= SIBLING_DAMP
            if not asks_action:  # no action named: the item's plain form (申领, 新办, 登记) is meant
                act = max(act, 1.0 if self.parts.default[code] else 0.0)
            part = OBJECT_SHARE * obj + (1 - OBJECT_SHARE) * act
            scores[code] = scores[code] * (1 - OBJECT_WEIGHT + OBJECT_WEIGHT * part)
            if certificate and not asks_action and not self.parts.default[code]:
                scores[code] *= CERTIFICATE_DAMP  # 结婚证咋个办 asks for 结婚登记, which issues it, not 补领结婚证
            if phrasing and phrasing.undone and self._does_undone(code, phrasing):
                scores[code] *= UNDONE_DAMP

    def _said_action_scores(self, core: str, whole: str, objects: list[str], actions: list[str],
                            scores: dict[str, float], phrasing: Phrasing | None = None) -> None:
        """An action said in so many words is the one asked (想把老宅认定为文物: 文物认定, not …文物…备案;
        knowledge/siblings.py): the close names above a doer of it that do none keep SAID_DAMP of their score."""
        said = said_actions(whole, ACTION_WORDS) - {a for _, a in (phrasing.undone if phrasing else ())}  # 解除挂失
        if not said or not scores:
            return
        object_terms = bigrams(core) | bigrams(" ".join(objects)) | bigrams(" ".join(_objects_of(actions)))
        ranked = _top(scores, SAID_SHORTLIST)
        does = {c: any(w in f"{self.parts.parts[c].action} {bracket_actions(self.parts.parts[c].qualifier)}" for w in said)
                for c in ranked}
        objects_covered = {c: self.parts.coverage(c, object_terms, set())[0] for c in ranked}
        for code in said_action_unasked(ranked, scores, does, objects_covered):
            scores[code] *= SAID_DAMP

    def _opposed_scores(self, whole: str, actions: list[str], scores: dict[str, float]) -> None:
        """Damp the names doing only what the question's action rules out: 注销 rules out 设立登记,
        a wrong or changed entry (写错了, 变了 → 更正, 变更) rules out 补领 (knowledge/phrasing.py)."""
        wanted, ruled_out = opposed_actions(whole, actions)
        if not ruled_out:
            return
        # a changed or wrong entry said in the question's own words (not a lexicon expansion: 过户 → 转移登记,
        # 变更登记 is a transfer) rules out the plain form too, a first issue
        founding_ruled_out = any(c in whole for c in CHANGE[0]) and any(w in ruled_out for w in FOUNDING_WORDS)
        # words no name's action is split on (增加准驾车型, 降低…): looked for in the whole name (session 15)
        name_wide = tuple(w for w in ruled_out if w not in ACTION_WORDS)
        for code in _top(scores, OBJECT_SHORTLIST):
            parts = self.parts.parts[code]
            action = parts.action + parts.qualifier
            plain = founding_ruled_out and self.parts.default[code] and not any(w in action for w in wanted)
            if plain or does_opposed(action, wanted, ruled_out) \
                    or (name_wide and does_opposed(self.entries[code].name, wanted, name_wide)):
                scores[code] *= OPPOSED_DAMP

    def _certifying_scores(self, whole: str, objects: list[str], actions: list[str], scores: dict[str, float]) -> None:
        """A certificate that something was done (开具户口迁移情况证明, 注销户口证明) is not the doing: unless the question
        asks for a 证明 (itself or through a lexicon term: 良民证 → 无犯罪记录证明), such names keep CERTIFYING_DAMP of
        their score, so 户口迁到江北来 finds a 落户 item first. Session 15."""
        if CERTIFICATE_WORD in whole or any(CERTIFICATE_WORD in t for t in (*objects, *actions)):
            return
        for code in _top(scores, OBJECT_SHORTLIST):
            if code in self.certifying:
                scores[code] *= CERTIFYING_DAMP

    def _info_change_scores(self, named: list[LexiconEntry], scores: dict[str, float]) -> None:
        """A person's entry on a document changed (驾照上的住址换了): among the names holding the document's object,
        those changing the holder's information (机动车驾驶人信息变化换证) lead, by INFO_CHANGE_LEAD over the best."""
        documents = [self._forms(e) for e in named if e.kind == "object"]
        grams = [bigrams(term) for forms in documents for term in forms[0]]

        def holds(code: str) -> bool:  # the document, or half of one of its terms (驾驶证 in 机动车驾驶人…)
            name = bigrams(self.variants[code][0])
            return any(self._accounts_for(code, forms) for forms in documents) \
                or any(len(g & name) >= 0.5 * len(g) for g in grams if g)
        held = [code for code in _top(scores, OBJECT_SHORTLIST) if holds(code)]
        changing = [code for code in held if any(w in self.variants[code][0] for w in INFO_CHANGE)]
        if changing:
            lead = max(scores[code] for code in held) * INFO_CHANGE_LEAD
            for code in changing:
                scores[code] = max(scores[code], lead)

    def _alias_scores(self, named: list[LexiconEntry], scores: dict[str, float], matched: dict[str, str]) -> None:
        """An alias found in the question does not outrank the question's own objects: a candidate matched
        only through a hand-written alias (解押 of 抵押权登记) that accounts for none of an object the question
        names (车贷 → 机动车) keeps ALIAS_UNEXPLAINED of its score when a close candidate accounts for it
        (机动车解除抵押登记, "车贷还完了怎么解押")."""
        objects = [e for e in named if e.kind == "object" and self._forms(e)[0][0] not in self.coverage.generic]
        if not objects:
            return
        shortlist = _top(scores, ALIAS_SHORTLIST)
        for code in shortlist:
            phrase = matched.get(code)
            if not phrase or phrase in self.variants[code][0]:
                continue  # matched through its official name, or not through a phrase at all
            missed = [e for e in objects if not self._accounts_for(code, self._forms(e))]
            floor = scores[code] * ALIAS_RIVAL
            if missed and any(scores[other] >= floor and all(self._accounts_for(other, self._forms(e)) for e in missed)
                              for other in shortlist if other != code):
                scores[code] *= ALIAS_UNEXPLAINED

    def _does_undone(self, code: str, phrasing: Phrasing) -> bool:
        """The item does an action the question undoes (社会保障卡挂失 for 解除挂失), and not its undoing."""
        name = self.entries[code].name
        parts = self.parts.parts[code]
        return any((action in parts.actions or parts.action.endswith(action)) and word not in name
                   for word, action in phrasing.undone)

    def _contradiction_scores(self, named: list[LexiconEntry], scores: dict[str, float]) -> set[str]:
        """Damp the names about a kind the question's terms negate (电动车 → 非机动车 against 机动车…);
        the codes damped, which cannot be the item asked about (confidence.py treats them as generic-only)."""
        negated = tuple(k for e in named if e.kind == "object" for k in negated_kinds(self._forms(e)[0]))
        out = set()
        if negated:
            for code in _top(scores, OBJECT_SHORTLIST):
                if contradicts(self.entries[code].name, negated):
                    scores[code] *= CONTRADICTION_DAMP
                    out.add(code)
        return out

    def _negation_scores(self, whole: str, scores: dict[str, float], found: list[LexiconEntry] = ()) -> set[str]:
        """Damp the names whose 非X opposes the question's X, and the other way round: "公司法人变了" is not
        about 非公司企业法人变更登记, "民办非企业单位要注销" not about 企业简易注销登记. An action a name says is not
        yet done (未注册登记的机动车…) is asked in the question's words or its lexicon terms' official forms
        (牌照咋个上 → 上牌 → 注册登记). The codes damped cannot be the item asked about (like a negated kind,
        `_contradiction_scores`)."""
        asked_not = {w for w in self.negatable if "非" + w in whole}
        asked = {w for w in self.negatable if w in whole.replace("非" + w, "")}
        # 还没上牌 says the not-yet side (未注册登记的…), 上牌 the done one; an object's term (新车 → 注册登记) names no
        # action done: a new car's temporary plate is for a car not yet registered
        for entry in (e for e in found if e.kind == "action"):
            said_not = any(word + compact(entry.say) in whole for word in NOT_YET_WORDS)
            terms = {w for w in self.negatable if w in ACTION_WORDS and any(w in m for m in entry.means)}
            (asked_not if said_not else asked).update(terms)
        sold = sale_side(whole)  # 新买的车 is sold: not 未销售的机动车…; 没卖出去的车 is
        if sold is None and any(w in asked | asked_not for w in BUYERS_ACTIONS):
            sold = True  # 新车上牌, 还没上牌: the buyer registers the car
        if sold is not None:
            (asked if sold else asked_not).update(w for w in SALE_WORDS if w in self.negatable)
        if sold is False:  # a dealer's unsold car is not the buyer's car awaiting registration (未注册登记的…)
            asked.update(w for w in BUYERS_ACTIONS if w in self.negatable)
        if not asked and not asked_not:
            return set()
        out = set()
        for code in _top(scores, OBJECT_SHORTLIST):
            negated = self.negated.get(code, ())
            name = self.variants[code][0]
            if any(w in asked and w not in asked_not for w in negated) \
                    or any(w in name.replace("非" + w, "").replace("未" + w, "") for w in asked_not - set(negated)):
                scores[code] *= CONTRADICTION_DAMP
                out.add(code)
        return out

    def _forms(self, entry: LexiconEntry) -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
        """A term's compact forms (what it says, what it means) and the bigrams of its long forms."""
        forms = self._form_cache.get(entry)
        if forms is None:
            terms = tuple(dict.fromkeys(compact(t) for t in (entry.say, *entry.means)))
            forms = terms, tuple(frozenset(bigrams(t)) for t in terms if len(t) >= 4)
            self._form_cache[entry] = forms
        return forms

    def _accounts_for(self, code: str, forms: tuple[tuple[str, ...], tuple[frozenset[str], ...]]) -> bool:
        """A name of the item holds the term or one of its official forms (most bigrams of a long one).
        Cached: the concept and coverage stages ask it of the same few terms for every question."""
        key = (code, forms)
        held = self._accounts_cache.get(key)
        if held is None:
            if len(self._accounts_cache) >= ACCOUNTS_CACHE_SIZE:
                self._accounts_cache.clear()
            terms, long_grams = forms
            joined, grams = self._variant_text(code)
            held = any(t in joined for t in terms) \
                or any(len(g & names) >= 0.75 * len(g) for g in long_grams if g for names in grams)
            self._accounts_cache[key] = held
        return held

    def _variant_text(self, code: str) -> tuple[str, tuple[frozenset[str], ...]]:
        """The item's names joined by a separator no term holds, and each name's bigrams (cached)."""
        cached = self._grams_cache.get(code)
        if cached is None:
            variants = self.variants[code]
            cached = self._grams_cache[code] = ("|".join(variants), tuple(frozenset(bigrams(v)) for v in variants))
        return cached

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

    def _phrase_scores(self, text: str, core_length: int, scores: dict[str, float], matched: dict[str, str]) -> None:
        """Names and aliases found in the question."""
        if not text:
            return
        doc = self._doc(self.tokenizer.words(text))
        length = max(core_length, 1)
        for match_id, _start, _end in self.matcher(doc):
            self._credit(self._nlp.vocab.strings[match_id], length, scores, matched, 1.0)

    def _credit(self, phrase: str, length: int, scores: dict[str, float], matched: dict[str, str], weight: float) -> None:
        coverage = min(1.0, len(phrase) / length)
        for code in self.phrases[phrase]:
            bonus = 0.04 if phrase == self.variants[code][0] else 0.0
            value = weight * (0.55 + 0.41 * coverage + bonus)
            if value > scores[code]:
                scores[code] = value
                matched[code] = phrase

    def _sound_alikes(self, text: str) -> str:
        """The question with a lexicon term written by a homophone (身分证, 社宝卡) spelled as the lexicon
        spells it; a run that is already a term, or part of a name or an official term, is kept."""
        syllables = _pinyin(text)
        if len(syllables) != len(text) or not self._sound_sizes:
            return text
        found = self.lexicon.find(text)
        spelled = self.action_typos.spell(self.object_typos.spell(text, syllables, found), syllables,
                                          self.object_concepts.find)
        if spelled != text and len(spelled) == len(text) and _NOT in text:  # 不办了 says no more, not 补办 (session 15)
            spelled = _kept_negations(text, spelled)
        if spelled != text:
            text, found = spelled, self.lexicon.find(spelled)
        out, i = [], 0
        while i < len(text):
            for size in self._sound_sizes:
                run = text[i:i + size]
                term = self.sound_alikes.get(" ".join(syllables[i:i + size])) if len(run) == size else None
                if term and term != run and run not in self._spelled and _keeps_found_words(found, text, term, i):
                    out.append(term)
                    i += size
                    break
            else:
                out.append(text[i])
                i += 1
        return "".join(out)

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

    def _bm25(self, parts: list[tuple[str, float]]) -> dict[str, float]:
        """BM25F over the question's terms, each part (the question, its expansions) with a weight."""
        weights: dict[str, float] = {}
        own: set[str] = set()  # the question's own terms: they alone set the scale, expansions only add
        for index, (text, weight) in enumerate(parts):
            for term in self.tokenizer.terms(text) if text.strip() else ():
                if term in self.idf and weight > weights.get(term, 0.0):
                    weights[term] = weight
                    if index == 0:
                        own.add(term)
        if not weights:
            return {}
        # summed in the question's term order (not a set's), so every process gets the same float
        own_total = sum(self.idf[t] for t in weights if t in own)
        total = (own_total + EXPANSION_SCALE * sum(self.idf[t] * w for t, w in weights.items() if t not in own)) * 0.8
        summed = np.zeros(len(self._codes))
        for term, weight in weights.items():  # each item's sum in the question's term order, as before
            positions, values = self._row(term)
            summed[positions] += (self.idf[term] * weight) * values
        hit = np.flatnonzero(summed)
        codes = self._codes
        return dict(zip((codes[i] for i in hit.tolist()), np.minimum(summed[hit] / total, 1.0).tolist()))

    def _row(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        """A term's postings as arrays: item positions and values (cached)."""
        row = self._rows.get(term)
        if row is None:
            postings = self.postings[term]
            row = self._rows[term] = (
                np.fromiter((self._position[c] for c in postings), dtype=np.int64, count=len(postings)),
                np.fromiter(postings.values(), dtype=np.float64, count=len(postings)))
        return row

    def _fuzzy(self, core: str, scores: dict[str, float]) -> None:
        """Character-level similarity of the question to names, for typos the other signals miss."""
        if len(core) < 2:
            return
        from rapidfuzz import fuzz, process

        shortlist = _top(scores, 30)
        for code in shortlist:  # extractOne: the best variant's ratio, in C (the same value as max(...))
            best = process.extractOne(core, self.variants[code], scorer=fuzz.partial_ratio)[1] / 100
            scores[code] = scores[code] * 0.85 + best * 0.15

    def _specific_terms(self, text: str) -> set[str]:
        """The indexed terms of `text` once the generic words are cut out."""
        return {t for t in self.tokenizer.terms(_GENERIC_RE.sub(" ", compact(text))) if t in self.postings}

    def _means_terms(self, term: str) -> set[str]:
        """`_specific_terms` of a lexicon term, cached (the lexicon is finite, questions are not)."""
        cached = self._means_cache.get(term)
        if cached is None:
            cached = self._means_cache[term] = self._specific_terms(term)
        return cached

    def _decide(self, candidates: tuple[Candidate, ...], core: str = "", generic: set[str] = frozenset(),
                covered: dict[str, float] | None = None) -> str:
        decision = decide(candidates, self.thresholds.choose, generic, covered)
        if decision == ANSWER and len(candidates) >= 2 and len(core) >= 2 \
                and all(core in self.variants[c.code][0] for c in candidates[:2]):
            return CHOOSE  # the question only names what both best names share: nothing tells them apart
        return decision


def _is_item_action(term: str) -> bool:
    """An action expansion that asks for something done to an item (补领, 密码重置): it ends with an
    official action word that is not a plain one (审批, 申请, 办理 are what every item does)."""
    return term not in _PLAIN_ACTIONS and term.endswith(_ITEM_ACTION_ENDINGS)


@lru_cache(maxsize=4096)
def _action_object(term: str) -> str:
    """The object an official action form names (出生登记: 出生), or "" when it is an action only (转移登记)."""
    parts = split_name(term)
    return parts.object if parts.actions and parts.object != term and len(parts.object) >= 2 else ""


def _objects_of(actions: list[str]) -> list[str]:
    return [o for a in actions if (o := _action_object(a))]


def _names_issued_certificate(found: list[LexiconEntry]) -> bool:
    """The question names a certificate a registration issues (结婚证 → 结婚登记, 房产证 → 所有权登记)."""
    return any(e.kind == "object" and compact(e.say).endswith(CERTIFICATE_ENDINGS) and any(m.endswith("登记") for m in e.means)
               for e in found)


_NOT = "不"
_NEGATION_RE = re.compile(r"(?:想|再|也|都|就|要)?不(.)(?=了|啦|咯)")  # 不办了, 不想办了: a verb negated, then 了


def _kept_negations(text: str, spelled: str) -> str:
    """`spelled` with the negated verbs of `text` (不办了) as written: a homophone reading (补办) undone there."""
    chars = list(spelled)
    for match in _NEGATION_RE.finditer(text):
        at = match.start(1) - 1
        chars[at:at + 2] = text[at:at + 2]
    return "".join(chars)


def _changed_entries(entries: list[LexiconEntry], whole: str) -> list[LexiconEntry]:
    """A lexicon term naming a body's entry (公司地址 → 住所) in a question changing it (公司地址搬了) says which entry, not
    the object: it weighs like a person word, and the body (公司, implied_objects) decides. Session 15."""
    if not entry_changed(whole):
        return entries
    return [replace(e, kind="person") if e.kind == "object" and any(w in e.say for w in ENTRY_WORDS)
            and any(b in e.say for b in BODY_WORDS) else e for e in entries]


def _animal_deaths(entries: list[LexiconEntry]) -> list[LexiconEntry]:
    """Beside an animal (狗死了), a death word is the animal's: it asks to cancel the animal's licence (注销), not for a
    person's death items (死亡注销户口, 丧葬). Session 15; the words are in knowledge/phrasing.py."""
    if not any(e.kind == "object" and any(f in ANIMAL_FORMS for f in e.means) for e in entries):
        return entries
    return [replace(e, kind="action", means=ANIMAL_DEATH_ACTION) if any(f in DEATH_FORMS for f in e.means) else e
            for e in entries]


def _as_purposes(entries: list[LexiconEntry], whole: str, phrasing: Phrasing | None) -> list[LexiconEntry]:
    """Entries said inside a purpose (租房 in 租房提公积金) weigh like a person word: they qualify the object."""
    if not phrasing or not phrasing.purposes:
        return entries
    spans = [whole[s:e] for s, e in phrasing.purposes]
    return [replace(e, kind="person") if e.kind == "object" and any(compact(e.say) in span for span in spans) else e
            for e in entries]


def _top(scores: dict[str, float], count: int) -> list[str]:
    """The `count` best codes, ties broken on the code: the order of `sorted`, without sorting all."""
    if len(scores) <= count:
        return sorted(scores, key=lambda c: (-scores[c], c))
    floor = heapq.nlargest(count, scores.values())[-1]
    return sorted((c for c, v in scores.items() if v >= floor), key=lambda c: (-scores[c], c))[:count]


def _answering_bundle(bundles: tuple[Candidate, ...], items: tuple[Candidate, ...]) -> Candidate | None:
    """The best bundle when it fits at least as well as the best item (a named life event wins ties)."""
    if not bundles or bundles[0].score < BUNDLE_MIN_SCORE:
        return None
    if items and items[0].score > bundles[0].score:
        return None
    return bundles[0]


def _keeps_found_words(found: list[LexiconMatch], text: str, term: str, start: int) -> bool:
    """Whether reading `term` at `start` leaves every word the lexicon already found as it is: a found word
    overlapping the run must lie inside it and be part of the term as written there (户口笨 → 户口本 keeps
    户口; 残疾证落了 keeps 残疾证, which 证落 would cut)."""
    end = start + len(term)
    return all(m.end <= start or m.start >= end
               or (m.start >= start and m.end <= end and term[m.start - start:m.end - start] == text[m.start:m.end])
               for m in found)


@lru_cache(maxsize=65536)
def _pinyin_cached(text: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(text, errors=lambda chars: list(chars)))


def _pinyin(text: str) -> list[str]:
    return list(_pinyin_cached(text))


def _as_lexicon(value: Lexicon | dict[str, tuple[str, ...]]) -> Lexicon:
    """A Lexicon from a Lexicon or a plain `term -> official terms` mapping (tests, old callers)."""
    if isinstance(value, Lexicon):
        return value
    return Lexicon([LexiconEntry(k, tuple(v), "object", "", "") for k, v in value.items()])
