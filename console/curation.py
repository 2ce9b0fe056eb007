"""Curation on the catalog for editors: browsing, the check report, aliases.

Queries take the catalog sessionmaker and return plain data; aliases go through
CatalogStore.add_alias, which bumps the catalog version so every search (the console's
and the assistant's) reloads with the new alias.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import distinct, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from console.errors import ConsoleError
from knowledge.check import CheckReport, check_catalog
from knowledge.errors import ItemNotFoundError, KnowledgeError
from knowledge.models import AliasRow, ImplementationRow, ItemRow
from knowledge.store import CatalogStore
from console.messages import message

PAGE_SIZE = 50
MAX_ALIAS = 100


@dataclass(frozen=True)
class ItemSummary:
    code: str
    name: str
    department: str | None
    power_type: str | None
    aliases: int
    implementations: int
    demonstration: bool


@dataclass(frozen=True)
class CatalogPage:
    items: list[ItemSummary]
    total: int
    page: int
    pages: int
    departments: list[str]


def browse(sessions: sessionmaker[Session], text: str = "", department: str = "", page: int = 1) -> CatalogPage:
    """Items matching a code, name or alias fragment and a department, a page at a time, by code."""
    aliases = select(AliasRow.item_code, func.count().label("n")).group_by(AliasRow.item_code).subquery()
    impls = select(ImplementationRow.item_code, func.count().label("n")).group_by(ImplementationRow.item_code).subquery()
    where = []
    if text:
        pattern = f"%{text}%"
        where.append(or_(ItemRow.code.like(pattern), ItemRow.name.like(pattern),
                         ItemRow.code.in_(select(AliasRow.item_code).where(AliasRow.alias.like(pattern)))))
    if department:
        where.append(ItemRow.department == department)
    with sessions() as session:
        total = session.scalar(select(func.count()).select_from(ItemRow).where(*where)) or 0
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, page), pages)
        rows = session.execute(
            select(ItemRow.code, ItemRow.name, ItemRow.department, ItemRow.power_type,
                   func.coalesce(aliases.c.n, 0), func.coalesce(impls.c.n, 0), ItemRow.demonstration)
            .outerjoin(aliases, aliases.c.item_code == ItemRow.code)
            .outerjoin(impls, impls.c.item_code == ItemRow.code)
            .where(*where).order_by(ItemRow.code).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
        departments = [d for d in session.scalars(select(distinct(ItemRow.department)).order_by(ItemRow.department)) if d]
    return CatalogPage([ItemSummary(*row) for row in rows], total, page, pages, departments)


class CheckCache:
    """The check report of the published catalog, recomputed when the catalog version moves."""

    def __init__(self, store: CatalogStore):
        self._store = store
        self._version: int | None = None
        self._report: CheckReport | None = None

    def report(self) -> CheckReport:
        version = self._store.version()
        if self._report is None or version != self._version:
            self._report = check_catalog(self._store.all_items(), bundles=self._store.all_bundles())
            self._version = version
        return self._report


def add_alias(store: CatalogStore, code: str, alias: str) -> str:
    """Add a colloquial name to an item; live for search at once. Returns the cleaned alias."""
    alias = " ".join((alias or "").split())
    if not alias:
        raise ConsoleError(400, "bad_alias", message("api.empty_alias"))
    if len(alias) > MAX_ALIAS:
        raise ConsoleError(400, "bad_alias", message("api.alias_too_long", limit=MAX_ALIAS))
    try:
        store.add_alias(code, alias)
    except ItemNotFoundError:
        raise ConsoleError(404, "item_not_found", message("api.no_item", code=code[:60])) from None
    except KnowledgeError as error:
        raise ConsoleError(400, "bad_alias", str(error)) from None
    return alias
