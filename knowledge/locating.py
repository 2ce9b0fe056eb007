"""The region a shared location names: from its label when the label names one, else from
its coordinates (knowledge.geo).

A label is the address or place name the phone shows ("重庆市渝北区龙溪街道金龙路",
"解放碑步行街"). Only full names count there ("渝北区", "忠县", "两江新区"), never the short
ones people type: "江北" is in 江北国际机场, which lies in 渝北区. A label wins over the
coordinates (the zones have no boundary, and the polygons are simplified), except when the
coordinates lie outside Chongqing: "宁波市江北区" names a 江北区 too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from knowledge.geo import GCJ02, Boundaries, load_boundaries, to_gcj02
from knowledge.regions import Region, RegionIndex, load_regions

LABEL, COORDINATES, OUTSIDE = "label", "coordinates", "outside"
MIN_ZONE_ALIAS = 4  # "重庆高新区", "西部科学城" name a zone; "高新区", "两江" alone are too common


@dataclass(frozen=True)
class Located:
    """`region` is None when the point is outside Chongqing (`how` == OUTSIDE)."""

    region: Region | None
    how: str


def locate(latitude: float, longitude: float, label: str | None = None, system: str = GCJ02,
           regions: RegionIndex | None = None, boundaries: Boundaries | None = None) -> Located:
    """Raises knowledge.geo.CoordinateError for coordinates that are no point or an unknown system."""
    regions = regions or load_regions()
    boundaries = boundaries or load_boundaries()
    lon, lat = to_gcj02(longitude, latitude, system)
    code = boundaries.district_at(lon, lat)
    if code is None:
        return Located(None, OUTSIDE)
    named = region_in_label(label or "", regions)
    if named is not None:
        return Located(named, LABEL)
    return Located(regions.by_code[code], COORDINATES)


def region_in_label(label: str, regions: RegionIndex | None = None) -> Region | None:
    """The district, county or zone a label names by its full name (the longest wins)."""
    regions = regions or load_regions()
    match = _label_pattern(regions).search(label)
    return _label_names(regions)[match.group(0)] if match else None


@lru_cache(maxsize=4)
def _label_names(regions: RegionIndex) -> dict[str, Region]:
    names: dict[str, Region] = {}
    for region in regions.local():
        names[region.name] = region
        if region.level == "district":  # "石柱县" for 石柱土家族自治县
            names.update({alias: region for alias in region.short if alias.endswith(("区", "县"))})
        else:
            names.update({alias: region for alias in region.short if len(alias) >= MIN_ZONE_ALIAS})
    return names


@lru_cache(maxsize=4)
def _label_pattern(regions: RegionIndex) -> re.Pattern[str]:
    names = sorted(_label_names(regions), key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in names))
