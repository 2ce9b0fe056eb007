"""Incremental ingestion: Rasa's event broker table → one compact row per user turn.

Reads `events` (id, sender_id, data) in id order from where the cursor stopped, in
bounded batches. Each batch, its turns, the senders' state and the cursor are written in
one transaction, so a crash loses nothing and repeats nothing. Re-reading events that
were applied already changes nothing either: per sender, events at or below the
sender's high-water mark are skipped. Several console processes may ingest at once: the
cursor row is locked (PostgreSQL: SELECT … FOR UPDATE; SQLite: BEGIN IMMEDIATE), so
batches are applied one after the other, each on what the previous one wrote.
"""
from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable

from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from console.analytics import events as ev
from console.analytics.tables import ConversationStateRow, CursorRow, TurnRow
from console.messages import message

logger = logging.getLogger(__name__)

DEFAULT_BATCH = 5000
# The input channels of the project (their `name()`); anything else a caller managed to put in
# `input_channel` is counted as "other", never stored: it reaches the CSV export and the charts.
KNOWN_CHANNELS = frozenset({"rest", "wechat", "app"})
_READ = text("SELECT id, sender_id, data FROM events WHERE id > :after ORDER BY id LIMIT :limit")


class IngestionError(RuntimeError):
    """The event table cannot be read."""


def source_name(events_url: str) -> str:
    """The cursor's key: one per event source, so pointing at another broker starts fresh."""
    rendered = make_url(events_url).render_as_string(hide_password=True)
    return hashlib.sha256(rendered.encode()).hexdigest()[:32]


