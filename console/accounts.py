"""Console accounts and server-side sessions, stored in the catalog database.

Passwords are hashed with argon2id; a session cookie carries a random token and the
table keeps only its SHA-256, so a leaked table cannot be replayed as cookies. The
repository returns plain records and raises typed errors.
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from console.models import ROLES, AccountRow, SessionRow
from console.messages import message

MIN_PASSWORD_LENGTH = 10
USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-@")


class AccountError(ValueError):
    """An account operation was refused; the message is shown to the user (Chinese)."""


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    role: str
    must_change_password: bool
    disabled: bool
    created_at: datetime | None
    last_login_at: datetime | None


@dataclass(frozen=True)
class SessionInfo:
    account: Account
    csrf_token: str
    expires_at: datetime


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def validate_username(username: str) -> str:
    username = username.strip()
    if not 2 <= len(username) <= 64 or not set(username) <= USERNAME_CHARS:
        raise AccountError(message("accounts.bad_username"))
    return username


def validate_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(message("accounts.short_password", length=MIN_PASSWORD_LENGTH))
    return password


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _account(row: AccountRow) -> Account:
    return Account(row.id, row.username, row.role, row.must_change_password, row.disabled, row.created_at,
                   row.last_login_at)


class AccountStore:
    """Accounts and sessions. Every request reads its session from the database (one primary-key
    lookup): an account disabled or a password reset by any process — this console, a second
    one, `./yuban user reset` — ends the account's sessions at once. (An in-memory cache kept
    such sessions alive for up to 20 s in the other processes: issue #16, finding 11.)"""

    def __init__(self, sessions: sessionmaker[Session], hasher: PasswordHasher | None = None):
        self._sessions = sessions
        self._hasher = hasher or PasswordHasher()
        # Verifying against this keeps an unknown user as slow as a wrong password.
        self._dummy_hash = self._hasher.hash(secrets.token_hex(16))

    # ------------------------------------------------------------ accounts
    def create(self, username: str, role: str, password: str, *, must_change: bool = False) -> Account:
        username = validate_username(username)
        if role not in ROLES:
            raise AccountError(message("accounts.bad_role", roles=" / ".join(ROLES), role=repr(role)))
        validate_password(password)
        try:
            with self._sessions.begin() as session:
                row = AccountRow(username=username, role=role, password_hash=self._hasher.hash(password),
                                 must_change_password=must_change, disabled=False)
                session.add(row)
                session.flush()
                return _account(row)
        except IntegrityError:
            raise AccountError(message("accounts.username_taken", username=username)) from None

    def list(self) -> list[Account]:
        with self._sessions() as session:
            return [_account(r) for r in session.scalars(select(AccountRow).order_by(AccountRow.username))]

    def get(self, account_id: int) -> Account | None:
        with self._sessions() as session:
            row = session.get(AccountRow, account_id)
            return _account(row) if row else None

    def has_admin(self) -> bool:
        with self._sessions() as session:
            return session.scalar(select(AccountRow.id).where(AccountRow.role == "admin",
                                                              AccountRow.disabled.is_(False)).limit(1)) is not None

    def authenticate(self, username: str, password: str, now: datetime) -> Account | None:
        """The account when the password is right and the account active; None otherwise."""
        with self._sessions.begin() as session:
            row = session.scalar(select(AccountRow).where(AccountRow.username == username.strip()))
            try:
                self._hasher.verify(row.password_hash if row else self._dummy_hash, password)
            except (VerificationError, InvalidHashError):
                return None
            if row is None or row.disabled:
                return None
            if self._hasher.check_needs_rehash(row.password_hash):
                row.password_hash = self._hasher.hash(password)
            row.last_login_at = now
            return _account(row)

    def set_password(self, account_id: int, password: str, *, must_change: bool = False) -> None:
        validate_password(password)
        with self._sessions.begin() as session:
            row = session.get(AccountRow, account_id)
            if row is None:
                raise AccountError(message("accounts.no_account"))
            if _same(self._hasher, row.password_hash, password):
                raise AccountError(message("accounts.same_password"))
            row.password_hash = self._hasher.hash(password)
            row.must_change_password = must_change
            # Other sessions of the account end with the old password.
            session.execute(delete(SessionRow).where(SessionRow.account_id == account_id))

    def set_disabled(self, account_id: int, disabled: bool) -> None:
        with self._sessions.begin() as session:
            row = session.get(AccountRow, account_id)
            if row is None:
                raise AccountError(message("accounts.no_account"))
            row.disabled = disabled
            if disabled:
                session.execute(delete(SessionRow).where(SessionRow.account_id == account_id))

    # ------------------------------------------------------------ sessions
    def open_session(self, account_id: int, now: datetime, lifetime: timedelta) -> tuple[str, SessionInfo]:
        """A new session: the cookie token (shown once) and the session."""
        token = secrets.token_urlsafe(32)
        csrf = secrets.token_urlsafe(32)
        with self._sessions.begin() as session:
            session.execute(delete(SessionRow).where(SessionRow.expires_at < now))
            session.add(SessionRow(token_hash=token_hash(token), account_id=account_id, csrf_token=csrf,
                                   created_at=now, expires_at=now + lifetime))
            row = session.get(AccountRow, account_id)
            return token, SessionInfo(_account(row), csrf, now + lifetime)

    def session(self, token: str, now: datetime, lifetime: timedelta) -> SessionInfo | None:
        """The live session of a cookie token, extended by `lifetime`; None if unknown or expired."""
        return self._load_session(token_hash(token), now, lifetime)

    def _load_session(self, key: str, now: datetime, lifetime: timedelta) -> SessionInfo | None:
        with self._sessions.begin() as session:
            row = session.get(SessionRow, key)
            if row is None:
                return None
            if row.expires_at <= now:
                session.delete(row)
                return None
            account = session.get(AccountRow, row.account_id)
            if account is None or account.disabled:
                return None
            # Extend at most once a minute: a page's many requests do not each write.
            if row.expires_at - (now + lifetime) < -timedelta(minutes=1):
                row.expires_at = now + lifetime
            return SessionInfo(_account(account), row.csrf_token, row.expires_at)

    def close_session(self, token: str) -> None:
        with self._sessions.begin() as session:
            session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash(token)))


def _same(hasher: PasswordHasher, encoded: str, password: str) -> bool:
    try:
        return hasher.verify(encoded, password)
    except (VerificationError, InvalidHashError):
        return False
