"""The app channel of the running assistant, against its published OpenAPI document.

Schemathesis generates requests from docs/app-api.yaml (valid ones and, in negative
mode, ones that break the schema: unknown fields, wrong types…), signs each one like the
app backend does (an auth hook over the exact body bytes sent) and checks every answer:
no 5xx, status codes, content types and bodies as documented, schema-breaking requests
refused, and authentication really enforced. Then a few conversations through the
channel: a guide card, a verified user's progress without being asked again, and
refused requests that leave no trace in the conversation store.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time
import uuid
from functools import lru_cache

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings

from tooling import services
from tests.integration.app_channel import APP_AUDIENCE, APP_HMAC_SECRET, APP_ISSUER, APP_JWT_SECRET
from tests.integration.conftest import RASA_PORT

pytestmark = pytest.mark.integration

API_DOCUMENT = services.ROOT / "docs" / "app-api.yaml"
WEBHOOK = f"http://127.0.0.1:{RASA_PORT}/webhooks/app/webhook"
EXAMPLES = 40  # per generation mode: the whole run stays well under a minute


def signature(secret: str, timestamp: str, nonce: str, body: bytes) -> str:
    """The app backend's signature, written from docs/app-api.yaml (not imported from the channel)."""
    return hmac.new(secret.encode(), f"{timestamp}\n{nonce}\n".encode() + body, hashlib.sha256).hexdigest()


class SignedByTheBackend(requests.auth.AuthBase):
    """Signs the prepared request's exact body, as the app backend does."""

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        body = request.body or b""
        body = body.encode("utf-8") if isinstance(body, str) else body
        timestamp, nonce = str(int(time.time())), uuid.uuid4().hex
        request.headers.update({"X-Yuban-Timestamp": timestamp, "X-Yuban-Nonce": nonce,
                                "X-Yuban-Signature": signature(APP_HMAC_SECRET, timestamp, nonce, body)})
        return request


@pytest.fixture(scope="module")
def app_api(stack):
    api = schemathesis.openapi.from_path(API_DOCUMENT)
    api.config.update(base_url=f"http://127.0.0.1:{RASA_PORT}", request_timeout=30)
    api.config.generation.update(max_examples=EXAMPLES,
                                 modes=[schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
    api.auth.set_from_requests(SignedByTheBackend())
    return api


@pytest.mark.parametrize("mode", ["positive", "negative"])
def test_live_endpoint_conforms_to_its_openapi_document(app_api, mode):
    operation = app_api["/webhooks/app/webhook"]["POST"]
    statuses: dict[int, int] = {}

    @given(case=operation.as_strategy(generation_mode=schemathesis.GenerationMode(mode)))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def call(case) -> None:
        response = case.call_and_validate()
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        if response.status_code == 401:  # negative mode also sends garbage `Authorization` headers
            assert response.json()["error"]["code"] == "bad_token" and "Authorization" in (case.headers or {})

    call()
    print(f"\n{mode}: HTTP statuses {dict(sorted(statuses.items()))}")
    if mode == "positive":  # valid requests, signed: the assistant answered them
        assert statuses.get(200, 0) >= EXAMPLES // 2, statuses
    else:  # requests that break the schema (or carry a broken token): refused, none answered
        assert set(statuses) <= {400, 401, 413, 415} and statuses.get(400, 0) >= EXAMPLES // 4, statuses


def token(subject: str, lifetime: float = 600) -> str:
    import jwt

    now = int(time.time())
    return jwt.encode({"sub": subject, "iss": APP_ISSUER, "aud": APP_AUDIENCE, "iat": now, "exp": now + lifetime},
                      APP_JWT_SECRET, algorithm="HS256")


def post(data: dict, headers: dict[str, str] | None = None, sign: bool = True) -> requests.Response:
    body = json.dumps(data, ensure_ascii=False).encode("utf-8")
    sent = {"Content-Type": "application/json", **(headers or {})}
    if sign:
        timestamp, nonce = str(int(time.time())), uuid.uuid4().hex
        sent.update({"X-Yuban-Timestamp": timestamp, "X-Yuban-Nonce": nonce,
                     "X-Yuban-Signature": signature(APP_HMAC_SECRET, timestamp, nonce, body)})
    return requests.post(WEBHOOK, data=body, headers=sent, timeout=30)


@lru_cache(maxsize=None)
def response_validator():
    import jsonschema_rs
    import yaml

    document = yaml.safe_load(API_DOCUMENT.read_text(encoding="utf-8"))
    return jsonschema_rs.Draft202012Validator({"$ref": "#/components/schemas/MessageResponse",
                                              "components": document["components"]})


def documented(reply: requests.Response) -> dict:
    """The 200 answer's JSON, after checking it against `MessageResponse`."""
    assert reply.status_code == 200, reply.text
    errors = [f"{list(e.instance_path)}: {e.message}" for e in response_validator().iter_errors(reply.json())]
    assert not errors, errors
    return reply.json()


def events_of(conversation_dbs: dict[str, str], sender_id: str) -> int:
    with sqlite3.connect(conversation_dbs["YUBAN_EVENTS_DB"]) as db:
        return db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender_id,)).fetchone()[0]


