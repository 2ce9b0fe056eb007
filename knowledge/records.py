"""Plain data objects for the catalog.

Importers produce them, repositories return them and actions render them; none of
them is tied to a database session, so they can cross process and thread boundaries.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Material:
    name: str
    required: bool = True
    condition: str | None = None
    form: str | None = None
    copies: int | None = None
    medium: str | None = None
    source: str | None = None
    waived: bool = False
    notes: str | None = None


@dataclass(frozen=True)
class FlowStep:
    name: str
    description: str | None = None
    time_limit: str | None = None


@dataclass(frozen=True)
class Faq:
    q: str
    a: str


@dataclass(frozen=True)
class Window:
    name: str | None = None
    address: str | None = None
    hours: str | None = None
    phone: str | None = None
    directions: str | None = None


@dataclass(frozen=True)
class Implementation:
    """One region's implementation of an item (实施清单)."""

    region_code: str
    body: str | None = None
    code: str | None = None
    promised_limit: str | None = None
    fee: str | None = None
    fee_detail: str | None = None
    fee_basis: str | None = None
    windows: tuple[Window, ...] = ()
    consult_phone: str | None = None
    supervision_phone: str | None = None
    online_depth: str | None = None
    online_url: str | None = None
    trips: int | None = None
    express: bool | None = None
    appointment: bool | None = None
    scope: tuple[str, ...] = ()
    verified: date | None = None
    # What this region's own list says when it differs from the item (a 三级四同 violation
    # that `check` reports); None when the region follows the standard item.
    local_name: str | None = None
    local_power_type: str | None = None
    local_materials: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Item:
    """A catalog item with the 三级四同 elements and the rest of its guide."""

    code: str
    name: str
    power_type: str | None = None
    department: str | None = None
    audience: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    summary: str | None = None
    conditions: tuple[str, ...] = ()
    legal_basis: tuple[str, ...] = ()
    materials: tuple[Material, ...] = ()
    flow: tuple[FlowStep, ...] = ()
    statutory_limit: str | None = None
    result: str | None = None
    faq: tuple[Faq, ...] = ()
    implementations: tuple[Implementation, ...] = ()
    demonstration: bool = False

    def implementation_for(self, region_code: str | None) -> Implementation | None:
        """The implementation for a region, else the city-level one, else None."""
        by_region = {impl.region_code: impl for impl in self.implementations}
        if region_code and region_code in by_region:
            return by_region[region_code]
        return by_region.get(CITY_CODE)

    def regions(self) -> list[str]:
        return sorted({impl.region_code for impl in self.implementations})


CITY_CODE = "500000"


@dataclass(frozen=True)
class SourceRef:
    """Where a record came from, for error messages: file, row (1-based) or item index."""

    file: str
    row: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.row}" if self.row is not None else self.file


@dataclass
class ParsedCatalog:
    """A whole catalog as read from files, before it is written to the database (not
    actions.deps.Catalog, the interface the actions search through)."""

    items: list[Item] = field(default_factory=list)
    sources: dict[str, SourceRef] = field(default_factory=dict)

    def by_code(self) -> dict[str, Item]:
        return {item.code: item for item in self.items}


def to_plain(obj: Any) -> Any:
    """Dataclass tree to JSON-friendly dicts/lists (dates as ISO strings, empties dropped)."""
    if hasattr(obj, "__dataclass_fields__"):
        obj = asdict(obj)
    if isinstance(obj, dict):
        return {k: to_plain(v) for k, v in obj.items() if v not in (None, (), [], {})}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    if isinstance(obj, date):
        return obj.isoformat()
    return obj


@dataclass(frozen=True)
class BundleStep:
    """One item of a bundle, in the order it is handled; optional ones apply only `condition`."""

    item_code: str
    optional: bool = False
    condition: str | None = None


@dataclass(frozen=True)
class Bundle:
    """A life event handled as one package of items (一件事一次办 / 联办).

    `window` is where it is handled jointly (one window), `form` the single application
    form, `promised_limit` the combined promised time; `{region}` in `window` is the
    region's name.
    """

    code: str
    name: str
    aliases: tuple[str, ...] = ()
    summary: str | None = None
    topics: tuple[str, ...] = ()
    lead_department: str | None = None
    steps: tuple[BundleStep, ...] = ()
    window: str | None = None
    city_window: str | None = None
    form: str | None = None
    online_url: str | None = None
    promised_limit: str | None = None
    verified: date | None = None
    demonstration: bool = False

    def item_codes(self) -> list[str]:
        return [step.item_code for step in self.steps]

    def window_for(self, region_name: str | None) -> str | None:
        """The joint window in a district, or the city-level one without a district."""
        if region_name is None:
            return self.city_window or (self.window.replace("{region}", "各区县") if self.window else None)
        return self.window.replace("{region}", region_name) if self.window else self.city_window
