"""Recording usefulness feedback in the catalog database (read by the console later)."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy.orm import Session, sessionmaker

from core.identity import sender_hash
from knowledge.db import get_engine, session_factory
from knowledge.models import FeedbackRow


class FeedbackStore:
    def __init__(self, sessions: sessionmaker[Session]):
        self._sessions = sessions

    def record(self, sender_id: str, item_code: str | None, aspect: str | None, useful: bool) -> None:
        with self._sessions.begin() as session:
            session.add(FeedbackRow(sender_hash=sender_hash(sender_id), item_code=item_code, aspect=aspect, useful=useful))


@lru_cache(maxsize=1)
def default_feedback_store() -> FeedbackStore:
    return FeedbackStore(session_factory(get_engine()))
