"""Chongqing's regions: the city level, 38 districts/counties and three development zones.

The list ships with the package (`data/regions.yml`); recognising a district in a
citizen's words is done here so that the NLU model needs no retraining for it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.records import CITY_CODE

REGIONS_FILE = Path(__file__).with_name("data") / "regions.yml"


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str  # city | district | zone
    short: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegionIndex:
    regions: tuple[Region, ...]

    @property
    def by_code(self) -> dict[str, Region]:
        return {r.code: r for r in self.regions}

    def city(self) -> Region:
        return self.by_code[CITY_CODE]

    def local(self) -> list[Region]:
        """Districts, counties and zones: where district-level items are implemented."""
        return [r for r in self.regions if r.level in ("district", "zone")]

    def resolve(self, name_or_code: str) -> Region | None:
        """A region from its code, full name or a short name people use."""
        key = name_or_code.strip()
        for region in self.regions:
            if key in (region.code, region.name) or key in region.short:
                return region
        return None

    def find_in_text(self, text: str) -> tuple[Region | None, str]:
        """The region named in a text and the text with that name removed.

        The longest name wins, so 九龙坡区 is not read as 九龙. The city level is only
        recognised from its explicit names (市级), never from 重庆 alone, which appears in
        almost every item name.
        """
        match = _region_pattern(self).search(text)
        if not match:
            return None, text
        region = self.resolve(match.group(0))
        return region, (text[: match.start()] + text[match.end():]).strip()


@lru_cache(maxsize=4)
def _region_pattern(index: RegionIndex) -> re.Pattern[str]:
    names = {n for r in index.regions for n in (r.name, *r.short) if r.code != CITY_CODE or n != r.name}
    alternatives = sorted(names, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in alternatives))


@lru_cache(maxsize=1)
def load_regions(path: Path = REGIONS_FILE) -> RegionIndex:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    regions = tuple(
        Region(code=str(r["code"]), name=r["name"], level=r["level"], short=tuple(r.get("short") or ()))
        for r in data["regions"]
    )
    return RegionIndex(regions)
