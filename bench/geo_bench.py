"""Cost of the offline district lookup (knowledge/geo.py, knowledge/locating.py): loading the
boundary file once, and one lookup for points spread over Chongqing and its surroundings.

Prints milliseconds to load and microseconds per lookup (best of five rounds), inside
Chongqing and outside it (outside, the nearest district is measured too).

    .venvs/actions/bin/python -m bench.geo_bench
"""
from __future__ import annotations

import time

from knowledge.geo import BOUNDARIES_FILE, load_boundaries
from knowledge.locating import locate

GRID = 40  # points per side over the boundaries' box, widened by half a degree


def best_of(rounds: int, work) -> float:
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        work()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    start = time.perf_counter()
    boundaries = load_boundaries.__wrapped__(BOUNDARIES_FILE)
    load_ms = (time.perf_counter() - start) * 1000
    points = sum(len(r) for area in boundaries.districts.values() for p in area.polygons for r in p)
    print(f"geo load: {load_ms:.0f} ms ({len(boundaries.districts)} districts, {points} points, "
          f"{BOUNDARIES_FILE.stat().st_size // 1024} KiB)")
    west = min(a.box[0] for a in boundaries.districts.values()) - 0.5
    east = max(a.box[2] for a in boundaries.districts.values()) + 0.5
    south = min(a.box[1] for a in boundaries.districts.values()) - 0.5
    north = max(a.box[3] for a in boundaries.districts.values()) + 0.5
    grid = [(west + (east - west) * (i + 0.5) / GRID, south + (north - south) * (j + 0.5) / GRID)
            for i in range(GRID) for j in range(GRID)]
    inside = [p for p in grid if boundaries.district_at(*p)]
    outside = [p for p in grid if not boundaries.district_at(*p)]
    for name, sample in (("inside", inside), ("outside", outside)):
        seconds = best_of(5, lambda sample=sample: [boundaries.district_at(*p) for p in sample])
        print(f"geo lookup {name} Chongqing: {seconds / len(sample) * 1e6:.0f} µs per point ({len(sample)} points)")
    seconds = best_of(5, lambda: [locate(lat, lon, "解放碑步行街") for lon, lat in inside])
    print(f"locate (label without a district, then coordinates): {seconds / len(inside) * 1e6:.0f} µs per location")


if __name__ == "__main__":
    main()
