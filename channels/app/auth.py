"""Who sent a request: the app backend's HMAC signature, a JWT it issued, or both.

Signed requests carry three headers; the signature is hex HMAC-SHA256 with the shared
secret over `timestamp + "\\n" + nonce + "\\n" + body` (the raw body bytes). It is
compared in constant time, the timestamp must lie within the window either side of our
clock, and a nonce is accepted once. Tokens are `Authorization: Bearer <JWT>`, HS256
with the shared secret or RS256 with the backend's public key, with `exp`, `iat`, `iss`,
`aud` and `sub` required and checked; `sub` is the app's verified user id.
When both are present both must pass. Anything else is a 401 and nothing reaches Rasa.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping

from channels.app.config import AppConfig
from channels.app.errors import Unauthenticated
from channels.app.nonces import NonceStore
from channels.messages import say

TIMESTAMP_HEADER = "X-Yuban-Timestamp"
NONCE_HEADER = "X-Yuban-Nonce"
SIGNATURE_HEADER = "X-Yuban-Signature"
NONCE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,64}")
IDENTITY_PATTERN = re.compile(r"[A-Za-z0-9._@:-]{1,128}")
_HEX_SIGNATURE = re.compile(r"[0-9a-fA-F]{64}")
_BEARER = re.compile(r"Bearer +([A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]+\.[A-Za-z0-9_=-]*)", re.IGNORECASE)
MAX_TOKEN_CHARS = 4096


@dataclass(frozen=True)
class Caller:
    """How a request proved it comes from the app backend, and the user it vouches for."""

    signed: bool
    token_subject: str | None = None  # `sub` of a valid JWT

    @property
    def method(self) -> str:
        return "+".join(m for m, used in (("signature", self.signed), ("token", self.token_subject)) if used)


def signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The hex HMAC-SHA256 the app backend sends in X-Yuban-Signature."""
    message = timestamp.encode("ascii") + b"\n" + nonce.encode("ascii") + b"\n" + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


class Authenticator:
    """Checks the credentials of one request; raises Unauthenticated with a precise code."""

    def __init__(self, config: AppConfig, nonces: NonceStore, clock: Callable[[], float] = time.time) -> None:
        self.config = config
        self.nonces = nonces
        self._clock = clock

    async def authenticate(self, headers: Mapping[str, str], body: bytes) -> Caller:
        authorization = headers.get("Authorization")
        signed = any(headers.get(name) is not None for name in (TIMESTAMP_HEADER, NONCE_HEADER, SIGNATURE_HEADER))
        if authorization is None and not signed:
            raise Unauthenticated("missing_credentials", say("app.missing_credentials"))
        subject = self.check_token(authorization) if authorization is not None else None
        if signed:
            await self.check_signature(headers, body)
        return Caller(signed=signed, token_subject=subject)

    async def check_signature(self, headers: Mapping[str, str], body: bytes) -> None:
        if not self.config.hmac_secret:
            raise Unauthenticated("signature_not_accepted", say("app.signature_not_accepted"))
        timestamp = headers.get(TIMESTAMP_HEADER) or ""
        nonce = headers.get(NONCE_HEADER) or ""
        given = headers.get(SIGNATURE_HEADER) or ""
        if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
            raise Unauthenticated("bad_timestamp", say("app.bad_timestamp"))
        if not NONCE_PATTERN.fullmatch(nonce):
            raise Unauthenticated("bad_nonce", say("app.bad_nonce"))
        if not _HEX_SIGNATURE.fullmatch(given):
            raise Unauthenticated("bad_signature", say("app.bad_signature"))
        skew = self._clock() - int(timestamp)
        window = self.config.timestamp_window_seconds
        if skew > window:
            raise Unauthenticated("stale_timestamp", say("app.stale_timestamp"))
        if skew < -window:
            raise Unauthenticated("future_timestamp", say("app.future_timestamp"))
        expected = signature(self.config.hmac_secret, timestamp, nonce, body)
        if not hmac.compare_digest(expected.encode("ascii"), given.lower().encode("ascii")):
            raise Unauthenticated("bad_signature", say("app.bad_signature"))
        # Only an authentic request uses up its nonce: others cannot burn nonces.
        if not await self.nonces.first_use(nonce, 2 * window):
            raise Unauthenticated("replayed_nonce", say("app.replayed_nonce"))

    def check_token(self, authorization: str) -> str:
        """The verified `sub` of a Bearer JWT."""
        import jwt

        if not self.config.accepts_tokens:
            raise Unauthenticated("token_not_accepted", say("app.token_not_accepted"))
        match = _BEARER.fullmatch(authorization.strip())
        if match is None or len(match.group(1)) > MAX_TOKEN_CHARS:
            raise Unauthenticated("bad_token", say("app.bad_token_header"))
        token = match.group(1)
        try:
            algorithm = jwt.get_unverified_header(token).get("alg")
        except jwt.PyJWTError:
            raise Unauthenticated("bad_token", say("app.bad_token")) from None
        key = self._key_for(algorithm)
        try:
            claims = jwt.decode(
                token, key, algorithms=[algorithm], audience=self.config.jwt_audience,
                issuer=self.config.jwt_issuer, leeway=self.config.jwt_leeway_seconds,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]})
        except jwt.ExpiredSignatureError:
            raise Unauthenticated("expired_token", say("app.expired_token")) from None
        except jwt.InvalidAudienceError:
            raise Unauthenticated("wrong_audience", say("app.wrong_audience")) from None
        except jwt.InvalidIssuerError:
            raise Unauthenticated("wrong_issuer", say("app.wrong_issuer")) from None
        except jwt.ImmatureSignatureError:
            raise Unauthenticated("token_not_yet_valid", say("app.token_not_yet_valid")) from None
        except jwt.PyJWTError:  # any other invalid token (signature, claims, key)
            raise Unauthenticated("bad_token", say("app.bad_token")) from None
        subject = claims.get("sub")
        if not isinstance(subject, str) or not IDENTITY_PATTERN.fullmatch(subject):
            raise Unauthenticated("bad_token", say("app.bad_user_claim"))
        return subject

    def _key_for(self, algorithm: Any) -> Any:
        if algorithm == "HS256" and self.config.jwt_secret:
            return self.config.jwt_secret
        if algorithm == "RS256" and self.config.jwt_public_key is not None:
            return self.config.jwt_public_key
        raise Unauthenticated("bad_token", say("app.bad_algorithm"))
