"""Rendering cost of the answers package: one guide reply with its card, and the console's
complete guide, for every item of the demonstration catalog, without and with a district.

Prints microseconds per answer (best of five rounds). The catalog is read from the YAML
files, not a database, so the figure is the rendering alone.

    .venvs/actions/bin/python -m bench.answers_bench
"""
from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from answers.full_guide import full_guide_text
from answers.guide import guide_reply
from knowledge.regions import load_regions
from knowledge.source_yaml import read_yaml_file

CATALOG = Path(__file__).resolve().parents[1] / "data" / "catalog"
ASPECTS = ("materials", "department", "fee", "online", "overview")


def best_of(rounds: int, work: Callable[[], int]) -> tuple[float, int]:
    timings, count = [], 0
    for _ in range(rounds):
        start = time.perf_counter()
        count = work()
        timings.append(time.perf_counter() - start)
    return min(timings), count


def main() -> None:
    items = [item for path in sorted(CATALOG.glob("*.yml")) for item, _ in read_yaml_file(path)[0]]
    districts = (None, load_regions().resolve("渝北区"))

    def replies() -> int:
        return len([guide_reply(i, a, d) for i in items for a in ASPECTS for d in districts])

    def full_guides() -> int:
        return len([full_guide_text(i, d) for i in items for d in districts])

    for name, work in (("guide reply + card", replies), ("console full guide", full_guides)):
        seconds, count = best_of(5, work)
        print(f"answers {name}: {seconds / count * 1e6:.0f} µs per answer ({count} answers, {len(items)} items)")


if __name__ == "__main__":
    main()
