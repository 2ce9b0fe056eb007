"""Sealing of values that must be stored but not readable: Fernet (AES-128-CBC + HMAC-SHA256).

The progress form keeps the application number in a slot across turns; the tracker store
seals it on the way into the database and unseals it on the way out (bot.ops.privacy).
The progress reminders seal the application number and the channel address they store
(reminders/store.py). Both environments have `cryptography`, so this lives in core.
The key comes from YUBAN_SEAL_KEY (a Fernet key: 32 bytes, url-safe base64); without it,
the embedded profile uses a key file created on first use (var/seal.key, mode 0600).
Every Rasa process, action server and notifier of one deployment must share the key.
"""
from __future__ import annotations

import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from core.keyfile import key_from_file

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_KEY_FILE = ROOT / "var" / "seal.key"  # the embedded profile's key (bot/ops/tracker_store.py uses the same)
PREFIX = "sealed:v1:"


class SealError(ValueError):
    """The seal key is missing or malformed, or a sealed value cannot be opened."""


def load_key(key: str | None = None, key_file: str | Path | None = None) -> bytes:
    """The key from the argument, YUBAN_SEAL_KEY or the key file (created when missing)."""
    key = key or os.environ.get("YUBAN_SEAL_KEY")
    if not key:
        if key_file is None:
            raise SealError("YUBAN_SEAL_KEY 未设置：生产环境必须为所有 Rasa 进程配置同一个密钥"
                            "（生成：python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'）")
        key = _key_from_file(Path(key_file))
    try:
        Fernet(key.encode() if isinstance(key, str) else key)
    except (ValueError, TypeError):
        raise SealError("YUBAN_SEAL_KEY 格式不对：应为 Fernet 密钥（32 字节，URL 安全的 base64，44 个字符）") from None
    return key.encode() if isinstance(key, str) else key


def _key_from_file(path: Path) -> str:
    return key_from_file(path, lambda: Fernet.generate_key().decode())  # shared with the identity key


class Sealer:
    def __init__(self, key: bytes):
        self._fernet = Fernet(key)

    def seal(self, value: str) -> str:
        return PREFIX + self._fernet.encrypt(value.encode()).decode()

    def unseal(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed[len(PREFIX):].encode()).decode()
        except InvalidToken:
            raise SealError("sealed value cannot be opened with this key") from None

    @staticmethod
    def is_sealed(value: object) -> bool:
        return isinstance(value, str) and value.startswith(PREFIX)
