"""What the actions depend on, created lazily on first use (never at import time).

Actions take these through their constructor; rasa_sdk builds actions without
arguments, so the defaults below are the process-wide services.
"""
from __future__ import annotations

from typing import Protocol

from knowledge.records import Bundle, Item
from knowledge.search import SearchResult


class Catalog(Protocol):
    def search(self, text: str, top: int = 5) -> SearchResult: ...

    def item(self, code: str) -> Item: ...

    def item_name(self, code: str) -> str: ...

    def bundle(self, code: str) -> Bundle: ...


def default_catalog() -> Catalog:
    from knowledge.service import default_service

    return default_service()


def default_feedback():
    from actions.feedback_store import default_feedback_store

    return default_feedback_store()


def default_progress():
    from actions.progress_client import default_progress_client

    return default_progress_client()


def default_lock():
    from actions.verification_lock import default_lock as lock

    return lock()


def default_reminders():
    from reminders.defaults import default_store

    return default_store()
