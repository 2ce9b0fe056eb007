"""How much of a question a candidate's name explains: the coverage that goes into the confidence.

A question names things: objects (驾驶证, 电瓶车, 公积金), actions (补领, 解除挂失), persons
(老人). The search finds them with the domain lexicon and the catalog's official terms
(`SearchEngine._named`). A candidate explains a named thing when one of its names holds the
term or one of its official forms (`_accounts_for`), or partly, by the share of the term's
rarity-weighted character bigrams its names hold (电瓶车 → 电动自行车 against 机动车号牌: the
frequent bigram 动车 only). Each named thing weighs by its kind (an object most, a person
least) and by how specific it is in this catalog (a term made of rare bigrams, 电瓶车 or 商标,
weighs more than 公司 or 工作, which half the names could hold):

    coverage(candidate) = Σ weight(term) · explained(candidate, term) / Σ weight(term)

in [0, 1]; generic words (申请, 办理, 登记: knowledge/search.py `GENERIC_WORDS`) are not
things named. A question that names nothing has no coverage entry: nothing to judge by.

Some things named are no service item's business in any catalog: the lexicon's `OUTSIDE_DOMAINS`
(话费, 酒席, 邻居, 机票, 发烧, 猫 …: bills, tickets, prices, private finance, illness, customs, private
companies). Such a thing is explained only by a name that holds it (never partly: 手机 of
旧手机交易业备案 says nothing about 话费). A question may name one in passing ("身份证掉了买不了高铁票",
"邻居帮我代办居住证") or ask about it ("结婚摆酒席要好多钱", "邻居的狗天天叫"): a candidate that leaves
one unexplained and explains at most one other thing named, and no action, is recorded in
`Coverage.outside` — what it explains is only the setting of the question (knowledge/confidence.py).
knowledge/confidence.py turns a low coverage, and a coverage clearly under another
candidate's, into a lower confidence ("补领机动车号牌" does not explain the 电瓶车 of
"电瓶车的牌照掉了").
"""
from __future__ import annotations

from typing import Callable

from knowledge.lexicon import LexiconEntry
from knowledge.name_parts import PartIndex, bigrams

# What a named thing weighs, by kind, before its specificity: the object decides the family.
KIND_WEIGHT = {"object": 1.0, "action": 0.6, "person": 0.3}
# A term's specificity is its rarest form's mean bigram rarity relative to a bigram no name
# holds; this floor keeps a frequent term (公司) from counting for nothing.
MIN_SPECIFICITY = 0.3
# Lexicon domains of things no service item is about (knowledge/data/lexicon.yml, session 11).
OUTSIDE_DOMAINS = frozenset({"日常生活（非政务事项）"})
# At most this many other things named explained (and no action): the candidate explains only the setting of
# a question about an outside thing (结婚 of "结婚摆酒席"), not a question naming one in passing.
OUTSIDE_SETTING = 1


class Coverage(dict):
    """`code -> coverage`, and `outside`: the codes that leave unexplained a thing named that no
    service item is about (an `OUTSIDE_DOMAINS` term) and explain at most one other thing named,
    and no action. A dict, so callers that only read the shares need not know."""

    def __init__(self, shares: dict[str, float] | None = None, outside: frozenset[str] = frozenset()):
        super().__init__(shares or {})
        self.outside = outside


def is_outside(entry: LexiconEntry) -> bool:
    return entry.domain in OUTSIDE_DOMAINS


