"""How sure the search is: a confidence per candidate and the answer / tied / not-found rule.

A raw ranking score says how well a name fits, not how likely it is the item asked about:
0.55 is a sure answer when nothing else comes close and a coin toss when the second item
scores 0.54. The confidence is a logistic function of the candidate's score and its lead
over the best other candidate (fitted on labelled questions), scaled by how much of the
question the candidate explains (knowledge/coverage.py); `./yuban eval search --calibrate`
prints the reliability table:

    confidence = sigmoid(A·score + B·lead + C) / tied × (GENERIC_ONLY if generic)
                 × (COVER_BASE + (1 − COVER_BASE)·coverage) × (1 − GAP_WEIGHT·gap)
    lead = score − best other score
    gap  = max(0, best coverage among the other candidates − coverage)

`tied` counts the candidates (itself included) within `TIE_SHARE` of the candidate's score:
a candidate tied with four others cannot be 82% likely right, the five share what the
score and lead say. `generic` marks a candidate that cannot be the item: it matched the
question only through words every item has (申请, 申领, 办理, 登记: knowledge/search.py
`GENERIC_WORDS`), or it is about a kind the question negates (机动车 for 电动车, a
非机动车: knowledge/phrasing.py). `coverage` is the share of what the question names
(objects above all) that the candidate's names explain; a candidate explaining clearly
less than another one (`gap`) is not the one to answer with, whatever its score. When the
question names nothing the lexicon or the catalog knows, coverage does not apply.

Decision rule (`decide`), documented in docs/catalog-format.md ("How sure the search is"):
- `not_found` when there is no candidate, the best score is under the floor, the best
  candidate cannot be the item (`generic`: "申请专利" in a catalog without patents,
  "电瓶车上牌" in one without 非机动车 items), or no candidate explains even
  `NOT_FOUND_COVERAGE` of what the question names;
- `choose` when the candidates look tied — the second scores within `TIE_EQUAL` of the best
  (nothing in the question tells them apart: "驾驶证" alone), or the best one's confidence is
  under `TIE_CONFIDENCE` AND the second is within `TIE_MARGIN` — or when the best one's
  confidence is under `ANSWER_CONFIDENCE` (it explains too little of the question to be
  answered alone), unless the tie is only apparent: the best does not share its score and
  the rule's own probability that it is right (`answer_probability`: its score, its lead, how
  much more of the question it explains than the second, how many others are within
  `TIE_EQUAL`) is at least `NEAR_TIE_ANSWERED`; always with at least two candidates to offer
  (a one-option menu is never produced);
- `answer` otherwise.

`answer_probability` was fitted on one half of our own labelled sets and its threshold chosen
there; the other half, dev and the sealed sets only measured it (knowledge/rule_study.py,
`./yuban eval search --calibrate`, docs/catalog-format.md "Session 14 (search10)").
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from knowledge.search import Candidate

# Fitted on 375 labelled questions (dev on three catalogs and tests/knowledge/data/own_questions.yml).
A, B, C = 8.42, 8.23, -1.85
CONFIDENCE_POOL = 5  # candidates considered when measuring the lead of each one
TIE_CONFIDENCE = 0.7
TIE_MARGIN = 0.06
TIE_EQUAL = 0.025
FLOOR = 0.15
# Scores this close are the same score (the question tells the items apart by nothing): such
# candidates share their confidence. Narrower than TIE_EQUAL on purpose: a candidate ahead by
# 0.01 is not known to be a coin toss, and the dialogue answers one it is sure of (choosing.SURE).
TIE_SHARE = 0.005
GENERIC_ONLY = 0.2  # what is left of the confidence of a candidate matched by generic words only
# Coverage (knowledge/coverage.py): what is left of the confidence of a candidate that explains
# none of what the question names, and how much a gap to a candidate explaining more takes away.
# Chosen on dev and tests/knowledge/data/own_questions.yml + fresh_questions.yml; the blind sets
# only measured (docs/catalog-format.md has the table).
COVER_BASE = 0.4
GAP_WEIGHT = 1.0
ANSWER_CONFIDENCE = 0.45  # under it the best is offered with the others, not answered
NOT_FOUND_COVERAGE = 0.2  # no candidate explains more of the question than this: nothing fits
# Missing items (session 11): what is left of the confidence of a candidate that explains only the setting
# of a question about a thing no service item is about (knowledge/coverage.py `Coverage.outside`: 话费, 酒席,
# 邻居 …) and was not found by a name or alias of its own.
OUTSIDE_LEFT = 0.2


# The rule's own probability that the best candidate is right, a logistic function of its score, its lead over
# the second, how much more of the question it explains than the second (`evidence`, in [-1, 1]) and how many of
# the next two score within TIE_EQUAL of it. Fitted on half A of tests/knowledge/data (knowledge/rule_study.py
# `halves`), 864 questions on the demo catalog without aliases and the Guang'an list; NEAR_TIE_ANSWERED was the
# lowest threshold keeping half A's precision within 0.2 points (docs/catalog-format.md, Session 14). Refitted
# after the session's ranking branches (search9, search11, search12, then search13) were merged, as the refit test asks.
# Session 15: refitted after search14's ranking changes (blind28 sealed, rule_study.SEALED) and again after
# search15's lexicon block was merged on top of them (blind30 sealed too); half A holds the sets with questions
# on these two catalogs (tooling/cli/eval_cmd.py, as the refit test takes them).
ANSWER_WEIGHTS = (4.48, 10.0, 1.37, -0.7)  # score, lead, evidence gap, near-equal others
ANSWER_BIAS = -0.38
NEAR_TIE_ANSWERED = 0.9


def confidence(score: float, lead: float) -> float:
    return 1.0 / (1.0 + math.exp(-(A * score + B * lead + C)))


def evidence(candidates: tuple[Candidate, ...], index: int) -> float:
    """What the question's coverage and the candidate's kind leave of its confidence (1.0: nothing taken away):
    its confidence over what its score, lead and ties alone would give."""
    candidate = candidates[index]
    others = [c.score for i, c in enumerate(candidates) if i != index]
    lead = candidate.score - (max(others) if others else 0.0)
    base = confidence(candidate.score, lead) / (1 + sum(abs(s - candidate.score) < TIE_SHARE for s in others))
    return min(1.0, candidate.confidence / base) if base > 0 else 0.0


def answer_features(candidates: tuple[Candidate, ...]) -> tuple[float, float, float, float]:
    """(score, lead, evidence gap, near-equal others) of the best candidate, at least two candidates given."""
    best, second = candidates[0], candidates[1]
    near = sum(best.score - c.score < TIE_EQUAL for c in candidates[1:3])
    return best.score, best.score - second.score, evidence(candidates, 0) - evidence(candidates, 1), float(near)


def answer_probability(candidates: tuple[Candidate, ...], weights: tuple[float, ...] = ANSWER_WEIGHTS,
                       bias: float = ANSWER_BIAS) -> float:
    """How likely the best of two or more candidates is the item asked about, from what tells it apart."""
    value = bias + sum(w * f for w, f in zip(weights, answer_features(candidates)))
    return 1.0 / (1.0 + math.exp(-value))


def apparent_tie(candidates: tuple[Candidate, ...], weights: tuple[float, ...] = ANSWER_WEIGHTS,
                 bias: float = ANSWER_BIAS, threshold: float = NEAR_TIE_ANSWERED) -> bool:
    """Close, but not tied: the best does not share its score and the rule is sure enough of it (other weights
    or another threshold: knowledge/rule_study.py refits them)."""
    return candidates[0].score - candidates[1].score >= TIE_SHARE and \
        answer_probability(candidates, weights, bias) >= threshold


def coverage_factor(code: str, covered: dict[str, float]) -> float:
    """What the question's coverage leaves of a candidate's confidence (1.0 when nothing is named)."""
    if code not in covered:
        return 1.0
    own = covered[code]
    gap = max(0.0, max((v for c, v in covered.items() if c != code), default=0.0) - own)
    return (COVER_BASE + (1 - COVER_BASE) * own) * max(0.0, 1 - GAP_WEIGHT * gap)


def asks_elsewhere(candidate: Candidate, covered: dict[str, float]) -> bool:
    """The question asks about a thing no service item is about, and the candidate (found by no name or
    alias of its own) explains only its setting: 结婚登记 for "结婚摆酒席一桌要好多钱"."""
    return not candidate.matched and candidate.code in getattr(covered, "outside", ())


def calibrate(candidates: tuple[Candidate, ...], generic: frozenset[str] | set[str] = frozenset(),
              covered: dict[str, float] | None = None) -> tuple[Candidate, ...]:
    """The candidates with `confidence` set from their score, their lead over the others, how
    many they are tied with, whether they matched generic words only (codes in `generic`) and
    how much of the question they explain next to the others (`covered`, code -> coverage)."""
    covered = covered or {}
    out = []
    for index, candidate in enumerate(candidates):
        others = [c.score for i, c in enumerate(candidates) if i != index]
        lead = candidate.score - (max(others) if others else 0.0)
        tied = 1 + sum(abs(s - candidate.score) < TIE_SHARE for s in others)
        value = confidence(candidate.score, lead) / tied
        value *= (GENERIC_ONLY if candidate.code in generic else 1.0) * coverage_factor(candidate.code, covered)
        value *= OUTSIDE_LEFT if asks_elsewhere(candidate, covered) else 1.0
        out.append(replace(candidate, confidence=round(value, 4)))
    return tuple(out)


def is_tied(candidates: tuple[Candidate, ...]) -> bool:
    """Genuinely tied: the best is not confident and the second is about as good."""
    if len(candidates) < 2:
        return False
    best, second = candidates[0], candidates[1]
    lead = best.score - second.score
    return lead < TIE_EQUAL or (best.confidence < TIE_CONFIDENCE and lead < TIE_MARGIN)


def decide(candidates: tuple[Candidate, ...], floor: float = FLOOR,
           generic: frozenset[str] | set[str] = frozenset(), covered: dict[str, float] | None = None) -> str:
    if not candidates or candidates[0].score < floor or candidates[0].code in generic:
        return "not_found"
    if covered and max(covered.values()) < NOT_FOUND_COVERAGE:
        return "not_found"
    if asks_elsewhere(candidates[0], covered):
        return "not_found"
    if (is_tied(candidates) or (len(candidates) >= 2 and candidates[0].confidence < ANSWER_CONFIDENCE)) \
            and not apparent_tie(candidates):
        return "choose"
    return "answer"
