"""Synthetic Rasa event logs for the analytics tests, in the exact shape Rasa's SQL event broker writes.

`EventLog` is an `events` table (id, sender_id, data) in a SQLite file; `Talk` writes one
sender's conversation into it with a controllable clock. `write_known_scenario` builds
the conversations whose figures tests/console/test_analytics_queries.py knows by hand.
"""
from __future__ import annotations

import json
import os
import sqlite3
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

SHANGHAI = timezone(timedelta(hours=8))
META = {"model_id": "test-model", "assistant_id": "yuban"}


class EventLog:
    def __init__(self, path: Path, autocommit: bool = True):
        self.path = path
        self.autocommit = autocommit  # False for bulk writing (benchmarks): call commit()
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS events (id INTEGER NOT NULL PRIMARY KEY, "
                         "sender_id VARCHAR(255), data TEXT)")
        self._db.commit()

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def add(self, sender: str, event: dict[str, Any]) -> int:
        event = {"sender_id": sender, **event}
        cursor = self._db.execute("INSERT INTO events (sender_id, data) VALUES (?, ?)", (sender, json.dumps(event)))
        if self.autocommit:
            self._db.commit()
        return cursor.lastrowid

    def commit(self) -> None:
        self._db.commit()

    def add_raw(self, sender: str, data: str) -> int:
        cursor = self._db.execute("INSERT INTO events (sender_id, data) VALUES (?, ?)", (sender, data))
        self._db.commit()
        return cursor.lastrowid

    def count(self) -> int:
        return self._db.execute("SELECT count(*) FROM events").fetchone()[0]

    def close(self) -> None:
        self._db.close()


