"""The channel's configuration, read once from credentials.yml and validated at start.

Every problem names the key, so a wrong deployment fails at `rasa run`, not on the first
request from the app. Values may use Rasa's `${ENV_VAR}` substitution; secrets belong
in the environment, not in the file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from channels.app.errors import AppConfigError

KNOWN_KEYS = frozenset({
    "hmac_secret", "jwt_secret", "jwt_public_key", "jwt_issuer", "jwt_audience", "jwt_leeway_seconds",
    "redis_url", "max_body_bytes", "timestamp_window_seconds", "bot_timeout_seconds",
})
MIN_SECRET_CHARS = 32  # HMAC-SHA256 keys shorter than the hash are weak (RFC 2104, RFC 7518 §3.2)


@dataclass(frozen=True)
class AppConfig:
    """What the channel needs; see docs/app-channel.md for each key."""

    hmac_secret: str | None = None
    jwt_secret: str | None = None
    jwt_public_key: Any = None  # cryptography RSAPublicKey
    jwt_issuer: str | None = None
    jwt_audience: str | None = None
    jwt_leeway_seconds: float = 30.0
    redis_url: str | None = None
    max_body_bytes: int = 16 * 1024
    timestamp_window_seconds: int = 300
    bot_timeout_seconds: float = 20.0

    @property
    def accepts_signatures(self) -> bool:
        return self.hmac_secret is not None

    @property
    def accepts_tokens(self) -> bool:
        return self.jwt_secret is not None or self.jwt_public_key is not None

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> AppConfig:
        """Validate the credentials block; raise AppConfigError naming the first bad key."""
        creds = dict(credentials or {})
        unknown = sorted(set(creds) - KNOWN_KEYS)
        if unknown:
            raise AppConfigError(unknown[0], f"unknown key (known keys: {', '.join(sorted(KNOWN_KEYS))})")
        hmac_secret = _secret(creds, "hmac_secret")
        jwt_secret = _secret(creds, "jwt_secret")
        public_key = _public_key(creds)
        if not (hmac_secret or jwt_secret or public_key):
            raise AppConfigError("hmac_secret", "at least one of hmac_secret, jwt_secret or jwt_public_key is required")
        issuer = _text(creds, "jwt_issuer")
        audience = _text(creds, "jwt_audience")
        if jwt_secret or public_key:
            if not issuer:
                raise AppConfigError("jwt_issuer", "is required when tokens are accepted (the app backend's `iss`)")
            if not audience:
                raise AppConfigError("jwt_audience", "is required when tokens are accepted (the `aud` the backend "
                                                     "issues for this assistant)")
        return cls(
            hmac_secret=hmac_secret, jwt_secret=jwt_secret, jwt_public_key=public_key, jwt_issuer=issuer,
            jwt_audience=audience,
            jwt_leeway_seconds=_number(creds, "jwt_leeway_seconds", 30, 0, 120),
            redis_url=_redis_url(creds),
            max_body_bytes=int(_number(creds, "max_body_bytes", 16 * 1024, 1024, 1024 * 1024, integer=True)),
            timestamp_window_seconds=int(_number(creds, "timestamp_window_seconds", 300, 30, 900, integer=True)),
            bot_timeout_seconds=_number(creds, "bot_timeout_seconds", 20, 1, 120),
        )


def _text(creds: Mapping[str, Any], key: str) -> str | None:
    value = creds.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise AppConfigError(key, "must be a string")
    return value.strip() or None


def _secret(creds: Mapping[str, Any], key: str) -> str | None:
    secret = _text(creds, key)
    if secret is None:
        return None
    if len(secret) < MIN_SECRET_CHARS:
        raise AppConfigError(key, f"must be at least {MIN_SECRET_CHARS} characters (e.g. `openssl rand -hex 32`)")
    if secret.startswith("${"):
        raise AppConfigError(key, "the environment variable it names is not expanded")
    return secret


def _public_key(creds: Mapping[str, Any]) -> Any:
    """The RSA public key from PEM text or from a PEM file's path."""
    text = _text(creds, "jwt_public_key")
    if text is None:
        return None
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    if not text.startswith("-----BEGIN"):
        path = Path(text)
        if not path.is_file():
            raise AppConfigError("jwt_public_key", f"is neither PEM text nor a readable file: {text!r}")
        text = path.read_text(encoding="ascii", errors="replace")
    try:
        key = load_pem_public_key(text.encode("ascii", errors="replace"))
    except ValueError as error:
        raise AppConfigError("jwt_public_key", f"is not a PEM public key ({error})") from None
    if not isinstance(key, RSAPublicKey):
        raise AppConfigError("jwt_public_key", "must be an RSA public key (tokens are checked with RS256)")
    if key.key_size < 2048:
        raise AppConfigError("jwt_public_key", f"an RSA key of {key.key_size} bits is too short (2048 at least)")
    return key


def _number(creds: Mapping[str, Any], key: str, default: float, low: float, high: float,
            integer: bool = False) -> float:
    value = creds.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise AppConfigError(key, "must be a number")
    try:
        number = float(value)
    except ValueError:
        raise AppConfigError(key, f"must be a number, not {value!r}") from None
    if integer and number != int(number):
        raise AppConfigError(key, f"must be a whole number, not {value!r}")
    if not low <= number <= high:
        raise AppConfigError(key, f"must be between {low:g} and {high:g}, not {value!r}")
    return number


def _redis_url(creds: Mapping[str, Any]) -> str | None:
    url = _text(creds, "redis_url")
    if url and not re.match(r"(redis|rediss|unix)://", url):
        raise AppConfigError("redis_url", "must start with redis://, rediss:// or unix://")
    return url
