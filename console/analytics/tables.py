"""The analytics tables, in the catalog database (migration 0004 creates them).

The event broker's table holds every Rasa event as JSON; the dashboard and the queue
read these compact tables instead, one row per user turn, filled incrementally by
`console.analytics.ingest`. They share the catalog's declarative base so one Alembic
history covers the database.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, DateTime, Float, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from knowledge.models import Base


class TurnRow(Base):
    """One user message and what the assistant did with it (see docs/console.md, Dashboard)."""

    __tablename__ = "analytics_turns"

    # The broker's id of the user event: re-reading an event can never make a second row.
    event_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    conversation: Mapped[str] = mapped_column(String(80), index=True)  # sender hash + ":" + session number
    at: Mapped[datetime] = mapped_column(DateTime)  # UTC, naive
    day: Mapped[date] = mapped_column(Date, index=True)  # Asia/Shanghai
    hour: Mapped[int] = mapped_column(SmallInteger)  # Asia/Shanghai, 0-23
    channel: Mapped[str] = mapped_column(String(32))
    district: Mapped[str | None] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # question | courtesy | form | progress | request
    text: Mapped[str | None] = mapped_column(String(500))  # None for form answers (numbers, phone digits)
    question_key: Mapped[str | None] = mapped_column(String(200), index=True)
    intent: Mapped[str | None] = mapped_column(String(64))
    confidence: Mapped[float | None] = mapped_column(Float)  # of the best real intent (not nlu_fallback)
    nlu_fallback: Mapped[bool] = mapped_column(Boolean, default=False)
    answered: Mapped[bool] = mapped_column(Boolean, default=False)  # a guide or bundle reply
    item_code: Mapped[str | None] = mapped_column(String(40), index=True)
    item_name: Mapped[str | None] = mapped_column(String(200))
    choices: Mapped[bool] = mapped_column(Boolean, default=False)
    not_found: Mapped[bool] = mapped_column(Boolean, default=False)
    handoff_reason: Mapped[str | None] = mapped_column(String(32))
    progress_answers: Mapped[int] = mapped_column(Integer, default=0)  # applications shown
    progress_overdue: Mapped[int] = mapped_column(Integer, default=0)  # of which overdue
    feedback: Mapped[str | None] = mapped_column(String(8))  # useful | useless: the verdict on this turn's answer
    response_ms: Mapped[int | None] = mapped_column(Integer)  # user event → last bot event of the turn


class ConversationStateRow(Base):
    """Where each sender's conversation stands, so ingestion can resume mid-conversation."""

    __tablename__ = "analytics_senders"

    sender_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    session_no: Mapped[int] = mapped_column(Integer, default=0)
    district: Mapped[str | None] = mapped_column(String(64))
    active_loop: Mapped[str | None] = mapped_column(String(64))
    last_turn: Mapped[int | None] = mapped_column(BigInteger)  # event_id of the newest turn
    last_question_turn: Mapped[int | None] = mapped_column(BigInteger)  # newest turn that was not feedback
    # Events of one sender arrive in id order: anything at or below this was applied already.
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)


class CursorRow(Base):
    """How far the broker's table has been read, per event source."""

    __tablename__ = "analytics_cursor"

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class QueueStateRow(Base):
    """A queue group the content team dealt with (an alias added, or marked resolved)."""

    __tablename__ = "analytics_queue_state"

    question_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))  # alias | resolved
    item_code: Mapped[str | None] = mapped_column(String(40))
    alias: Mapped[str | None] = mapped_column(String(200))
    resolved_by: Mapped[str] = mapped_column(String(64))
    resolved_at: Mapped[datetime] = mapped_column(DateTime)
