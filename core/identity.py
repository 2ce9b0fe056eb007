"""The one salted hash of a conversation's sender id.

Logs, the feedback table, the dashboard's tables and the verification lock all need to
tell conversations apart without keeping the id (a WeChat openid, an app user id). An
unsalted SHA-256 of an id can be reversed by hashing a list of known ids, so every store
uses this one function, salted with YUBAN_HASH_SALT (security issue #16, finding 12).
"""
from __future__ import annotations

import hashlib
import os

DEFAULT_SALT = "yuban"  # embedded profile only; production requires YUBAN_HASH_SALT (tooling/prod/settings.py)


def salted_hash(kind: str, value: str) -> str:
    """SHA-256 hex of `salt|kind|value`: `kind` keeps hashes of different things apart."""
    salt = os.environ.get("YUBAN_HASH_SALT") or DEFAULT_SALT
    return hashlib.sha256(f"{salt}|{kind}|{value}".encode()).hexdigest()


def sender_hash(sender_id: str) -> str:
    """The sender as a salted hash (64 hex characters): enough to follow a conversation, not to find a person."""
    return salted_hash("sender", sender_id)
