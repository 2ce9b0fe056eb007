"""Which of Chongqing's districts/counties a point lies in, offline.

The boundaries ship in `data/chongqing_boundaries.json` (source and licence in
data/README.md; rebuilt by `python -m tooling.geo_boundaries`): the polygons of the 38
districts/counties, with their enclaves as holes, simplified to about 50 m, in GCJ-02
coordinates. The district whose polygon holds the point wins; simplifying each district
on its own leaves slivers a few metres wide between neighbours (and blurs the outer
border as much), so a point in no polygon goes to the nearest district within
SLIVER_KM, and is outside Chongqing beyond that. Standard library only, pure Python.

The three development zones (两江新区, 重庆高新区, 万盛经开区) have no administrative
boundary: coordinates give the district that holds them, a label can name a zone.

WeChat and Chinese map SDKs (高德, 腾讯) report GCJ-02 coordinates, as the data is; a
phone's raw GPS reports WGS-84, which `to_gcj02` shifts by the published offset (a few
hundred metres in Chongqing).
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BOUNDARIES_FILE = Path(__file__).with_name("data") / "chongqing_boundaries.json"
SLIVER_KM = 0.2  # in no polygon: the nearest district within this, else outside Chongqing
KM_PER_DEGREE = 111.32
WGS84, GCJ02 = "wgs84", "gcj02"
COORDINATE_SYSTEMS = (WGS84, GCJ02)

Ring = tuple[tuple[float, float], ...]
Polygon = tuple[Ring, ...]  # the outer ring, then holes


class CoordinateError(ValueError):
    """Coordinates that are no point on Earth (out of range, not a number) or an unknown system."""


@dataclass(frozen=True)
class Area:
    """Polygons (outer ring and holes) with their bounding box, for a quick point-in-polygon test."""

    polygons: tuple[Polygon, ...]
    box: tuple[float, float, float, float]  # min lon, min lat, max lon, max lat

    @classmethod
    def of(cls, polygons: list[list[list[list[float]]]]) -> Area:
        shaped = tuple(tuple(tuple((float(lon), float(lat)) for lon, lat in ring) for ring in polygon)
                       for polygon in polygons)
        lons = [p[0] for polygon in shaped for p in polygon[0]]
        lats = [p[1] for polygon in shaped for p in polygon[0]]
        return cls(shaped, (min(lons), min(lats), max(lons), max(lats)))

    def contains(self, lon: float, lat: float) -> bool:
        west, south, east, north = self.box
        if not (west <= lon <= east and south <= lat <= north):
            return False
        return any(_in_ring(polygon[0], lon, lat) and not any(_in_ring(hole, lon, lat) for hole in polygon[1:])
                   for polygon in self.polygons)

    def distance_km(self, lon: float, lat: float) -> float:
        """Distance from the point to the nearest edge (a local flat approximation)."""
        scale = math.cos(math.radians(lat))
        west, south, east, north = self.box
        margin = SLIVER_KM / KM_PER_DEGREE * 2
        if not (west - margin / scale <= lon <= east + margin / scale and south - margin <= lat <= north + margin):
            return math.inf  # far from this district: not measured
        best = math.inf
        for polygon in self.polygons:
            for ring in polygon:
                for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
                    best = min(best, _segment_distance((lon - x1) * scale, lat - y1, (x2 - x1) * scale, y2 - y1))
        return best * KM_PER_DEGREE


@dataclass(frozen=True)
class Boundaries:
    districts: dict[str, Area]  # 区划代码 → area

    def district_at(self, lon: float, lat: float) -> str | None:
        """The code of the district/county at a GCJ-02 point, None outside Chongqing."""
        check_point(lon, lat)
        for code, area in self.districts.items():
            if area.contains(lon, lat):
                return code
        distance, nearest = min((area.distance_km(lon, lat), code) for code, area in self.districts.items())
        return nearest if distance <= SLIVER_KM else None


def check_point(lon: float, lat: float) -> None:
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in (lon, lat)):
        raise CoordinateError("longitude and latitude must be finite numbers")
    if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
        raise CoordinateError("longitude must be within ±180 and latitude within ±90")


def to_gcj02(lon: float, lat: float, system: str) -> tuple[float, float]:
    """GCJ-02 coordinates (the data's) from `system` ("wgs84" or "gcj02")."""
    check_point(lon, lat)
    if system == GCJ02:
        return lon, lat
    if system == WGS84:
        return wgs84_to_gcj02(lon, lat)
    raise CoordinateError(f"unknown coordinate system {system!r} (expected one of {', '.join(COORDINATE_SYSTEMS)})")


# GCJ-02 is WGS-84 plus a published, deterministic offset (Krasovsky ellipsoid); outside
# mainland China no offset applies.
_A = 6378245.0
_EE = 0.00669342162296594323


def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    if not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271):
        return lon, lat
    d_lat = _offset_lat(lon - 105.0, lat - 35.0)
    d_lon = _offset_lon(lon - 105.0, lat - 35.0)
    rad = math.radians(lat)
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return lon + d_lon, lat + d_lat


def _offset_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _offset_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _in_ring(ring: Ring, lon: float, lat: float) -> bool:
    """Ray casting (even-odd rule)."""
    inside = False
    x1, y1 = ring[-1]
    for x2, y2 in ring:
        if (y2 > lat) != (y1 > lat) and lon < (x1 - x2) * (lat - y2) / (y1 - y2) + x2:
            inside = not inside
        x1, y1 = x2, y2
    return inside


def _segment_distance(px: float, py: float, dx: float, dy: float) -> float:
    """Distance from (px, py) to the segment from the origin to (dx, dy)."""
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, (px * dx + py * dy) / length))
    return math.hypot(px - t * dx, py - t * dy)


@lru_cache(maxsize=2)
def load_boundaries(path: Path = BOUNDARIES_FILE) -> Boundaries:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Boundaries({code: Area.of(polygons) for code, polygons in data["districts"].items()})
