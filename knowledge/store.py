"""The catalog repository: reads and writes items, returns plain records.

Writes go through `replace_items`, one transaction per publish, with bulk inserts so a
city-wide catalog (hundreds of thousands of implementation rows) loads in seconds.
Every write bumps the catalog version that search watches to reload itself.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session, selectinload, sessionmaker

from knowledge.errors import BundleNotFoundError, ItemNotFoundError, KnowledgeError
from knowledge.models import (
    AliasRow, BundleAliasRow, BundleRow, BundleStepRow, CatalogStateRow, FaqRow, FlowStepRow, ImplementationRow, ItemRow,
    MaterialRow, RegionRow, WindowRow,
)
from knowledge.guide_loader import load_items
from knowledge.records import Bundle, BundleStep, Item
from knowledge.regions import load_regions

CHUNK = 5000


@dataclass(frozen=True)
class SearchEntry:
    """What search indexes of an item: no implementations, so the index loads fast."""

    code: str
    name: str
    aliases: tuple[str, ...]
    topics: tuple[str, ...]
    department: str | None
    summary: str | None
    power_type: str | None


class CatalogStore:
    def __init__(self, sessions: sessionmaker[Session]):
        self._sessions = sessions

    # ------------------------------------------------------------ reading
    def version(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(CatalogStateRow.version).where(CatalogStateRow.id == 1)) or 0

    def count(self) -> int:
        with self._sessions() as session:
            return session.scalar(select(func.count()).select_from(ItemRow)) or 0

    def get(self, code: str) -> Item:
        with self._sessions() as session:
            items = load_items(session, [code])
        if not items:
            raise ItemNotFoundError(f"没有编码为 {code} 的事项")
        return items[code]

    def get_many(self, codes: Iterable[str]) -> dict[str, Item]:
        codes = list(dict.fromkeys(codes))
        found: dict[str, Item] = {}
        with self._sessions() as session:
            for start in range(0, len(codes), 500):
                found.update(load_items(session, codes[start:start + 500]))
        return found

    def all_items(self) -> list[Item]:
        with self._sessions() as session:
            items = load_items(session, None)
        return [items[code] for code in sorted(items)]

    def search_entries(self) -> list[SearchEntry]:
        with self._sessions() as session:
            aliases: dict[str, list[str]] = {}
            for code, alias in session.execute(select(AliasRow.item_code, AliasRow.alias).order_by(AliasRow.item_code, AliasRow.position)):
                aliases.setdefault(code, []).append(alias)
            rows = session.execute(select(ItemRow.code, ItemRow.name, ItemRow.topics, ItemRow.department,
                                          ItemRow.summary, ItemRow.power_type).order_by(ItemRow.code))
            return [SearchEntry(code, name, tuple(aliases.get(code, ())), tuple(topics or ()), department, summary, power_type)
                    for code, name, topics, department, summary, power_type in rows]

    def all_bundles(self) -> list[Bundle]:
        with self._sessions() as session:
            return [_to_bundle(row) for row in session.scalars(_bundle_query().order_by(BundleRow.code)).all()]

    def get_bundle(self, code: str) -> Bundle:
        with self._sessions() as session:
            row = session.scalar(_bundle_query().where(BundleRow.code == code))
            if row is None:
                raise BundleNotFoundError(f"没有编码为 {code} 的联办事项")
            return _to_bundle(row)

    def existing_codes(self, codes: Iterable[str]) -> set[str]:
        """Which of these item codes the published catalog holds."""
        codes = list(codes)
        found: set[str] = set()
        with self._sessions() as session:
            for start in range(0, len(codes), 500):
                found.update(session.scalars(select(ItemRow.code).where(ItemRow.code.in_(codes[start:start + 500]))))
        return found

    # ------------------------------------------------------------ writing
    def replace_items(self, items: list[Item], delete_codes: Iterable[str] = (),
                      progress: Callable[[int, int], None] | None = None, *,
                      bundles: Iterable[Bundle] = (), delete_bundle_codes: Iterable[str] = ()) -> None:
        """Publish items and bundles (replacing those with the same codes) and delete others, atomically.

        `progress(done, total)` is called as item rows are written, for a progress bar.
        """
        bundles = list(bundles)
        with self._sessions.begin() as session:
            _ensure_regions(session)
            codes = [item.code for item in items] + list(delete_codes)
            for start in range(0, len(codes), 500):
                session.execute(delete(ItemRow).where(ItemRow.code.in_(codes[start:start + 500])))
            bundle_codes = [bundle.code for bundle in bundles] + list(delete_bundle_codes)
            for start in range(0, len(bundle_codes), 500):
                session.execute(delete(BundleRow).where(BundleRow.code.in_(bundle_codes[start:start + 500])))
            _bulk_insert(session, items, progress)
            _insert_bundles(session, bundles)
            _bump_version(session)

    def add_alias(self, code: str, alias: str) -> None:
        alias = alias.strip()
        if not alias:
            raise KnowledgeError("别名不能为空")
        with self._sessions.begin() as session:
            if session.get(ItemRow, code) is None:
                raise ItemNotFoundError(f"没有编码为 {code} 的事项")
            exists = session.scalar(select(AliasRow.id).where(AliasRow.item_code == code, AliasRow.alias == alias))
            if exists is None:
                position = session.scalar(select(func.count()).where(AliasRow.item_code == code)) or 0
                session.add(AliasRow(item_code=code, alias=alias, position=position))
                _bump_version(session)


def _bundle_query():
    return select(BundleRow).options(selectinload(BundleRow.aliases), selectinload(BundleRow.steps))


def _insert_bundles(session: Session, bundles: list[Bundle]) -> None:
    if not bundles:
        return
    session.execute(insert(BundleRow), [dict(
        code=b.code, name=b.name, summary=b.summary, topics=list(b.topics), lead_department=b.lead_department,
        window=b.window, city_window=b.city_window, form=b.form, online_url=b.online_url,
        promised_limit=b.promised_limit, verified=b.verified, demonstration=b.demonstration,
    ) for b in bundles])
    aliases = [dict(bundle_code=b.code, alias=a, position=i) for b in bundles for i, a in enumerate(dict.fromkeys(b.aliases))]
    steps = [dict(bundle_code=b.code, position=i, **vars_of(s)) for b in bundles for i, s in enumerate(b.steps)]
    for table, values in ((BundleAliasRow, aliases), (BundleStepRow, steps)):
        if values:
            session.execute(insert(table), values)


def _to_bundle(row: BundleRow) -> Bundle:
    return Bundle(
        code=row.code, name=row.name, aliases=tuple(a.alias for a in row.aliases), summary=row.summary,
        topics=tuple(row.topics or ()), lead_department=row.lead_department,
        steps=tuple(BundleStep(item_code=s.item_code, optional=s.optional, condition=s.condition) for s in row.steps),
        window=row.window, city_window=row.city_window, form=row.form, online_url=row.online_url,
        promised_limit=row.promised_limit, verified=row.verified, demonstration=row.demonstration,
    )


def _bump_version(session: Session) -> None:
    state = session.get(CatalogStateRow, 1)
    if state is None:
        session.add(CatalogStateRow(id=1, version=1))
    else:
        state.version += 1
        state.changed_at = func.now()


def _ensure_regions(session: Session) -> None:
    known = set(session.scalars(select(RegionRow.code)))
    missing = [r for r in load_regions().regions if r.code not in known]
    if missing:
        session.execute(insert(RegionRow), [
            {"code": r.code, "name": r.name, "level": r.level, "parent_code": None if r.level == "city" else "500000"}
            for r in missing
        ])


def _bulk_insert(session: Session, items: list[Item], progress: Callable[[int, int], None] | None = None) -> None:
    next_impl_id = (session.scalar(select(func.max(ImplementationRow.id))) or 0) + 1
    rows: dict[type, list[dict]] = {t: [] for t in (ItemRow, AliasRow, MaterialRow, FlowStepRow, FaqRow, ImplementationRow, WindowRow)}
    for item in items:
        rows[ItemRow].append(dict(
            code=item.code, name=item.name, power_type=item.power_type, department=item.department, summary=item.summary,
            audience=list(item.audience), topics=list(item.topics), conditions=list(item.conditions),
            legal_basis=list(item.legal_basis), statutory_limit=item.statutory_limit, result=item.result,
            demonstration=item.demonstration,
        ))
        rows[AliasRow] += [dict(item_code=item.code, alias=a, position=i) for i, a in enumerate(dict.fromkeys(item.aliases))]
        rows[MaterialRow] += [dict(item_code=item.code, position=i, **vars_of(m)) for i, m in enumerate(item.materials)]
        rows[FlowStepRow] += [dict(item_code=item.code, position=i, **vars_of(s)) for i, s in enumerate(item.flow)]
        rows[FaqRow] += [dict(item_code=item.code, position=i, question=f.q, answer=f.a) for i, f in enumerate(item.faq)]
        for impl in item.implementations:
            values = vars_of(impl)
            values.pop("windows")
            values["scope"] = list(impl.scope)
            values["local_materials"] = list(impl.local_materials) if impl.local_materials is not None else None
            rows[ImplementationRow].append(dict(id=next_impl_id, item_code=item.code, **values))
            rows[WindowRow] += [dict(implementation_id=next_impl_id, position=i, **vars_of(w)) for i, w in enumerate(impl.windows)]
            next_impl_id += 1
    total = sum(len(values) for values in rows.values())
    done = 0
    for table, values in rows.items():
        for start in range(0, len(values), CHUNK):
            session.execute(insert(table), values[start:start + CHUNK])
            done += len(values[start:start + CHUNK])
            if progress:
                progress(done, total)


def vars_of(record) -> dict:
    return {name: getattr(record, name) for name in record.__dataclass_fields__}