def events_engine(events_url: str) -> Engine | None:
    """A read engine for the broker's table; None while its SQLite file does not exist yet.

    Not knowledge.db.make_engine: that switches SQLite to WAL, and this file is Rasa's.
    """
    url = make_url(events_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or not Path(url.database).exists():
            return None
        return create_engine(url, connect_args={"timeout": 10})
    return create_engine(url, pool_pre_ping=True)


def default_settle_seconds(events_url: str) -> float:
    """How old an event must be before it is read: 0 for SQLite (writes are serialized).

    With several Rasa processes writing to PostgreSQL, a row may become visible after a
    row with a higher id; waiting two seconds lets such late commits land first.
    """
    return 0.0 if make_url(events_url).get_backend_name() == "sqlite" else 2.0


@dataclass
class BatchReport:
    events: int = 0
    turns: int = 0
    last_event_id: int = 0


class Ingestor:
    def __init__(self, sessions: sessionmaker[Session], events_url: str, batch_size: int = DEFAULT_BATCH,
                 settle_seconds: float | None = None, clock: Callable[[], float] = time.time):
        if batch_size <= 0:
            raise ValueError("batch_size must be positive")
        self._sessions = sessions
        self._events_url = events_url
        self._engine: Engine | None = None
        self.source = source_name(events_url)
        self.batch_size = batch_size
        self.settle_seconds = default_settle_seconds(events_url) if settle_seconds is None else settle_seconds
        self._clock = clock

    def _events(self) -> Engine | None:
        if self._engine is None:
            self._engine = events_engine(self._events_url)
        return self._engine

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def run(self, max_batches: int = 1) -> BatchReport:
        """Ingest up to `max_batches` batches; stops early when caught up."""
        total = BatchReport()
        for _ in range(max_batches):
            report = self.run_batch()
            total.events += report.events
            total.turns += report.turns
            total.last_event_id = max(total.last_event_id, report.last_event_id)
            if report.events < self.batch_size:
                break
        return total

    def run_batch(self) -> BatchReport:
        engine = self._events()
        if engine is None or not self._anything_new(engine):
            return BatchReport()
        try:
            with self._sessions.begin() as session:
                if session.get_bind().dialect.name == "sqlite":
                    # Take the write lock before reading the cursor: pysqlite would begin only at
                    # the first write, after reads that another process may have made stale.
                    session.connection().exec_driver_sql("BEGIN IMMEDIATE")
                return self._ingest(session, engine)
        except IntegrityError:
            # Another console process ingested the same events first; its rows stand.
            logger.info("analytics: another process ingested this batch; skipping")
            return BatchReport()
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            # SQLite: another process is writing (it ingests the same events); next run continues.
            logger.info("analytics: catalog database busy; ingestion skipped this time")
            return BatchReport()

    def _anything_new(self, engine: Engine) -> bool:
        """A lock-free look first: when caught up (the usual case), take no write lock at all."""
        with self._sessions() as session:
            cursor = session.get(CursorRow, self.source)
        return bool(self._read(engine, cursor.last_event_id if cursor else 0, limit=1))

    def _ingest(self, session: Session, engine: Engine) -> BatchReport:
        cursor = session.get(CursorRow, self.source, with_for_update=True)
        if cursor is None:
            if session.scalar(select(CursorRow.source).where(CursorRow.source != self.source).limit(1)) is not None:
                # Turns are keyed by the broker's event ids: two brokers would collide.
                raise IngestionError(message("operator.events_table_taken"))
            cursor = CursorRow(source=self.source, last_event_id=0, updated_at=_utcnow())
            session.add(cursor)
        rows = self._read(engine, cursor.last_event_id)
        report = BatchReport(last_event_id=cursor.last_event_id)
        if not rows:
            return report
        batch = _Batch(session, {ev.sender_hash(sender or "") for _id, sender, _data in rows})
        newest_allowed = self._clock() - self.settle_seconds
        for event_id, sender, data in rows:
            event = ev.parse(data)
            if self.settle_seconds and event is not None and (event.get("timestamp") or 0) > newest_allowed:
                break
            if event is not None:
                report.turns += batch.apply(int(event_id), sender or "", event)
            report.events += 1
            report.last_event_id = int(event_id)
        cursor.last_event_id = report.last_event_id
        cursor.updated_at = _utcnow()
        return report

    def _read(self, engine: Engine, after: int, limit: int | None = None) -> list[tuple[int, str | None, str | None]]:
        try:
            with engine.connect() as connection:
                rows = connection.execute(_READ, {"after": after, "limit": limit or self.batch_size})
                return [tuple(r) for r in rows]
        except DBAPIError as error:
            if "no such table" in str(error) or "does not exist" in str(error):
                return []  # Rasa has not published anything yet
            raise IngestionError(message("operator.events_unreadable", error=error.orig)) from error


def _utcnow() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class _Batch:
    """The senders and turns a batch touches, loaded once and written at commit."""

    def __init__(self, session: Session, hashes: Iterable[str]):
        self._session = session
        hashes = list(hashes)
        self.states: dict[str, ConversationStateRow] = {}
        for start in range(0, len(hashes), 500):
            chunk = hashes[start:start + 500]
            for state in session.scalars(select(ConversationStateRow).where(ConversationStateRow.sender_hash.in_(chunk))):
                self.states[state.sender_hash] = state
        open_turns = [s.last_turn for s in self.states.values() if s.last_turn is not None]
        open_turns += [s.last_question_turn for s in self.states.values() if s.last_question_turn is not None]
        self.turns: dict[int, TurnRow] = {}
        for start in range(0, len(open_turns), 500):
            for turn in session.scalars(select(TurnRow).where(TurnRow.event_id.in_(open_turns[start:start + 500]))):
                self.turns[turn.event_id] = turn

    def _state(self, hashed: str) -> ConversationStateRow:
        state = self.states.get(hashed)
        if state is None:
            state = ConversationStateRow(sender_hash=hashed, session_no=0, last_event_id=0)
            self._session.add(state)
            self.states[hashed] = state
        return state

    def _turn(self, event_id: int | None) -> TurnRow | None:
        return self.turns.get(event_id) if event_id is not None else None

    def apply(self, event_id: int, sender: str, event: dict[str, Any]) -> int:
        """Apply one event; returns 1 when it started a turn."""
        hashed = ev.sender_hash(sender)
        state = self._state(hashed)
        if event_id <= state.last_event_id:
            return 0
        state.last_event_id = event_id
        kind = event.get("event")
        if kind == "user":
            return self._user(event_id, hashed, state, event)
        if kind == "bot":
            self._bot(state, event)
        elif kind == "slot" and event.get("name") == "district":
            state.district = _short(event.get("value"), 64)
            turn = self._turn(state.last_turn)
            if turn is not None:
                turn.district = state.district
        elif kind == "active_loop":
            state.active_loop = _short(event.get("name"), 64)
        elif kind == "session_started":
            state.session_no += 1
            state.district = state.active_loop = None
            state.last_turn = state.last_question_turn = None
        elif kind == "restart":
            state.district = state.active_loop = None
        return 0

    def _user(self, event_id: int, hashed: str, state: ConversationStateRow, event: dict[str, Any]) -> int:
        at = ev.event_time(event)
        if at is None:
            state.last_turn = None  # its replies must not be counted for the previous turn
            return 0
        day, hour = ev.local_day_hour(at)
        intent, confidence = ev.intent_of(event)
        in_form = state.active_loop is not None
        words = None if in_form else ev.scrub(event.get("text") if isinstance(event.get("text"), str) else None)
        turn = TurnRow(event_id=event_id, conversation=f"{hashed}:{state.session_no}", at=at, day=day, hour=hour,
                       channel=channel_name(event.get("input_channel")), district=state.district,
                       kind=ev.turn_kind(intent, in_form), text=words, question_key=ev.question_key(words),
                       intent=_short(intent, 64), confidence=confidence, nlu_fallback=intent == ev.FALLBACK_INTENT,
                       answered=False, choices=False, not_found=False, progress_answers=0, progress_overdue=0)
        self._session.add(turn)
        self.turns[event_id] = turn
        verdict = ev.FEEDBACK_INTENTS.get(intent or "")
        if verdict:
            target = self._turn(state.last_question_turn)
            if target is not None:
                target.feedback = verdict
        else:
            state.last_question_turn = event_id
        state.last_turn = event_id
        return 1

    def _bot(self, state: ConversationStateRow, event: dict[str, Any]) -> None:
        turn = self._turn(state.last_turn)
        if turn is None:
            return  # a message before the first user message of the session
        at = ev.event_time(event)
        if at is not None:
            elapsed = max(0, round((at - turn.at).total_seconds() * 1000))
            turn.response_ms = max(turn.response_ms or 0, elapsed)
        for payload in ev.payloads(event):
            _apply_payload(turn, payload)


def _apply_payload(turn: TurnRow, payload: dict[str, Any]) -> None:
    kind = payload.get("type")
    if kind in ev.ANSWER_TYPES:
        turn.answered = True
        code = payload.get("item_code") or payload.get("bundle_code") or payload.get("code")
        name = payload.get("item_name") or payload.get("bundle_name") or payload.get("name")
        turn.item_code = _short(code, 40) or turn.item_code
        turn.item_name = _short(name, 200) or turn.item_name
    elif kind == "choices":
        turn.choices = True
    elif kind == "not_found":
        turn.not_found = True
    elif kind == "handoff":
        turn.handoff_reason = _short(payload.get("reason"), 32) or "unknown"
    elif kind == "progress":
        turn.progress_answers += 1
        turn.progress_overdue += 1 if payload.get("overdue") else 0
    elif kind == "progress_list":
        applications = [a for a in payload.get("applications") or [] if isinstance(a, dict)]
        turn.progress_answers += len(applications)
        turn.progress_overdue += sum(1 for a in applications if a.get("overdue"))


def channel_name(value: Any) -> str:
    """One of KNOWN_CHANNELS, "unknown" when the event names none, "other" for anything else."""
    if value is None or value == "":
        return "unknown"
    return value if isinstance(value, str) and value in KNOWN_CHANNELS else "other"


def _short(value: Any, limit: int) -> str | None:
    if value is None or value == "":
        return None
    return str(value)[:limit]
