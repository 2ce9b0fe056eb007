"""Rasa's SQL event broker that stores the events of one turn in one transaction.

    event_broker:
      type: bot.ops.event_broker.BatchingSQLEventBroker
      dialect: sqlite
      db: ${YUBAN_EVENTS_DB}

Rasa's SQLEventBroker commits once per event; a guide answer is about a dozen events, so a
dozen commits (each an fsync on SQLite) blocked the Rasa process's event loop on every turn.
The private tracker store (bot/ops/tracker_store.py) hands a turn over with `publish_many`:
one INSERT of all its rows, one commit; all of them are stored, or none. The table, its
rows and `publish` (one event) stay Rasa's, so the console reads them as before. SQLite
files get pooled connections in WAL mode (bot/ops/sqlite_tuning.py). Rasa environment only.
"""
from __future__ import annotations

import functools
import json
from typing import Any

from rasa.core.brokers.sql import SQLEventBroker

from bot.ops import sqlite_tuning


class BatchingSQLEventBroker(SQLEventBroker):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sqlite_tuning.retune(self)

    def publish_many(self, events: list[dict[str, Any]]) -> None:
        """Several events in one transaction: all of them are stored, or none."""
        if not events:
            return
        rows = [{"sender_id": event.get("sender_id"), "data": json.dumps(event)} for event in events]
        with self.session_scope() as session:
            session.connection().execute(_insert(self.SQLBrokerEvent.__table__), rows)
            session.commit()


@functools.lru_cache(maxsize=None)
def _insert(table: Any) -> Any:
    """The INSERT of the broker's table, built once (building it was a sixth of a publish)."""
    return table.insert()
