"""Reading applications: engine setup and query functions that return plain data.

Handlers never see ORM rows: `StoredApplication` is a frozen copy, so nothing can
lazy-load after the session closed, and the place where unmasked personal data
lives is a single, named type that only `views.public_view` turns into output.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from progress_service.models import ApplicationRow, Base, MetaRow

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = ROOT / "var" / "progress.db"
URL_ENV = "YUBAN_PROGRESS_DATABASE_URL"


def database_url() -> str:
    return os.environ.get(URL_ENV) or f"sqlite:///{DEFAULT_SQLITE}"


def make_engine(url: str | None = None) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created, WAL lets seed and serve overlap."""
    url = url or database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        from core.private_files import private_sqlite

        private_sqlite(parsed.database)  # names and phones: var/ 0700, the file 0600
    engine = create_engine(url, connect_args={"timeout": 10, "check_same_thread": False})
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection, _record) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def create_schema(engine: Engine) -> None:
    """Create the tables if missing; the schema is small and owned by this service alone."""
    Base.metadata.create_all(engine)


@dataclass(frozen=True)
class StoredApplication:
    """One application as stored, personal data unmasked: never serialise this directly."""

    number: str
    item_code: str
    item_name: str
    body_name: str
    body_phone: str
    supervision_phone: str
    region: str
    promised_limit: str
    applicant_name: str
    applicant_phone: str
    submitted_at: datetime
    accepted_at: datetime | None
    review_at: datetime | None
    decided_at: datetime | None
    delivered_at: datetime | None
    promised_date: date | None

    @property
    def phone_last4(self) -> str:
        return self.applicant_phone[-4:]


def _stored(row: ApplicationRow) -> StoredApplication:
    return StoredApplication(
        number=row.number, item_code=row.item_code, item_name=row.item_name, body_name=row.body_name,
        body_phone=row.body_phone, supervision_phone=row.supervision_phone, region=row.region,
        promised_limit=row.promised_limit, applicant_name=row.applicant_name, applicant_phone=row.applicant_phone,
        submitted_at=row.submitted_at, accepted_at=row.accepted_at, review_at=row.review_at,
        decided_at=row.decided_at, delivered_at=row.delivered_at, promised_date=row.promised_date,
    )


class ProgressRepository:
    """Queries over the progress database; synchronous, called from a worker thread."""

    def __init__(self, sessions: sessionmaker[Session]):
        self._sessions = sessions

    @classmethod
    def for_engine(cls, engine: Engine) -> ProgressRepository:
        return cls(sessionmaker(engine, expire_on_commit=False))

    def get(self, number: str) -> StoredApplication | None:
        with self._sessions() as session:
            row = session.scalar(select(ApplicationRow).where(ApplicationRow.number == number))
            return _stored(row) if row else None

    def for_identity(self, channel: str, subject: str) -> list[StoredApplication]:
        """Applications bound to a verified identity, newest first (stable order by number)."""
        with self._sessions() as session:
            rows = session.scalars(
                select(ApplicationRow)
                .where(ApplicationRow.identity_channel == channel, ApplicationRow.identity_subject == subject)
                .order_by(ApplicationRow.submitted_at.desc(), ApplicationRow.number)
            )
            return [_stored(row) for row in rows]

    def listing(self) -> list[tuple[StoredApplication, tuple[str, str] | None]]:
        """Every application with the identity it is bound to, oldest first (the demo listing)."""
        with self._sessions() as session:
            rows = session.scalars(select(ApplicationRow).order_by(ApplicationRow.submitted_at, ApplicationRow.number))
            return [(_stored(row), (row.identity_channel, row.identity_subject) if row.identity_subject else None)
                    for row in rows]

    def count(self) -> int:
        with self._sessions() as session:
            return int(session.scalar(select(func.count()).select_from(ApplicationRow)) or 0)

    def meta(self, key: str) -> str | None:
        with self._sessions() as session:
            row = session.get(MetaRow, key)
            return row.value if row else None

    def ping(self) -> None:
        """Touch the database so /health reports a broken one."""
        with self._sessions() as session:
            session.execute(select(1))
