"""Identity claims bound to the channel that made them (issue #16, finding 1).

A channel that authenticates its users (the 渝快办 app backend's signature or token)
attaches `metadata.verified_identity` to the user message. Rasa keeps metadata as the
caller sent it, so a claim is only believed when it carries an HMAC over channel,
subject and sender made with a key that the Rasa processes and the action servers share
(`YUBAN_IDENTITY_KEY`; the embedded profile creates var/identity.key once). Standard
library only: the channels (Rasa environment) and the actions (action-server
environment) both import it.

Signing and checking the identity claims channels attach to user messages.

A claim is `{"channel", "subject", "method", "signature"}` in the message metadata
under `verified_identity`. The signature is HMAC-SHA256 over channel, subject and the
Rasa sender id, so a claim cannot be moved to another conversation, another channel or
another person; anything unsigned, mis-signed or malformed is simply not an identity.
"""
from __future__ import annotations

import hashlib
import hmac
import os
from pathlib import Path
from typing import Any, Mapping

from core.keyfile import key_from_file

CLAIM = "verified_identity"
KEY_VARIABLE = "YUBAN_IDENTITY_KEY"
MIN_KEY_CHARS = 32
DEFAULT_KEY_FILE = Path(__file__).resolve().parent.parent / "var" / "identity.key"
_VERSION = "yuban-identity-v1"


class IdentityKeyError(ValueError):
    """The identity key is missing or too short; the message names the variable."""


def load_key(env: Mapping[str, str] | None = None, key_file: Path | None = DEFAULT_KEY_FILE) -> bytes:
    """YUBAN_IDENTITY_KEY, else the embedded profile's key file (created on first use).

    `key_file=None` means the key must come from the environment (production).
    """
    env = os.environ if env is None else env
    key = env.get(KEY_VARIABLE, "").strip()
    if not key:
        if key_file is None:
            raise IdentityKeyError(f"{KEY_VARIABLE} 未设置：Rasa 与动作服务器必须共用同一个密钥"
                                   "（生成：openssl rand -hex 32）")
        key = key_from_file(Path(key_file))
    if len(key) < MIN_KEY_CHARS:
        raise IdentityKeyError(f"{KEY_VARIABLE} 太短：至少 {MIN_KEY_CHARS} 个字符（生成：openssl rand -hex 32）")
    return key.encode()


def _signature(key: bytes, channel: str, subject: str, sender: str) -> str:
    # Unit separators cannot occur in any of the three values (channels refuse control
    # characters in ids), so ("a", "b\x1fc") and ("a\x1fb", "c") never sign alike.
    message = "\x1f".join((_VERSION, channel, subject, sender)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def bind(key: bytes, channel: str, subject: str, sender: str, method: str) -> dict[str, str]:
    """The claim a channel attaches: who the user is, signed for this channel and sender."""
    return {"channel": channel, "subject": subject, "method": method,
            "signature": _signature(key, channel, subject, sender)}


def verify(key: bytes, metadata: Any, channel: str | None, sender: str | None) -> str | None:
    """The subject when `metadata` holds a claim signed for `channel` and `sender`, else None."""
    if not isinstance(metadata, Mapping) or not channel or not sender:
        return None
    claim = metadata.get(CLAIM)
    if not isinstance(claim, Mapping):
        return None
    subject, signature = claim.get("subject"), claim.get("signature")
    if claim.get("channel") != channel or not isinstance(subject, str) or not subject \
            or not isinstance(signature, str):
        return None
    expected = _signature(key, channel, subject, sender)
    return subject if hmac.compare_digest(signature.encode(), expected.encode()) else None