class Talk:
    """One sender's conversation; times are local (Asia/Shanghai) and advance as it goes."""

    def __init__(self, log: EventLog, sender: str, channel: str, start_local: datetime):
        self.log, self.sender, self.channel = log, sender, channel
        self.now = start_local.replace(tzinfo=SHANGHAI).timestamp()

    def _event(self, kind: str, **fields: Any) -> int:
        return self.log.add(self.sender, {"event": kind, "timestamp": self.now, "metadata": dict(META), **fields})

    def session(self, at_local: datetime | None = None) -> Talk:
        if at_local is not None:
            self.now = at_local.replace(tzinfo=SHANGHAI).timestamp()
        self._event("action", name="action_session_start", policy=None, confidence=1.0)
        self._event("session_started")
        self._event("action", name="action_listen", policy=None, confidence=None)
        return self

    def user(self, text: str, intent: str, confidence: float = 0.95, ranking: list[tuple[str, float]] | None = None,
             at_local: datetime | None = None, gap_seconds: float = 30.0) -> Talk:
        if at_local is not None:
            self.now = at_local.replace(tzinfo=SHANGHAI).timestamp()
        else:
            self.now += gap_seconds
        ranking = ranking or [(intent, confidence)]
        self._event("user", text=text, input_channel=self.channel, message_id=f"m{self.now}", parse_data={
            "intent": {"name": intent, "confidence": confidence}, "entities": [], "text": text,
            "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]})
        self._event("user_featurization", use_text_for_featurization=False)
        return self

    def slot(self, name: str, value: Any) -> Talk:
        self._event("slot", name=name, value=value)
        return self

    def loop(self, name: str | None) -> Talk:
        self._event("active_loop", name=name)
        return self

    def bot(self, after_ms: int, custom: dict | None = None, text: str = "好的") -> Talk:
        """A reply `after_ms` after the turn's user message (set relative to the user event)."""
        user_time = self.now
        self.now = user_time + after_ms / 1000
        self._event("action", name="action_x", policy="RulePolicy", confidence=1.0)
        self._event("bot", text=text, data={"elements": None, "quick_replies": None, "buttons": None,
                                            "attachment": None, "image": None, "custom": custom})
        self._event("action", name="action_listen", policy="RulePolicy", confidence=1.0)
        self.now = user_time
        return self


def guide(code: str, name: str, aspect: str = "materials") -> dict:
    return {"type": "guide", "item_code": code, "item_name": name, "aspect": aspect, "district": None}


COMPANY = ("500A4100020000", "有限责任公司设立登记")
BIRTH = ("500F1100010000", "出生登记")
D1, D2, D3 = datetime(2026, 11, 20), datetime(2026, 11, 21), datetime(2026, 11, 22)


def at(day: datetime, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return day.replace(hour=hour, minute=minute, second=second)


def write_known_scenario(log: EventLog) -> None:
    """Seven conversations over 2026-11-20..22 (local); the figures are worked out in the query tests."""
    a = Talk(log, "sender-a", "rest", at(D1, 9)).session()
    a.user("你好", "greet", 0.98, at_local=at(D1, 9, 0)).bot(50)
    a.user("渝北区开公司要什么材料", "ask_materials", 0.97, at_local=at(D1, 9, 1)).slot("district", "渝北区") \
        .bot(300, guide(*COMPANY)).slot("item_code", COMPANY[0])
    a.user("在哪办", "ask_department", 0.99, at_local=at(D1, 9, 2)).bot(200, guide(*COMPANY, "department"))
    a.user("没用", "feedback_useless", 0.98, at_local=at(D1, 9, 3)).bot(100)

    b = Talk(log, "sender-b", "wechat", at(D1, 21, 30)).session()
    b.user("螺蛳粉摊摊怎么开", "ask_flow", 0.89, at_local=at(D1, 21, 30)).bot(400, {"type": "not_found"})
    b.user("asdkjh", "nlu_fallback", 0.4, [("nlu_fallback", 0.4), ("ask_overview", 0.14)],
           at_local=at(D1, 21, 31)).bot(500, {"type": "not_found"})
    b.user("哈哈哈", "nlu_fallback", 0.4, [("nlu_fallback", 0.4), ("goodbye", 0.22)],
           at_local=at(D1, 21, 32)).bot(600, {"type": "handoff", "reason": "repeated_failure"})

    c = Talk(log, "sender-c", "app", at(D2, 10, 15)).session()
    c.user("我的办件到哪一步了", "query_progress", 0.99, at_local=at(D2, 10, 15)).loop("progress_form") \
        .slot("requested_slot", "application_number").bot(100)
    c.user("CQ202611243630928", "inform", 0.86, at_local=at(D2, 10, 16)).slot("application_number", "CQ202611243630928") \
        .bot(100)
    c.user("3659", "inform", 0.5, at_local=at(D2, 10, 17)).slot("verification_factor", "3659").loop(None) \
        .bot(800, {"type": "progress", "item_code": "500A3400010000", "stage": "accepted", "overdue": True})
    c.user("上户口", "ask_overview", 0.55, at_local=at(D2, 10, 18)).bot(150, guide(*BIRTH, "overview"))
    c.user("有用", "feedback_useful", 0.99, at_local=at(D2, 10, 19)).bot(50)

    e = Talk(log, "sender-e", "wechat", at(D2, 8)).session()
    e.user("螺螄粉攤攤怎麼開？", "ask_flow", 0.9, at_local=at(D2, 8, 0)).bot(400, {"type": "not_found"})

    f = Talk(log, "sender-f", "app", at(D2, 12)).session()
    f.user("查我的办件", "query_progress", 0.97, at_local=at(D2, 12, 0)).bot(300, {"type": "progress_list", "applications": [
        {"item_code": "x1", "overdue": True}, {"item_code": "x2", "overdue": False}, {"item_code": "x3", "overdue": False}]})

    # The same sender as the first conversation, in a new session: a second conversation.
    a.session(at(D2, 23, 50))
    a.user("开公司", "ask_overview", 0.9, at_local=at(D2, 23, 50)).bot(250, guide(*COMPANY, "overview"))
    a.user("转人工", "request_human", 0.99, at_local=at(D2, 23, 51)).bot(80, {"type": "handoff", "reason": "user_request"})

    # Local midnight has passed: 2026-11-22 00:30 in Chongqing is still 11-21 in UTC.
    g = Talk(log, "sender-g", "rest", at(D3, 0, 30)).session()
    g.user("你好", "greet", 0.99, at_local=at(D3, 0, 30)).bot(60)


def copy_catalog(pristine: Path, folder: Path) -> str:
    """A private copy of the console tests' pristine catalog (accounts included): its URL."""
    import shutil

    target = folder / "catalog.db"
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(pristine) + suffix)
        if source.exists():
            shutil.copy(source, str(target) + suffix)
    return f"sqlite:///{target}"


POSTGRES_ADMIN = os.environ.get("YUBAN_TEST_POSTGRES", "postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")


def postgres_reachable() -> bool:
    from sqlalchemy import create_engine

    engine = create_engine(POSTGRES_ADMIN)
    try:
        with engine.connect():
            return True
    except Exception:  # noqa: BLE001 - any failure means there is no server to test against
        return False
    finally:
        engine.dispose()


@contextmanager
def postgres_copy(log: EventLog):
    """(catalog URL, events URL): two new PostgreSQL databases, the events copied as Rasa would
    write them (id SERIAL); both dropped afterwards."""
    from sqlalchemy import create_engine, text

    name = f"yuban_test_analytics_{uuid.uuid4().hex[:8]}"
    base = POSTGRES_ADMIN.rsplit("/", 1)[0]
    urls = (f"{base}/{name}_catalog", f"{base}/{name}_events")
    admin = create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}_events"'))
    events = create_engine(urls[1])
    rows = sqlite3.connect(log.path).execute("SELECT sender_id, data FROM events ORDER BY id").fetchall()
    with events.begin() as connection:
        connection.execute(text("CREATE TABLE events (id SERIAL PRIMARY KEY, sender_id VARCHAR(255), data TEXT)"))
        connection.execute(text("INSERT INTO events (sender_id, data) VALUES (:s, :d)"),
                           [{"s": sender, "d": data} for sender, data in rows])
    events.dispose()
    try:
        yield urls
    finally:
        from knowledge.db import _engine_for

        _engine_for.cache_clear()  # release pooled connections before dropping
        with admin.connect() as connection:
            for url in urls:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}" WITH (FORCE)'))
        admin.dispose()