class QuestionCoverage:
    """Coverage of a question's named things by candidates' names, over one catalog's index."""

    def __init__(self, parts: PartIndex, variants: dict[str, tuple[str, ...]], generic: frozenset[str]):
        self.weight = parts.weight
        self.unseen = parts._default  # the rarity of a bigram no name holds
        self.variants = variants
        self.generic = generic
        self._specificity: dict[LexiconEntry, float] = {}
        self._grams: dict[str, frozenset[str]] = {}

    def of(self, named: list[LexiconEntry], codes: list[str], accounts_for: Callable, forms_of: Callable) -> Coverage:
        """`code -> coverage` of the question's named things; empty when it names nothing.

        A partial match counts only a form's bigrams that no other named thing says: 去世 →
        户口注销 says nothing that 户口 and 注销 in "去世后户口怎么注销" do not already say, so
        注销户口证明 does not explain 去世 by them (死亡注销户口 does, by 死亡)."""
        forms = [forms_of(e)[0] for e in named]  # compact say first, then the official forms (cached)
        kept = [i for i, f in enumerate(forms) if f[0] not in self.generic]
        named, forms = [named[i] for i in kept], [forms[i] for i in kept]
        if not named:
            return Coverage()
        weights = [KIND_WEIGHT.get(e.kind, KIND_WEIGHT["person"]) * self.specificity(e, f) for e, f in zip(named, forms)]
        total = sum(weights)
        if not total:
            return Coverage()
        says = [frozenset(bigrams(f[0])) for f in forms]
        others = [frozenset().union(*(g for j, g in enumerate(says) if j != i)) - says[i] for i in range(len(says))]
        # each form's own bigrams with their rarity, once per question rather than once per candidate
        rarities = [[self._rarities(form, others[i]) for form in forms[i]] for i in range(len(named))]
        full = [forms_of(e) for e in named]
        outside = [is_outside(e) for e in named]
        out, left_outside = {}, set()
        for code in codes:
            grams = self.name_grams(code)
            got, held, left = 0.0, [], False
            for index, weight in enumerate(weights):
                if accounts_for(code, full[index]):
                    got += weight
                    held.append(named[index])
                elif outside[index]:
                    left = True
                else:
                    got += weight * max(_held(pairs, total, grams) for pairs, total in rarities[index])
            out[code] = round(got / total, 4)
            if left and len(held) <= OUTSIDE_SETTING and not any(e.kind == "action" for e in held):
                left_outside.add(code)
        return Coverage(out, frozenset(left_outside))

    def _rarities(self, form: str, said: frozenset[str]) -> tuple[tuple[tuple[str, float], ...], float]:
        """A form's bigrams some name holds and `said` does not, each with its rarity, and their sum."""
        pairs = tuple((b, self._rarity(b)) for b in sorted(bigrams(form) - said) if b in self.weight)
        return pairs, sum(r for _, r in pairs)

    def specificity(self, entry: LexiconEntry, forms: tuple[str, ...]) -> float:
        """How specific a term is in this catalog: its rarest form's mean bigram rarity, in [MIN_SPECIFICITY, 1]."""
        cached = self._specificity.get(entry)
        if cached is None:
            values = [sum(self._rarity(b) for b in grams) / len(grams)
                      for grams in (bigrams(f) for f in forms if len(f) >= 2) if grams]
            cached = max(MIN_SPECIFICITY, max(values, default=self.unseen) / self.unseen if self.unseen else 1.0)
            self._specificity[entry] = cached = min(cached, 1.0)
        return cached

    def share(self, form: str, grams: frozenset[str], said: frozenset[str] = frozenset()) -> float:
        """The rarity-weighted share of a form's bigrams that a name's bigrams hold: those some name of
        the catalog holds (a bigram across two words, 押登 in 抵押登记, is no evidence either way)
        and not in `said`."""
        pairs, total = self._rarities(form, said)
        return _held(pairs, total, grams)

    def name_grams(self, code: str) -> frozenset[str]:
        cached = self._grams.get(code)
        if cached is None:
            cached = self._grams[code] = frozenset().union(*(bigrams(v) for v in self.variants[code]))
        return cached

    def _rarity(self, gram: str) -> float:
        return self.weight.get(gram, self.unseen)


def _held(pairs: tuple[tuple[str, float], ...], total: float, grams: frozenset[str]) -> float:
    """The rarity-weighted share of `pairs` that `grams` holds."""
    return sum(r for b, r in pairs if b in grams) / total if total else 0.0
