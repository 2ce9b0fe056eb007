"""One salted sender hash for the whole project (security issue #16, finding 12)."""
from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import create_engine, select

from actions.feedback_store import FeedbackStore
from knowledge.db import session_factory
from knowledge.models import Base, FeedbackRow

SENDER = "oWechatOpenId-feedback-7"


def _stored_hash(tmp_path) -> str:
    engine = create_engine(f"sqlite:///{tmp_path / 'feedback.db'}")
    Base.metadata.create_all(engine)
    FeedbackStore(session_factory(engine)).record(SENDER, "item-1", "materials", useful=True)
    with session_factory(engine)() as session:
        return session.scalars(select(FeedbackRow.sender_hash)).one()


def test_feedback_store_does_not_keep_an_unsalted_hash(tmp_path, monkeypatch):
    monkeypatch.setenv("YUBAN_HASH_SALT", "a-salt-only-this-deployment-knows")
    stored = _stored_hash(tmp_path)
    # An unsalted SHA-256 of an openid can be reversed by hashing a list of known ids.
    assert stored != hashlib.sha256(SENDER.encode()).hexdigest()
    assert SENDER not in stored


def test_every_store_uses_the_one_sender_hash(tmp_path, monkeypatch):
    from console.analytics import events
    from core.identity import sender_hash

    monkeypatch.setenv("YUBAN_HASH_SALT", "salt-one")
    first = sender_hash(SENDER)
    assert _stored_hash(tmp_path) == first
    assert events.sender_hash is sender_hash
    monkeypatch.setenv("YUBAN_HASH_SALT", "salt-two")
    assert sender_hash(SENDER) != first  # the salt is really part of it


@pytest.mark.parametrize("value", ["", "u1", "渝快办用户"])
def test_log_hash_is_the_short_form_of_the_sender_hash(value, monkeypatch):
    from core import logs
    from core.identity import sender_hash

    monkeypatch.setenv("YUBAN_HASH_SALT", "salt-three")
    assert logs.hash_id(value) == (sender_hash(value)[:16] if value else None)


def test_the_verification_lock_keys_a_sender_by_the_sender_hash(monkeypatch):
    from actions.verification_lock import _hash
    from core.identity import sender_hash

    monkeypatch.setenv("YUBAN_HASH_SALT", "salt-four")
    assert _hash("sender", SENDER) == sender_hash(SENDER)
