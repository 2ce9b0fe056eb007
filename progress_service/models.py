"""The progress database: applications with their timeline, and a little metadata.

The timeline is five nullable timestamps rather than an event table because the
stages are fixed (申请 → 受理 → 审查 → 决定 → 制证/送达) and a stage is reached
once; the current stage is the last one with a time. Personal data is stored in
full — the platform has it — and masked only on the way out (see masking.py).
Times are naive local times of Asia/Shanghai (+08:00), as the platform shows them.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Index, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class ApplicationRow(Base):
    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_identity", "identity_channel", "identity_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(17), unique=True, index=True)
    item_code: Mapped[str] = mapped_column(String(32))
    item_name: Mapped[str] = mapped_column(String(200))
    body_name: Mapped[str] = mapped_column(String(200))
    body_phone: Mapped[str] = mapped_column(String(40))
    supervision_phone: Mapped[str] = mapped_column(String(40))
    region: Mapped[str] = mapped_column(String(40))
    promised_limit: Mapped[str] = mapped_column(String(100))
    applicant_name: Mapped[str] = mapped_column(String(50))
    applicant_phone: Mapped[str] = mapped_column(String(20))
    # The identity a channel has verified (e.g. "app" + 渝快办 user id), if the
    # application is bound to one; lets a verified user list theirs.
    identity_channel: Mapped[str | None] = mapped_column(String(20), default=None)
    identity_subject: Mapped[str | None] = mapped_column(String(100), default=None)
    submitted_at: Mapped[datetime] = mapped_column(DateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    review_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime, default=None)
    # The promised completion date; None until the application is accepted (the
    # promised time limit counts from acceptance).
    promised_date: Mapped[date | None] = mapped_column(Date, default=None)


class MetaRow(Base):
    """Key/value facts about the database, e.g. the reference date of the demo seed."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))


class StageChangeRow(Base):
    """One move of an application to its next stage: the change feed (GET /v1/changes).

    Written in the same transaction as the application's new timestamp. The id is the
    feed's position: AUTOINCREMENT so SQLite never reuses one, and the service writes
    changes from one process, so ids are committed in order.
    """

    __tablename__ = "stage_changes"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(17), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime)  # local time of the stage, like the timeline
