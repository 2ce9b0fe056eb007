"""Every way a request is refused by the app channel (through the real Sanic app), and
that a refused request never reaches Rasa; plus what an accepted one carries to Rasa."""
from __future__ import annotations

import json
import time

import pytest

from channels.app.nonces import MemoryNonces
from core.verified_identity import verify
from tests.channels.app_fixtures import IDENTITY_KEY
from tests.channels.app_support import (AUDIENCE, HMAC_SECRET, JWT_SECRET, body_of, nonce, schema_errors,
                                        signed_headers, token)


def refused(reply, status: int, code: str) -> None:
    assert (reply.status, reply.code) == (status, code), reply
    assert not schema_errors(reply.json, "Error")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in reply.json["error"]["message"])  # a Chinese message


async def test_signed_request_reaches_the_bot_and_gets_typed_messages(start_app):
    app = await start_app()
    reply = await app.signed(body_of(message="开公司要什么材料", message_id="m-1"))
    assert reply.status == 200, reply
    assert reply.json == {"conversation_id": "conv-0001", "user_verified": False,
                          "messages": [{"type": "text", "text": "收到：开公司要什么材料"}]}
    [message] = app.bot.calls
    assert (message.text, message.sender_id, message.input_channel, message.message_id) == \
        ("开公司要什么材料", "app-conversation:conv-0001", "app", "m-1")
    assert message.metadata == {"app": {"conversation_id": "conv-0001"}}  # no identity: nobody vouched


async def test_signed_user_id_is_the_verified_identity(start_app):
    app = await start_app()
    reply = await app.signed(body_of(user_id="demo-app-user-001"))
    assert reply.status == 200 and reply.json["user_verified"] is True
    [message] = app.bot.calls
    assert message.sender_id == "app:demo-app-user-001"
    claim = message.metadata["verified_identity"]
    assert {k: claim[k] for k in ("channel", "subject", "method")} == {
        "channel": "app", "subject": "demo-app-user-001", "method": "signature"}
    # bound to this channel and this sender: the action server can check it, nobody can move it
    assert verify(IDENTITY_KEY, message.metadata, "app", message.sender_id) == "demo-app-user-001"
    assert verify(IDENTITY_KEY, message.metadata, "app", "app:demo-app-user-002") is None
    assert verify(IDENTITY_KEY, message.metadata, "rest", message.sender_id) is None


async def test_token_subject_is_the_verified_identity(start_app):
    app = await start_app()
    reply = await app.bearer(token("demo-app-user-002"))
    assert reply.status == 200 and reply.json["user_verified"] is True
    [message] = app.bot.calls
    assert message.sender_id == "app:demo-app-user-002"
    assert message.metadata["verified_identity"]["subject"] == "demo-app-user-002"
    assert message.metadata["verified_identity"]["method"] == "token"


async def test_signature_and_token_together_must_both_pass(start_app):
    app = await start_app()
    body = body_of(user_id="demo-app-user-001")
    headers = dict(signed_headers(body), Authorization=f"Bearer {token('demo-app-user-001')}")
    ok = await app.raw(body, headers)
    assert ok.status == 200 and app.bot.calls[-1].metadata["verified_identity"]["method"] == "signature+token"
    bad = dict(signed_headers(body), Authorization=f"Bearer {token('demo-app-user-001', lifetime=-3600)}")
    refused(await app.raw(body, bad), 401, "expired_token")
    assert len(app.bot.calls) == 1


async def test_token_user_contradicting_the_body_is_forbidden(start_app):
    app = await start_app()
    refused(await app.bearer(token("demo-app-user-001"), body_of(user_id="demo-app-user-002")), 403, "user_mismatch")
    assert app.bot.calls == []


async def test_missing_credentials(start_app):
    app = await start_app()
    refused(await app.raw(body_of(), {"Content-Type": "application/json"}), 401, "missing_credentials")
    assert app.bot.calls == []


@pytest.mark.parametrize("tamper", ["body", "secret", "signature", "nonce", "timestamp"])
async def test_bad_signature(start_app, tamper):
    app = await start_app()
    body = body_of()
    secret = "another-secret-of-at-least-32-chars!!" if tamper == "secret" else HMAC_SECRET
    headers = signed_headers(body, secret=secret)
    if tamper == "body":
        body = body_of(message="开饭店要什么材料")
    elif tamper == "signature":
        headers["X-Yuban-Signature"] = ("0" if headers["X-Yuban-Signature"][0] != "0" else "1") + \
            headers["X-Yuban-Signature"][1:]
    elif tamper == "nonce":
        headers["X-Yuban-Nonce"] = nonce()
    elif tamper == "timestamp":
        headers["X-Yuban-Timestamp"] = str(int(headers["X-Yuban-Timestamp"]) - 1)
    refused(await app.raw(body, headers), 401, "bad_signature")
    assert app.bot.calls == []


