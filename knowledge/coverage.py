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


class QuestionCoverage:
    """Coverage of a question's named things by candidates' names, over one catalog's index."""

    def __init__(self, parts: PartIndex, variants: dict[str, tuple[str, ...]], generic: frozenset[str]):
        self.weight = parts.weight
        self.unseen = parts._default  # the rarity of a bigram no name holds
        self.variants = variants
        self.generic = generic
        self._specificity: dict[LexiconEntry, float] = {}
        self._grams: dict[str, frozenset[str]] = {}

    def of(self, named: list[LexiconEntry], codes: list[str], accounts_for: Callable, forms_of: Callable) -> dict[str, float]:
        """`code -> coverage` of the question's named things; empty when it names nothing.

        A partial match counts only a form's bigrams that no other named thing says: 去世 →
        户口注销 says nothing that 户口 and 注销 in "去世后户口怎么注销" do not already say, so
        注销户口证明 does not explain 去世 by them (死亡注销户口 does, by 死亡)."""
        forms = [forms_of(e)[0] for e in named]  # compact say first, then the official forms (cached)
        kept = [i for i, f in enumerate(forms) if f[0] not in self.generic]
        named, forms = [named[i] for i in kept], [forms[i] for i in kept]
        if not named:
            return {}
        weights = [KIND_WEIGHT.get(e.kind, KIND_WEIGHT["person"]) * self.specificity(e, f) for e, f in zip(named, forms)]
        total = sum(weights)
        if not total:
            return {}
        says = [frozenset(bigrams(f[0])) for f in forms]
        others = [frozenset().union(*(g for j, g in enumerate(says) if j != i)) - says[i] for i in range(len(says))]
        # each form's own bigrams with their rarity, once per question rather than once per candidate
        rarities = [[self._rarities(form, others[i]) for form in forms[i]] for i in range(len(named))]
        full = [forms_of(e) for e in named]
        out = {}
        for code in codes:
            grams = self.name_grams(code)
            got = 0.0
            for index, weight in enumerate(weights):
                if accounts_for(code, full[index]):
                    got += weight
                else:
                    got += weight * max(_held(pairs, total, grams) for pairs, total in rarities[index])
            out[code] = round(got / total, 4)
        return out

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