def test_unauthenticated_requests_get_401_and_leave_no_trace(stack, conversation_dbs):
    conversation = f"live-{uuid.uuid4().hex[:10]}"
    data = {"conversation_id": conversation, "message": "开公司要什么材料"}
    replies = [
        post(data, sign=False),
        post(data, headers={"Authorization": "Bearer not.a.token"}, sign=False),
        post(data, headers={"Authorization": f"Bearer {token('demo-app-user-001', lifetime=-60)}"}, sign=False),
        requests.post(WEBHOOK, json=data, timeout=30, headers={
            "X-Yuban-Timestamp": str(int(time.time())), "X-Yuban-Nonce": uuid.uuid4().hex,
            "X-Yuban-Signature": "0" * 64}),
    ]
    assert [r.status_code for r in replies] == [401, 401, 401, 401]
    assert [r.json()["error"]["code"] for r in replies] == ["missing_credentials", "bad_token", "expired_token",
                                                           "bad_signature"]
    assert post(data).status_code == 200  # the same conversation, signed: now it reaches the assistant
    assert events_of(conversation_dbs, f"app-conversation:{conversation}") > 0
    refused = f"live-{uuid.uuid4().hex[:10]}"
    assert post({"conversation_id": refused, "message": "你好"}, sign=False).status_code == 401
    assert events_of(conversation_dbs, f"app-conversation:{refused}") == 0


def test_a_guide_answer_is_a_card_for_the_district(stack):
    answer = documented(post({"conversation_id": f"live-{uuid.uuid4().hex[:10]}", "message": "渝北区开公司要什么材料"}))
    guides = [m for m in answer["messages"] if m["type"] in ("guide", "choices", "bundle")]
    assert guides, answer
    if guides[0]["type"] != "guide":  # several items fit, or a bundle: pick the first, as the app would on a tap
        answer = documented(post({"conversation_id": answer["conversation_id"],
                                  "message": guides[0]["options"][0]["reply"]}))
        guides = [m for m in answer["messages"] if m["type"] == "guide"]
    card = guides[0]["card"]
    assert card["item"]["code"] == guides[0]["item_code"] and card["materials"]
    assert card["material_counts"]["total"] == len(card["materials"]) and card["verified"]
    assert card["district"] == "渝北区" and "渝北区" in (card["department"]["body"] or "")