@pytest.mark.parametrize("header, value, code", [
    ("X-Yuban-Signature", "not-hex", "bad_signature"),
    ("X-Yuban-Signature", "", "bad_signature"),
    ("X-Yuban-Timestamp", "17e8", "bad_timestamp"),
    ("X-Yuban-Timestamp", "-5", "bad_timestamp"),
    ("X-Yuban-Nonce", "short", "bad_nonce"),
    ("X-Yuban-Nonce", "含中文的随机数含中文的随机数含中文的随机数", "bad_nonce"),
])
async def test_malformed_signature_headers(start_app, header, value, code):
    app = await start_app()
    body = body_of()
    headers = signed_headers(body)
    headers[header] = value
    refused(await app.raw(body, headers), 401, code)
    assert app.bot.calls == []


async def test_replayed_request_is_refused_even_by_another_worker_sharing_the_store(start_app):
    shared = MemoryNonces()
    first, second = await start_app(nonces=shared), await start_app(nonces=shared)
    body = body_of()
    headers = signed_headers(body)
    assert (await first.raw(body, headers)).status == 200
    refused(await first.raw(body, headers), 401, "replayed_nonce")
    refused(await second.raw(body, headers), 401, "replayed_nonce")
    assert len(first.bot.calls) == 1 and second.bot.calls == []


async def test_an_unauthentic_request_does_not_use_up_its_nonce(start_app):
    app = await start_app()
    body = body_of()
    headers = signed_headers(body)
    forged = dict(headers, **{"X-Yuban-Signature": "f" * 64})
    refused(await app.raw(body, forged), 401, "bad_signature")
    assert (await app.raw(body, headers)).status == 200


async def test_stale_and_future_timestamps(start_app):
    app = await start_app()
    now = int(time.time())
    refused(await app.signed(timestamp=now - 301), 401, "stale_timestamp")
    refused(await app.signed(timestamp=now + 301), 401, "future_timestamp")
    assert app.bot.calls == []
    assert (await app.signed(timestamp=now - 290)).status == 200
    assert (await app.signed(timestamp=now + 290)).status == 200


async def test_timestamp_window_follows_the_configuration(start_app):
    app = await start_app(timestamp_window_seconds=60)
    refused(await app.signed(timestamp=int(time.time()) - 90), 401, "stale_timestamp")


async def test_oversize_body_is_refused_whether_declared_or_streamed(start_app):
    app = await start_app(max_body_bytes=2048)
    big = body_of(message="材" * 900)  # 2.7 KB of UTF-8
    refused(await app.signed(big), 413, "body_too_large")

    async def chunks():  # no Content-Length: the channel must count while it reads
        for start in range(0, len(big), 512):
            yield big[start:start + 512]

    async with app.http.post(app.url + "/webhooks/app/webhook", data=chunks(), headers=signed_headers(big)) as response:
        assert response.status == 413 and (await response.json())["error"]["code"] == "body_too_large"
    assert app.bot.calls == []


@pytest.mark.parametrize("body", [b"{", b"not json", b"\xff\xfe{}", b'{"conversation_id": NaN}', b"[" * 5000,
                                  b'{"conversation_id": "a", "conversation_id": "b", "message": "x"}'])
async def test_malformed_json(start_app, body):
    app = await start_app()
    refused(await app.signed(body), 400, "malformed_json")
    assert app.bot.calls == []


@pytest.mark.parametrize("data, code, field", [
    ({"conversation_id": "c1", "message": "你好", "metadata": {"verified_identity": {"subject": "x"}}},
     "unknown_field", "metadata"),
    ({"conversation_id": "c1", "message": "你好", "sender": "someone"}, "unknown_field", "sender"),
    ({"message": "你好"}, "missing_field", "conversation_id"),
    ({"conversation_id": "c1"}, "missing_field", "message"),
    ({"conversation_id": "c1", "message": "   "}, "invalid_field", "message"),
    ({"conversation_id": "c1", "message": ""}, "invalid_field", "message"),
    ({"conversation_id": "c1", "message": "x" * 1001}, "invalid_field", "message"),
    ({"conversation_id": "c1", "message": 42}, "invalid_field", "message"),
    ({"conversation_id": "c 1", "message": "你好"}, "invalid_field", "conversation_id"),
    ({"conversation_id": "c1", "message": "你好", "user_id": None}, "invalid_field", "user_id"),
    ({"conversation_id": "c1", "message": "你好", "user_id": "用户"}, "invalid_field", "user_id"),
])
async def test_invalid_fields(start_app, data, code, field):
    app = await start_app()
    reply = await app.signed(json.dumps(data, ensure_ascii=False).encode("utf-8"))
    refused(reply, 400, code)
    assert reply.json["error"]["field"] == field
    assert app.bot.calls == []


async def test_lone_surrogates_and_non_objects_are_refused(start_app):
    app = await start_app()
    refused(await app.signed(b'{"conversation_id": "c1", "message": "\\ud800"}'), 400, "invalid_field")
    refused(await app.signed(b'["conversation_id", "message"]'), 400, "invalid_request")
    assert app.bot.calls == []


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded",
                                          "application/json; charset=gbk"])
