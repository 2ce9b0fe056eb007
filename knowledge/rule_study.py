"""The answer rule studied on our own labelled questions: fitted on one half, measured on the other.

The repository holds some 1,400 questions of its own (tests/knowledge/data/*_questions.yml), written in
many sessions. A rule chosen on the questions it is then measured on says little about questions nobody
here wrote, so the sets are split into two halves *by set* (never by question: the questions of one set
share a writer, a week and often a family of words) — `halves` — and a rule or a calibration is chosen on
one half and reported on the other. The session's sealed and development sets (`SEALED`, `DEVELOPMENT`)
take part in neither half. `study` searches every question of some sets on a catalog once and keeps the
candidates and the decision. Used by `./yuban eval search --calibrate` and the tests; no I/O at import time.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from knowledge import confidence as rule
from knowledge.evaluation import matches
from knowledge.normalize import compact
from knowledge.search import Candidate

SEALED = frozenset({"blind22", "blind28", "blind30"})  # measured only at the start and the end of their session (14, 15), never studied
DEVELOPMENT = frozenset({"blind23"})  # session 14's development set, checked on its own


@dataclass(frozen=True)
class Case:
    """One question searched on one catalog: what the answer rule saw and decided."""

    set_name: str
    catalog: str
    question: str
    decision: str
    candidates: tuple[Candidate, ...]
    right: tuple[bool, ...]  # per candidate: its name matches the question's patterns (all False when absent)
    absent: bool = False
    core_shared: bool = False  # the question names only what the two best names share (knowledge/search.py `_decide`)  # the catalog has no item for the question: the right outcome is no answer

    @property
    def right1(self) -> bool:
        return bool(self.right) and self.right[0]


def load_sets(directory: Path) -> dict[str, list[dict]]:
    """The labelled sets of a directory by name (blind3, fresh …), the sealed ones left out."""
    import yaml

    out = {}
    for path in sorted(directory.glob("*_questions.yml")):
        name = path.name.removesuffix("_questions.yml")
        if name not in SEALED:
            out[name] = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
    return out


def _natural(name: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", name))


def halves(names) -> tuple[list[str], list[str]]:
    """The sets alternated in their natural order (actions, blind, blind2, blind3 …): the fitting half A and
    the measuring half B. Consecutive sets were written in consecutive sessions: each half holds every period."""
    ordered = sorted((n for n in names if n not in DEVELOPMENT | SEALED), key=_natural)
    return ordered[0::2], ordered[1::2]


def study(engine, catalog: str, sets: dict[str, list[dict]], top: int = 5) -> list[Case]:
    """Every question of `sets` labelled for `catalog` (a pattern under its key, or `absent` naming it)."""
    cases = []
    for name, questions in sets.items():
        for q in questions:
            absent = catalog in str(q.get("absent", "")).split()
            if catalog not in q and not absent:
                continue
            found = engine.search(q["q"], top=top)
            patterns = [q[catalog]] if catalog in q else []
            right = tuple(bool(patterns) and matches(c.name, patterns) for c in found.candidates)
            shared = len(found.core) >= 2 and len(found.candidates) >= 2 \
                and all(found.core in compact(c.name) for c in found.candidates[:2])
            cases.append(Case(name, catalog, q["q"], found.decision, found.candidates, right, absent, shared))
    return cases


def before_session14(case: Case) -> str:
    """The decision without apparent ties (knowledge/confidence.py `apparent_tie`): what the rule said before."""
    c = case.candidates
    if case.decision == "answer" and len(c) >= 2 and rule.apparent_tie(c) \
            and (rule.is_tied(c) or c[0].confidence < rule.ANSWER_CONFIDENCE):
        return "choose"
    return case.decision


def decide_with(case: Case, weights: tuple[float, ...] = rule.ANSWER_WEIGHTS, bias: float = rule.ANSWER_BIAS,
                threshold: float = rule.NEAR_TIE_ANSWERED) -> str:
    """The decision had `answer_probability` other weights or another threshold."""
    old, c = before_session14(case), case.candidates
    if old == "choose" and not case.core_shared and len(c) >= 2 and rule.apparent_tie(c, weights, bias, threshold):
        return "answer"
    return old


@dataclass
class RuleScores:
    """What a decision rule does on cases: how often it answers, and is right when it does."""

    label: str
    total: int = 0
    answered: int = 0
    answered_right: int = 0
    chose: int = 0
    chose_right_first: int = 0  # menus whose first option is right: answers missed
    missing: int = 0
    missing_answered: int = 0

    @property
    def precision(self) -> float:
        return self.answered_right / self.answered if self.answered else 1.0

    @property
    def answer_rate(self) -> float:
        return self.answered / self.total if self.total else 0.0

    def row(self) -> str:
        pct = lambda part, whole: f"{part / whole:6.1%}" if whole else "     -"
        return (f"{self.label:<44} {self.total:>4} {pct(self.answered_right, self.answered)} "
                f"{pct(self.answered, self.total)} {pct(self.chose, self.total)} {pct(self.chose_right_first, self.chose)}"
                f" {self.missing_answered:>3}/{self.missing:<3}")


RULE_HEADER = (f"{'answer rule':<44} {'n':>4} {'ans-ok':>6} {'answer':>6} {'choose':>6} {'ch-1st':>6}"
               " missing answered")


def measure(cases: list[Case], label: str, decide: Callable[[Case], str] = lambda case: case.decision) -> RuleScores:
    out = RuleScores(label)
    for case in cases:
        decision = decide(case)
        if case.absent:
            out.missing += 1
            out.missing_answered += decision == "answer"
            continue
        out.total += 1
        out.answered += decision == "answer"
        out.answered_right += decision == "answer" and case.right1
        out.chose += decision == "choose"
        out.chose_right_first += decision == "choose" and case.right1
    return out


def fit_answer_probability(cases: list[Case], steps: int = 6000, rate: float = 0.3,
                           l2: float = 0.01) -> tuple[tuple[float, ...], float]:
    """Weights and bias of knowledge/confidence.py `answer_probability` fitted to the cases (questions whose
    item the catalog has, with two candidates or more and not found-nothing): logistic regression on
    standardised features by gradient descent, returned in the features' own units."""
    import numpy as np

    rows = [c for c in cases if not c.absent and len(c.candidates) >= 2 and c.decision != "not_found"]
    x = np.array([rule.answer_features(c.candidates) for c in rows])
    y = np.array([c.right1 for c in rows], dtype=float)
    mean, spread = x.mean(0), x.std(0) + 1e-9
    z = (x - mean) / spread
    w, b = np.zeros(z.shape[1]), 0.0
    for _ in range(steps):
        error = 1 / (1 + np.exp(-(z @ w + b))) - y
        w -= rate * (z.T @ error / len(y) + l2 * w)
        b -= rate * error.mean()
    raw = w / spread
    return tuple(round(float(v), 2) for v in raw), round(float(b - (w * mean / spread).sum()), 2)


