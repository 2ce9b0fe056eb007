"""WeChat events about progress reminders, and the news held for a user's next reply.

- `subscribe_msg_popup_event`: the user answered a subscribe popup; each accepted entry
  for our template (WECHAT_REMINDER_TEMPLATE_ID; any template when unset) is one consent,
  i.e. one subscribe message the notifier may send (`reminder_consents`).
- `subscribe_msg_change_event` with `reject`: the user turned our template off in the
  settings; the consents counted are void (news is then held for the next reply).
- `unsubscribe` (the user unfollowed the account): the channel's own unsubscribe; the
  user's reminders are removed.
- held news: notices the notifier could not send as subscribe messages (no consent
  left) start the user's next reply, each taken once (a conditional UPDATE).

The tables are the reminders' (Alembic migration 0006, reminders/store.py) in the
catalog database (YUBAN_DATABASE_URL); this runs in the Rasa environment, so it speaks
plain SQL that SQLAlchemy 1.4 and 2 both run. Users are found by the salted sender hash;
nothing personal is logged.
"""
from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError

from core.identity import sender_hash

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]
POPUP, CHANGE = "subscribe_msg_popup_event", "subscribe_msg_change_event"
EVENTS = frozenset({POPUP, CHANGE})


@dataclass(frozen=True)
class ReminderEvent:
    """What a reminder event means: `consents` more messages allowed, or all of them void."""

    consents: int = 0
    revoked: bool = False


def reminder_event(data: dict[str, Any], template_id: str | None = None) -> ReminderEvent | None:
    """The event in wechatpy's parsed XML (`message._data`), or None if it is no reminder event."""
    template_id = template_id or os.environ.get("WECHAT_REMINDER_TEMPLATE_ID") or None
    event = data.get("Event")
    if not isinstance(event, str) or event not in EVENTS:  # <Event><a/></Event> parses to a dict
        return None
    block = data.get("SubscribeMsgPopupEvent" if event == POPUP else "SubscribeMsgChangeEvent") or {}
    entries = block.get("List") if isinstance(block, dict) else None
    entries = entries if isinstance(entries, list) else [entries] if isinstance(entries, dict) else []
    ours = [entry for entry in entries if isinstance(entry, dict)
            and (not template_id or entry.get("TemplateId") == template_id)]
    statuses = [str(entry.get("SubscribeStatusString") or "") for entry in ours]
    if event == POPUP:
        return ReminderEvent(consents=statuses.count("accept"))
    return ReminderEvent(revoked="reject" in statuses)


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class ReminderTables:
    """Consents, unsubscribes and held news, on the catalog database."""

    def __init__(self, url: str | None = None):
        self.url = url or os.environ.get("YUBAN_DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'yuban.db'}"
        self._engine: Engine | None = None
        self._warned = False

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = create_engine(self.url, pool_pre_ping=not self.url.startswith("sqlite"))
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()

    async def apply(self, openid: str, event: ReminderEvent) -> None:
        await self._run(self._apply, sender_hash(openid), event)

    async def unsubscribed(self, openid: str) -> None:
        await self._run(self._forget_user, sender_hash(openid))

    async def take_news(self, openid: str) -> list[str]:
        return await self._run(self._take, sender_hash(openid)) or []

    def _exists(self) -> bool:
        """A SQLite file that is not there yet is not created here (the catalog creates it)."""
        prefix = "sqlite:///"
        return not self.url.startswith(prefix) or self.url == prefix + ":memory:" or \
            Path(self.url[len(prefix):]).exists()

    async def _run(self, function, *args):
        if not self._exists():
            return None
        try:
            return await asyncio.to_thread(function, *args)
        except SQLAlchemyError as error:  # the conversation goes on without the reminders
            level = logging.DEBUG if self._warned else logging.ERROR
            self._warned = True
            logger.log(level, "wechat: reminder tables unavailable (%s)", type(error).__name__)
            return None

    def _apply(self, user: str, event: ReminderEvent) -> None:
        with self.engine.begin() as connection:
            if event.revoked:
                connection.execute(text("UPDATE reminder_consents SET remaining = 0, updated_at = :now "
                                        "WHERE user_hash = :user"), {"user": user, "now": _now()})
            elif event.consents > 0:
                connection.execute(text(
                    "INSERT INTO reminder_consents (user_hash, remaining, updated_at) VALUES (:user, :n, :now) "
                    "ON CONFLICT (user_hash) DO UPDATE SET remaining = reminder_consents.remaining + :n, "
                    "updated_at = :now"), {"user": user, "n": event.consents, "now": _now()})

    def _forget_user(self, user: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(text("DELETE FROM reminder_subscriptions WHERE user_hash = :user"), {"user": user})
            connection.execute(text("DELETE FROM reminder_offers WHERE user_hash = :user"), {"user": user})
            connection.execute(text("UPDATE reminder_consents SET remaining = 0, updated_at = :now "
                                    "WHERE user_hash = :user"), {"user": user, "now": _now()})

    def _take(self, user: str) -> list[str]:
        taken = []
        with self.engine.begin() as connection:
            rows = connection.execute(text("SELECT id, text FROM reminder_deliveries WHERE user_hash = :user "
                                           "AND status = 'held' ORDER BY id"), {"user": user}).fetchall()
            for delivery_id, notice in rows:
                won = connection.execute(text(
                    "UPDATE reminder_deliveries SET status = 'sent', via = 'reply', sent_at = :now "
                    "WHERE id = :id AND status = 'held'"), {"id": delivery_id, "now": _now()}).rowcount
                if won:
                    taken.append(notice)
        return taken