async def test_wrong_content_type(start_app, content_type):
    app = await start_app()
    body = body_of()
    headers = signed_headers(body)
    headers.pop("Content-Type")
    if content_type:
        headers["Content-Type"] = content_type
    refused(await app.raw(body, headers), 415, "unsupported_media_type")
    assert app.bot.calls == []


async def test_content_type_with_utf8_charset_is_accepted(start_app):
    app = await start_app()
    body = body_of()
    headers = dict(signed_headers(body), **{"Content-Type": "application/json; charset=UTF-8"})
    assert (await app.raw(body, headers)).status == 200


@pytest.mark.parametrize("make, code", [
    (lambda: token(lifetime=-120), "expired_token"),
    (lambda: token(aud="another-service"), "wrong_audience"),
    (lambda: token(iss="https://evil.example/"), "wrong_issuer"),
    (lambda: token(key="a-different-secret-that-is-long-enough"), "bad_token"),
    (lambda: token(iat=int(time.time()) + 3600, exp=int(time.time()) + 7200), "token_not_yet_valid"),
    (lambda: token(exp=None), "bad_token"),
    (lambda: token(sub=None), "bad_token"),
    (lambda: token(aud=None), "bad_token"),
    (lambda: token("a user with spaces"), "bad_token"),
    (lambda: token(algorithm="HS512", key=JWT_SECRET + "-512-" + "x" * 32), "bad_token"),
    (lambda: "not.a.jwt", "bad_token"),
    (lambda: token()[:-4] + "AAAA", "bad_token"),
])
async def test_bad_tokens(start_app, make, code):
    app = await start_app()
    refused(await app.bearer(make()), 401, code)
    assert app.bot.calls == []


async def test_unsigned_alg_none_token_is_refused(start_app):
    import base64

    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    claims = {"sub": "demo-app-user-001", "iss": "https://app-backend.test/", "aud": AUDIENCE,
              "iat": int(time.time()), "exp": int(time.time()) + 600}
    app = await start_app()
    refused(await app.bearer(f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."), 401, "bad_token")
    assert app.bot.calls == []


@pytest.mark.parametrize("authorization", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer  ", "Token abc.def.ghi"])
async def test_other_authorization_schemes_are_refused(start_app, authorization):
    app = await start_app()
    body = body_of()
    refused(await app.raw(body, {"Authorization": authorization, "Content-Type": "application/json"}),
            401, "bad_token")
    assert app.bot.calls == []


def hs256_with_key(key: bytes) -> str:
    """A token PyJWT would refuse to make: HS256 with an RSA public key as the secret."""
    import base64
    import hashlib
    import hmac

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    claims = {"sub": "demo-app-user-001", "iss": "https://app-backend.test/", "aud": AUDIENCE,
              "iat": int(time.time()), "exp": int(time.time()) + 600}
    header = json.dumps({"alg": "HS256", "typ": "JWT"}).encode()
    signing_input = f"{part(header)}.{part(json.dumps(claims).encode())}"
    mac = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{part(mac)}"


@pytest.fixture(scope="module")
def rsa_keys():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_pem = private.public_key().public_bytes(serialization.Encoding.PEM,
                                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public_pem


async def test_rs256_tokens_from_the_backends_key(start_app, rsa_keys, tmp_path):
    private, public_pem = rsa_keys
    key_file = tmp_path / "backend.pem"
    key_file.write_text(public_pem)
    app = await start_app(jwt_secret=None, hmac_secret=None, jwt_public_key=str(key_file))
    assert (await app.bearer(token("demo-app-user-001", key=private, algorithm="RS256"))).status == 200
    # HS256 "signed" with the public key as the secret (algorithm confusion) is refused,
    # and so is a signed request when signatures are not enabled.
    refused(await app.bearer(hs256_with_key(public_pem.encode())), 401, "bad_token")
    refused(await app.signed(), 401, "signature_not_accepted")
    assert len(app.bot.calls) == 1


async def test_signature_only_deployment_refuses_tokens(start_app):
    app = await start_app(jwt_secret=None, jwt_issuer=None, jwt_audience=None)
    refused(await app.bearer(token()), 401, "token_not_accepted")
    assert app.bot.calls == []


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
async def test_other_methods_are_refused_with_405(start_app, method):
    app = await start_app()
    async with app.http.request(method, app.url + "/webhooks/app/webhook") as response:
        assert (response.status, response.headers.get("Allow")) == (405, "POST")
        assert (await response.json())["error"]["code"] == "method_not_allowed"
    assert app.bot.calls == []


async def test_health(start_app):
    app = await start_app()
    async with app.http.get(app.url + "/webhooks/app/") as response:
        assert response.status == 200 and (await response.json()) == {"status": "ok"}
