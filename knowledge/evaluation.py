"""Search quality on labelled questions, over the catalogs a deployment may really have.

Three catalogs: the demonstration catalog as shipped; the same with every item alias
removed (what a names-only official import gets); and a real official list imported by
name only (the Guang'an list in ../shared/data/reference), scored on the questions whose
patterns match a name there. Each row reports top-1 / top-3 and how often the best
candidate is right when the decision rule says `answer` (the rule's precision), and, for
questions about items the catalog does not have (our own sets' `absent` field), how many
were answered anyway: a wrong item told with confidence, the worst failure.
Used by `./yuban eval search`, the tests and the benchmark; no I/O at import time.
"""
from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.search import STAGES, SearchEngine
from knowledge.store import SearchEntry

GUANGAN_FILE = Path("sichuan_guangan_zwfw_items") / "guangan_district_items.csv"
# The real 渝快办 江北区 list (name<TAB>rowGuid), a third-party crawl kept outside the repository (no licence);
# YUBAN_JIANGBEI_LIST points elsewhere. Its names not starting with 对 (penalties, inspections) are the citizen-facing
# items: 1,722, the size of the real district list the held-out search figures use.
JIANGBEI_FILE = Path("/work/outside/jiangbei_items.tsv")
_JIANGBEI_SANCTION = "对"


@dataclass
class Scores:
    label: str
    total: int = 0
    top1: int = 0
    top3: int = 0
    answered: int = 0
    answered_right: int = 0
    chose: int = 0
    not_found: int = 0
    misses: list[str] = field(default_factory=list)
    points: list[tuple[float, float, bool]] = field(default_factory=list)  # (confidence, score, right) of the best
    missing: int = 0  # questions about an item the catalog does not have
    missing_answered: list[str] = field(default_factory=list)  # ... that the rule answered anyway: "question → name"

    def pct(self, part: int, whole: int | None = None) -> str:
        whole = self.total if whole is None else whole
        return f"{part / whole:6.1%}" if whole else "     -"

    def row(self) -> str:
        return (f"{self.label:<34} {self.total:>4} {self.pct(self.top1)} {self.pct(self.top3)} "
                f"{self.pct(self.answered_right, self.answered)} {self.pct(self.answered)} {self.pct(self.chose)} "
                f"{self.pct(self.not_found)}" + (f" {len(self.missing_answered):>3}/{self.missing:<3}" if self.missing else ""))


HEADER = (f"{'search':<34} {'n':>4} {'top-1':>6} {'top-3':>6} {'ans-ok':>6} {'answer':>6} {'choose':>6} {'none':>6}"
          " missing answered")


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def matches(name: str, patterns: list[str]) -> bool:
    return any(re.search(p, name) for p in patterns)


def entries_of(items, *, aliases: bool = True) -> list[SearchEntry]:
    """Search entries of catalog items; `aliases=False` drops every hand-written alias."""
    return [SearchEntry(i.code, i.name, tuple(i.aliases) if aliases else (), tuple(i.topics), i.department,
                        i.summary, i.power_type) for i in items]


def guangan_entries(reference: Path) -> list[SearchEntry] | None:
    """The real Guang'an list as a names-only catalog (its row order as code), None when absent."""
    path = reference / GUANGAN_FILE
    if not path.exists():
        return None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if (r.get("事项名称") or "").strip()]
    return [SearchEntry(f"GA{index:05d}", r["事项名称"].strip(), (), (), r.get("部门") or None, None, None)
            for index, r in enumerate(rows)]


def jiangbei_path() -> Path:
    return Path(os.environ.get("YUBAN_JIANGBEI_LIST") or JIANGBEI_FILE)


def jiangbei_entries(path: Path | None = None) -> list[SearchEntry] | None:
    """The real Jiangbei list as a names-only catalog (names starting with 对 left out, duplicates once, its row
    order as code), None when the file is absent."""
    path = path or jiangbei_path()
    if not path.exists():
        return None
    seen: set[str] = set()
    out: list[SearchEntry] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.split("\t")[0].strip().strip('"').strip()
        if not name or name in seen or name.startswith(_JIANGBEI_SANCTION):
            continue
        seen.add(name)
        out.append(SearchEntry(f"JB{len(out):05d}", name, (), (), None, None, None))
    return out


def answerable(questions: list[dict], entries: list[SearchEntry]) -> list[dict]:
    """The questions whose patterns match at least one name of the catalog."""
    return [q for q in questions if any(matches(e.name, q["item_patterns"]) for e in entries)]


def score(engine: SearchEngine, questions: list[dict], label: str, missing: list[str] = ()) -> Scores:
    """Scores of the questions whose item the catalog has, and of `missing`: questions about items it does
    not have, where the right outcome is no answer (`not_found`, or a menu)."""
    result = Scores(label)
    for text in missing:
        found = engine.search(text, top=3)
        result.missing += 1
        if found.decision == "answer":
            result.missing_answered.append(f"{text[:40]} → {found.best.name}")
    for q in questions:
        found = engine.search(q["question"], top=3)
        names = [c.name for c in found.candidates]
        right1 = bool(names) and matches(names[0], q["item_patterns"])
        result.total += 1
        result.top1 += right1
        result.top3 += any(matches(n, q["item_patterns"]) for n in names)
        if found.decision == "answer":
            result.answered += 1
            result.answered_right += right1
        result.chose += found.decision == "choose"
        result.not_found += found.decision == "not_found"
        if found.candidates:
            result.points.append((found.candidates[0].confidence, found.candidates[0].score, right1))
        if not right1:
            result.misses.append(f"{q.get('id', '-')} {q['question'][:40]} → {names} (want {q['item_patterns']})")
    return result


def ablation(entries: list[SearchEntry], questions: list[dict], label: str) -> list[Scores]:
    """Each stage switched off in turn: how much it contributes on these questions."""
    return [score(SearchEngine(entries, disabled={stage}), questions, f"{label} without {stage}") for stage in STAGES]


def reliability(points: list[tuple[float, float, bool]], bins: int = 5) -> list[str]:
    """Calibration table: per confidence bin, the mean confidence and how often the best was right."""
    lines = [f"{'confidence':<12} {'n':>4} {'mean':>6} {'right':>6}"]
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(c, r) for c, _s, r in points if low <= c < high or (b == bins - 1 and c == 1.0)]
        if inside:
            mean = sum(c for c, _ in inside) / len(inside)
            right = sum(r for _, r in inside) / len(inside)
            lines.append(f"{low:.1f}–{high:.1f}      {len(inside):>4} {mean:6.2f} {right:6.2f}")
    return lines