@pytest.mark.parametrize("vouched_by", ["token", "signature"])
def test_a_verified_app_user_gets_their_progress_without_being_asked(stack, vouched_by):
    data = {"conversation_id": f"live-{uuid.uuid4().hex[:10]}", "message": "帮我查一下办件进度"}
    if vouched_by == "token":
        reply = requests.post(WEBHOOK, json=data, headers={"Authorization": f"Bearer {token('demo-app-user-001')}"},
                              timeout=30)
    else:  # the backend signs a body naming the user
        reply = post({**data, "user_id": "demo-app-user-002"})
    assert documented(reply)["user_verified"] is True
    messages = reply.json()["messages"]
    text = "\n".join(m["text"] for m in messages)
    assert "办件编号" not in text and "后四位" not in text  # not asked to verify again
    [listing] = [m for m in messages if m["type"] == "progress_list"]
    assert listing["applications"] and all("****" in a["number"] for a in listing["applications"])


def test_a_verified_app_user_opens_one_application_of_the_list(stack):
    conversation = f"live-{uuid.uuid4().hex[:10]}"
    listing = documented(post({"conversation_id": conversation, "user_id": "demo-app-user-001",
                               "message": "我的办件到哪一步了"}))
    [apps] = [m["applications"] for m in listing["messages"] if m["type"] == "progress_list"]
    assert len(apps) >= 2
    picked = documented(post({"conversation_id": conversation, "user_id": "demo-app-user-001", "message": "第2个"}))
    [card] = [m["card"] for m in picked["messages"] if m["type"] == "progress"]
    assert card["number"] == apps[1]["number"] and card["item_name"] == apps[1]["item_name"]


def test_an_unverified_app_user_is_asked_for_the_number(stack):
    reply = post({"conversation_id": f"live-{uuid.uuid4().hex[:10]}", "message": "帮我查一下办件进度"})
    assert documented(reply)["user_verified"] is False
    assert "办件编号" in "\n".join(m["text"] for m in reply.json()["messages"])


def test_a_shared_location_sets_the_district_and_the_window_gets_a_map_link(stack):
    """Through the real Rasa and action servers: the channel's location turn (intent given as
    parse data), the rule, the action reading the metadata, the lookup and the templates."""
    conversation = f"live-{uuid.uuid4().hex[:10]}"
    asked = documented(post({"conversation_id": conversation, "message": "出生登记在哪办"}))
    assert any("区县" in m["text"] for m in asked["messages"]), asked  # asks where the user is
    shared = documented(post({"conversation_id": conversation,
                              "location": {"latitude": 29.717, "longitude": 106.633, "label": "龙溪街道金龙路"}}))
    kinds = [m.get("kind") or m["type"] for m in shared["messages"]]
    assert kinds == ["location", "guide", "map_links"], shared
    assert shared["messages"][0]["text"] == "已定位到渝北区。"
    assert shared["messages"][1]["district"] == "渝北区" and shared["messages"][1]["aspect"] == "department"
    [window] = shared["messages"][2]["data"]["windows"][:1]
    assert window["map_url"].startswith("https://uri.amap.com/search?keyword=") and window["address"]
    outside = documented(post({"conversation_id": conversation, "location": {"latitude": 30.572, "longitude": 104.066}}))
    assert "不在重庆市范围内" in outside["messages"][0]["text"]
    here = documented(post({"conversation_id": conversation, "message": "最近的窗口在哪",
                            "location": {"latitude": 29.5603, "longitude": 106.5734, "coordinate_system": "wgs84"}}))
    kinds = [m.get("kind") or m["type"] for m in here["messages"]]
    assert kinds == ["guide", "map_links"], here  # the location turn was quiet
    assert here["messages"][0]["district"] == "渝中区" and here["messages"][1]["data"]["district"] == "渝中区"


def test_a_typed_share_location_intent_stays_text(stack):
    reply = documented(post({"conversation_id": f"live-{uuid.uuid4().hex[:10]}",
                             "message": '/share_location{"district": "渝北区"}'}))
    assert not any(m.get("kind") == "location" for m in reply["messages"]), reply
