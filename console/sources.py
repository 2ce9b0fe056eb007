"""Where the console reads conversations from: Rasa's own stores, never the logs.

- the tracker store (transcripts of handed-off conversations): `YUBAN_TRACKER_DATABASE_URL`,
  else the embedded profile's SQLite file `YUBAN_TRACKER_DB` (default var/conversations.db);
- the event broker's table (every event of every conversation; the dashboard and the queue):
  `YUBAN_EVENTS_DATABASE_URL`, else the SQLite file `YUBAN_EVENTS_DB` (default var/events.db).
Both are the tables Rasa writes (`events`); the production profile points both URLs at PostgreSQL.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _url(url_variable: str, file_variable: str, default_file: str) -> str:
    url = os.environ.get(url_variable)
    if url:
        return url
    return f"sqlite:///{os.environ.get(file_variable) or ROOT / 'var' / default_file}"


def tracker_url() -> str:
    return _url("YUBAN_TRACKER_DATABASE_URL", "YUBAN_TRACKER_DB", "conversations.db")


def events_url() -> str:
    return _url("YUBAN_EVENTS_DATABASE_URL", "YUBAN_EVENTS_DB", "events.db")
