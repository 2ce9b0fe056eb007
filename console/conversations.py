"""Handed-off conversations, read from Rasa's SQL tracker store (table `events`).

A conversation is handed off when one of the bot's messages carries the custom payload
{"type": "handoff"} (actions/handoff.py, smalltalk.py, guide_flow.py). The channel is
the `input_channel` of the user's messages. Who took a conversation, and when, is kept
in the catalog database (console_handoff_claims); the tracker store is only read.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Engine, Float, Integer, MetaData, String, Table, Text, create_engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from console.models import HandoffClaimRow
from console.messages import labels, message

LOCAL_TIME = ZoneInfo("Asia/Shanghai")
MAX_LISTED = 500

_metadata = MetaData()
EVENTS = Table(
    "events", _metadata,
    Column("id", Integer, primary_key=True), Column("sender_id", String(255)), Column("type_name", String(255)),
    Column("timestamp", Float), Column("intent_name", String(255)), Column("action_name", String(255)),
    Column("data", Text),
)


class ClaimConflict(Exception):
    def __init__(self, taken_by: str):
        super().__init__(taken_by)
        self.taken_by = taken_by


@dataclass(frozen=True)
class Message:
    sender: str  # "user" | "bot"
    text: str
    at: datetime
    intent: str | None = None
    handoff: str | None = None  # the handoff reason when this bot message handed off


@dataclass
class Handoff:
    sender_id: str
    channel: str | None
    reason: str | None
    handed_off_at: datetime
    last_user_text: str | None
    messages: int
    taken_by: str | None = None
    taken_at: datetime | None = None
    transcript: list[Message] = field(default_factory=list)

    @property
    def channel_label(self) -> str:
        return labels("labels.handoff_channels").get(self.channel or "", self.channel or message("labels.unknown_channel"))

    @property
    def reason_label(self) -> str:
        return labels("labels.handoff_reasons").get(self.reason or "", self.reason or message("labels.handoff"))


def local_time(timestamp: float | None) -> datetime:
    return datetime.fromtimestamp(timestamp or 0, LOCAL_TIME).replace(tzinfo=None)


def _handoff_reason(event: dict) -> str | None:
    custom = (event.get("data") or {}).get("custom")
    if isinstance(custom, dict) and custom.get("type") == "handoff":
        return str(custom.get("reason") or "")
    return None


def _message(type_name: str, timestamp: float, intent: str | None, raw: str) -> Message | None:
    try:
        event = json.loads(raw)
    except (TypeError, ValueError):
        return None
    if type_name == "user":
        return Message("user", event.get("text") or "", local_time(timestamp), intent)
    if type_name == "bot":
        return Message("bot", event.get("text") or "", local_time(timestamp), handoff=_handoff_reason(event))
    return None


def tracker_engine(url: str) -> Engine | None:
    """An engine on the tracker store; None while an embedded SQLite store does not exist yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).exists():
            return None
        return create_engine(url, connect_args={"timeout": 30})
    return create_engine(url, pool_pre_ping=True)


def _local(utc: datetime | None) -> datetime | None:
    return utc.replace(tzinfo=timezone.utc).astimezone(LOCAL_TIME).replace(tzinfo=None) if utc else None


class HandoffReader:
    def __init__(self, tracker_url: str, catalog_sessions: sessionmaker[Session]):
        self._tracker_url = tracker_url
        self._tracker: Engine | None = None
        self._catalog = catalog_sessions

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.dispose()

    def _rows(self, statement):
        if self._tracker is None:
            self._tracker = tracker_engine(self._tracker_url)  # Rasa creates the file on its first conversation
            if self._tracker is None:
                return []
        try:
            with self._tracker.connect() as connection:
                return connection.execute(statement).all()
        except OperationalError:  # the tracker store has no events table yet
            return []

    def _claims(self) -> dict[str, HandoffClaimRow]:
        with self._catalog() as session:
            return {row.sender_id: row for row in session.scalars(select(HandoffClaimRow))}

    def list(self) -> list[Handoff]:
        """Handed-off conversations, newest handoff first, open ones before taken ones."""
        marked = self._rows(
            select(EVENTS.c.sender_id, EVENTS.c.timestamp, EVENTS.c.data)
            .where(EVENTS.c.type_name == "bot", EVENTS.c.data.like('%"handoff"%'))
            .order_by(EVENTS.c.id.desc()).limit(MAX_LISTED * 4))
        latest: dict[str, tuple[float, str]] = {}
        for sender_id, timestamp, raw in marked:
            reason = _handoff_reason(json.loads(raw)) if raw else None
            if reason is not None and sender_id not in latest:
                latest[sender_id] = (timestamp, reason)
        if not latest:
            return []
        senders = list(latest)[:MAX_LISTED]
        summary: dict[str, dict] = {s: {"messages": 0, "channel": None, "last": None} for s in senders}
        for sender_id, raw in self._rows(select(EVENTS.c.sender_id, EVENTS.c.data)
                                         .where(EVENTS.c.type_name == "user", EVENTS.c.sender_id.in_(senders))
                                         .order_by(EVENTS.c.id)):
            event = json.loads(raw)
            entry = summary[sender_id]
            entry["messages"] += 1
            entry["channel"] = event.get("input_channel") or entry["channel"]
            entry["last"] = event.get("text")
        claims = self._claims()
        result = []
        for sender_id in senders:
            timestamp, reason = latest[sender_id]
            claim = claims.get(sender_id)
            result.append(Handoff(sender_id, summary[sender_id]["channel"], reason, local_time(timestamp),
                                  summary[sender_id]["last"], summary[sender_id]["messages"],
                                  claim.taken_by if claim else None, _local(claim.taken_at) if claim else None))
        result.sort(key=lambda h: (h.taken_by is not None, -h.handed_off_at.timestamp()))
        return result

    def conversation(self, sender_id: str) -> Handoff | None:
        """One handed-off conversation with its transcript; None when it never handed off."""
        rows = self._rows(select(EVENTS.c.type_name, EVENTS.c.timestamp, EVENTS.c.intent_name, EVENTS.c.data)
                          .where(EVENTS.c.sender_id == sender_id, EVENTS.c.type_name.in_(("user", "bot")))
                          .order_by(EVENTS.c.id))
        transcript: list[Message] = []
        channel = None
        for type_name, timestamp, intent, raw in rows:
            message = _message(type_name, timestamp, intent, raw)
            if message is None:
                continue
            transcript.append(message)
            if type_name == "user":
                channel = json.loads(raw).get("input_channel") or channel
        handoffs = [m for m in transcript if m.handoff is not None]
        if not handoffs:
            return None
        users = [m for m in transcript if m.sender == "user"]
        claim = self._claims().get(sender_id)
        return Handoff(sender_id, channel, handoffs[-1].handoff, handoffs[-1].at, users[-1].text if users else None,
                       len(users), claim.taken_by if claim else None, _local(claim.taken_at) if claim else None,
                       transcript)

    def take(self, sender_id: str, username: str, now: datetime) -> None:
        """Mark a conversation taken by an agent (`now` in UTC); taking one's own again is harmless."""
        try:
            with self._catalog.begin() as session:
                existing = session.get(HandoffClaimRow, sender_id)
                if existing is not None:
                    if existing.taken_by != username:
                        raise ClaimConflict(existing.taken_by)
                    return
                session.add(HandoffClaimRow(sender_id=sender_id, taken_by=username, taken_at=now))
        except IntegrityError:  # another agent took it at the same moment
            with self._catalog() as session:
                raise ClaimConflict(session.get(HandoffClaimRow, sender_id).taken_by) from None
