"""The app backend's side of the app channel in tests: signed requests, JWTs, a served
channel with a fake bot (reusing the WeChat tests' server harness), and the OpenAPI
document as JSON Schema for checking what the channel answers."""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

import aiohttp

from channels.app.auth import signature

ROOT = Path(__file__).resolve().parents[2]
API_DOCUMENT = ROOT / "docs" / "app-api.yaml"
WEBHOOK = "/webhooks/app/webhook"
HMAC_SECRET = "app-test-hmac-secret-0123456789abcdef"
JWT_SECRET = "app-test-jwt-secret-0123456789abcdefgh"
ISSUER = "https://app-backend.test/"
AUDIENCE = "yuban-assistant"


def nonce() -> str:
    return uuid.uuid4().hex


def signed_headers(body: bytes, *, secret: str = HMAC_SECRET, timestamp: int | str | None = None,
                   nonce_value: str | None = None, clock: Callable[[], float] = time.time) -> dict[str, str]:
    stamp = str(int(clock()) if timestamp is None else timestamp)
    used = nonce_value or nonce()
    return {"X-Yuban-Timestamp": stamp, "X-Yuban-Nonce": used,
            "X-Yuban-Signature": signature(secret, stamp, used, body), "Content-Type": "application/json"}


def token(subject: str = "demo-app-user-001", *, key: Any = JWT_SECRET, algorithm: str = "HS256",
          lifetime: float = 600, now: float | None = None, **claims: Any) -> str:
    import jwt

    issued = time.time() if now is None else now
    payload = {"sub": subject, "iss": ISSUER, "aud": AUDIENCE, "iat": int(issued), "exp": int(issued + lifetime)}
    payload.update(claims)
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, key, algorithm=algorithm)


def body_of(**fields: Any) -> bytes:
    data = {"conversation_id": "conv-0001", "message": "开公司要什么材料", **fields}
    return json.dumps({k: v for k, v in data.items() if v is not None}, ensure_ascii=False).encode("utf-8")


def credentials(**extra: Any) -> dict[str, Any]:
    creds: dict[str, Any] = {"hmac_secret": HMAC_SECRET, "jwt_secret": JWT_SECRET, "jwt_issuer": ISSUER,
                             "jwt_audience": AUDIENCE}
    creds.update(extra)
    return {k: v for k, v in creds.items() if v is not None}


@dataclass
class Reply:
    status: int
    json: Any
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def code(self) -> str | None:
        return (self.json or {}).get("error", {}).get("code") if isinstance(self.json, dict) else None


@dataclass
class AppHarness:
    url: str
    channel: Any
    bot: Any
    http: aiohttp.ClientSession

    async def raw(self, body: bytes, headers: dict[str, str]) -> Reply:
        async with self.http.post(self.url + WEBHOOK, data=body, headers=headers) as response:
            text = await response.text()
            try:
                data = json.loads(text)
            except ValueError:
                data = text
            return Reply(response.status, data, dict(response.headers))

    async def signed(self, body: bytes | None = None, **signing: Any) -> Reply:
        body = body_of() if body is None else body
        return await self.raw(body, signed_headers(body, **signing))

    async def bearer(self, jwt_token: str, body: bytes | None = None) -> Reply:
        body = body_of() if body is None else body
        return await self.raw(body, {"Authorization": f"Bearer {jwt_token}", "Content-Type": "application/json"})


@lru_cache(maxsize=1)
def api_document() -> dict[str, Any]:
    import yaml

    return yaml.safe_load(API_DOCUMENT.read_text(encoding="utf-8"))


def schema_errors(instance: Any, component: str) -> list[str]:
    """Where `instance` breaks the named schema of docs/app-api.yaml (JSON Schema 2020-12)."""
    from jsonschema import Draft202012Validator, RefResolver

    document = api_document()
    validator = Draft202012Validator({"$ref": f"#/components/schemas/{component}"},
                                     resolver=RefResolver.from_schema(document))
    return [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(instance)]