def reliability(points: list[tuple[float, bool]], bins: int = 5) -> list[str]:
    """Per probability bin: how many, the mean probability and how often right."""
    lines = [f"{'p':<12} {'n':>4} {'mean':>6} {'right':>6}"]
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(p, r) for p, r in points if low <= p < high or (b == bins - 1 and p >= 1.0)]
        if inside:
            lines.append(f"{low:.1f}–{high:.1f}      {len(inside):>4} {sum(p for p, _ in inside) / len(inside):6.2f} "
                         f"{sum(r for _, r in inside) / len(inside):6.2f}")
    return lines


def log_loss(points: list[tuple[float, bool]]) -> float:
    eps = 1e-6
    return -sum(math.log(max(eps, p if r else 1 - p)) for p, r in points) / max(len(points), 1)


def pooled(scores: list[RuleScores]) -> tuple[float, float]:
    """(precision, answer rate) of several catalogs' scores taken together."""
    answered = sum(s.answered for s in scores)
    return (sum(s.answered_right for s in scores) / answered if answered else 1.0,
            answered / max(sum(s.total for s in scores), 1))



def choose_threshold(cases: list[Case], weights: tuple[float, ...], bias: float, *, slack: float = 0.002,
                     grid: tuple[float, ...] = tuple(x / 100 for x in range(80, 100))) -> float:
    """The lowest NEAR_TIE_ANSWERED keeping the cases' precision within `slack` of the rule without apparent
    ties (per catalog, pooled): how far the fitting half lets the rule answer more."""
    catalogs = sorted({c.catalog for c in cases})
    before = pooled([measure([c for c in cases if c.catalog == k], k, before_session14) for k in catalogs])[0]
    for threshold in grid:
        decide = lambda case, threshold=threshold: decide_with(case, weights, bias, threshold)
        if pooled([measure([c for c in cases if c.catalog == k], k, decide) for k in catalogs])[0] >= before - slack:
            return threshold
    return 1.0
