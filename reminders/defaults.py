"""The process-wide reminder store: the catalog database (migrated to the newest
revision on first use) and the seal key every process of the deployment shares."""
from __future__ import annotations

from functools import lru_cache

from core.sealing import DEFAULT_KEY_FILE, Sealer, load_key
from reminders.store import ReminderStore


@lru_cache(maxsize=1)
def default_store() -> ReminderStore:
    from knowledge.db import get_engine

    return ReminderStore(get_engine(), Sealer(load_key(key_file=DEFAULT_KEY_FILE)))
