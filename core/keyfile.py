"""A secret kept in a file that is created once (mode 0600) and then only read.

The embedded profile runs every process on one machine, so a key file under var/ gives
them one shared key without configuration. `O_CREAT | O_EXCL` makes the first writer win
when two processes start together; the others read what it wrote. Used for the seal key
(bot/ops/sealing.py) and the identity key (core/verified_identity.py).
"""
from __future__ import annotations

import base64
import os
import secrets
import time
from pathlib import Path
from typing import Callable


def random_key() -> str:
    """32 random bytes, url-safe base64 (the shape of a Fernet key, usable as an HMAC key)."""
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def key_from_file(path: Path, generate: Callable[[], str] = random_key) -> str:
    """The key in `path`, written there first (by exactly one process) when missing."""
    if not path.parent.exists():  # var/ is private (0700); the key file itself is created 0600 below
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.chmod(path.parent, 0o700)  # mkdir's mode is reduced by the umask
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_written(path)
    with os.fdopen(descriptor, "w") as file:
        file.write(generate())
    return path.read_text().strip()


def _read_written(path: Path, attempts: int = 50) -> str:
    """The key another process is writing: wait briefly instead of reading an empty file."""
    for _ in range(attempts):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)
    raise OSError(f"key file {path} is empty")
