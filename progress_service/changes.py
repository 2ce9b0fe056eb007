"""The change feed: moving a demonstration application one stage, and reading the moves.

`advance` is what `./yuban progress advance NUMBER` does: the next stage gets the current
time (and acceptance sets the promised date), and a `StageChangeRow` is written in the
same transaction, so the feed never misses a move nor reports one that did not happen.
`read` answers `GET /v1/changes`: the moves after a cursor, oldest first. The cursor is
opaque to clients (docs/progress-api.yaml) and monotonic: a later page never repeats an
earlier change.
"""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from progress_service.models import ApplicationRow, StageChangeRow
from progress_service.seed import add_working_days
from progress_service.views import STAGES, iso

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
_CURSOR = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_LIMIT_DAYS = re.compile(r"(\d+)\s*个?工作日")


class CursorError(ValueError):
    """The `since` value is not a cursor this service issued."""


class AdvanceError(ValueError):
    """The application cannot move: unknown, or already completed (`code` says which)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"changes:{position}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The feed position of `cursor`; no cursor is the feed's beginning."""
    if not cursor:
        return 0
    if not _CURSOR.match(cursor):
        raise CursorError(cursor)
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise CursorError(cursor) from None
    kind, _, position = text.partition(":")
    if kind != "changes" or not position.isdigit():
        raise CursorError(cursor)
    return int(position)


@dataclass(frozen=True)
class Advanced:
    number: str
    stage: str
    stage_name: str
    at: datetime


def advance(engine: Engine, number: str, now: datetime) -> Advanced:
    """Move application `number` to its next stage at `now` and record the change."""
    attributes = [attr for _, _, attr in STAGES]
    with Session(engine) as session, session.begin():
        row = session.scalar(select(ApplicationRow).where(ApplicationRow.number == number).with_for_update())
        if row is None:
            raise AdvanceError("not_found")
        reached = [i for i, attr in enumerate(attributes) if getattr(row, attr) is not None]
        stage = (reached[-1] if reached else -1) + 1
        if stage >= len(STAGES):
            raise AdvanceError("completed")
        previous = getattr(row, attributes[stage - 1]) if stage > 0 else None
        at = max(now, previous) if previous else now  # a timeline never goes backwards
        setattr(row, attributes[stage], at)
        if STAGES[stage][0] == "accepted" and row.promised_date is None:
            match = _LIMIT_DAYS.search(row.promised_limit or "")
            if match:
                row.promised_date = add_working_days(at.date(), int(match.group(1)))
        session.add(StageChangeRow(number=number, stage=STAGES[stage][0], at=at))
    return Advanced(number, STAGES[stage][0], STAGES[stage][1], at)


def read(engine: Engine, since: int, limit: int) -> tuple[list[dict], int, bool]:
    """(changes after position `since` as the API shows them, the last position, more left)."""
    names = {key: name for key, name, _ in STAGES}
    with Session(engine) as session:
        rows = session.execute(
            select(StageChangeRow, ApplicationRow.item_code, ApplicationRow.item_name)
            .join(ApplicationRow, ApplicationRow.number == StageChangeRow.number)
            .where(StageChangeRow.id > since).order_by(StageChangeRow.id).limit(limit + 1)
        ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    changes = [{
        "number": change.number, "item": {"code": code, "name": name},
        "stage": change.stage, "stage_name": names[change.stage],
        "status": "completed" if change.stage == STAGES[-1][0] else "in_progress",
        "at": iso(change.at),
    } for change, code, name in rows]
    return changes, (rows[-1][0].id if rows else since), more


def last_position(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.max(StageChangeRow.id))) or 0)
