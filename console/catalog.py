"""The console's catalog: the assistant's search service, told at once about the console's own writes.

Search rereads the catalog version every `catalog_reload_seconds` (changes from other
processes, such as `./yuban catalog import`); a write through the console's store (an alias,
a publish) makes the very next search reread it, whoever in the console made the write.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy.orm import Session, sessionmaker

from knowledge.service import CatalogService
from knowledge.store import CatalogStore


class NotifyingStore(CatalogStore):
    """A catalog store that reports each successful write."""

    def __init__(self, sessions: sessionmaker[Session], on_write: Callable[[], None]):
        super().__init__(sessions)
        self._on_write = on_write

    def replace_items(self, *args, **kwargs) -> None:
        super().replace_items(*args, **kwargs)
        self._on_write()

    def add_alias(self, code: str, alias: str) -> None:
        super().add_alias(code, alias)
        self._on_write()


class ConsoleCatalog(CatalogService):
    def __init__(self, sessions: sessionmaker[Session], reload_interval: float):
        super().__init__(NotifyingStore(sessions, self.changed), reload_interval)

    def changed(self) -> None:
        """The catalog was just written: the next search rereads its version."""
        self.invalidate()
