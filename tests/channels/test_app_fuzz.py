"""Property test: any signed body gets 200 exactly when it is valid under the published
request schema (docs/app-api.yaml, used as the oracle), 400 otherwise, never a 5xx; only
accepted requests reach the bot, and every answer conforms to the documented responses."""
from __future__ import annotations

import json

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.channels.app_support import WEBHOOK, api_document, schema_errors, signed_headers

EXAMPLES = 300
identifiers = st.from_regex(r"[A-Za-z0-9._@:-]{1,20}", fullmatch=True)
texts = st.text(max_size=40) | st.sampled_from(["开公司要什么材料", "2", "渝北区的呢？", " ", ""])
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | texts,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
                           max_leaves=8)


@st.composite
def objects(draw) -> dict:
    """Near-valid request objects: each field present or not, well or badly typed, plus extras."""
    data = {}
    for key, good in (("conversation_id", identifiers), ("message", texts.filter(str.strip) | texts),
                      ("user_id", identifiers), ("message_id", identifiers)):
        required = key in ("conversation_id", "message")
        presence = draw(st.sampled_from(["good"] * 8 + ["bad", "absent"] if required else ["good", "bad", "absent"] +
                                        ["absent"] * 3))
        if presence == "good":
            data[key] = draw(good)
        elif presence == "bad":
            data[key] = draw(json_values)
    if draw(st.integers(0, 7)) == 0:
        data[draw(texts)] = draw(json_values)
    return data


bodies = st.one_of(objects().map(lambda d: ("object", json.dumps(d, ensure_ascii=False).encode())),
                   objects().map(lambda d: ("object", json.dumps(d).encode())),
                   json_values.map(lambda v: ("json", json.dumps(v).encode())),
                   st.binary(max_size=200).map(lambda b: ("bytes", b)))


@pytest.fixture
async def served(start_app):
    return await start_app()


def request_is_valid(data: object) -> bool:
    return not schema_errors(data, "MessageRequest")


def test_any_signed_body_is_answered_as_the_schema_says(served):
    assert "MessageRequest" in api_document()["components"]["schemas"]
    session = requests.Session()
    statuses: dict[int, int] = {}

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
    @given(body=bodies)
    def post(body: tuple[str, bytes]) -> None:
        kind, data = body
        calls_before = len(served.bot.calls)
        response = session.post(served.url + WEBHOOK, data=data, headers=signed_headers(data), timeout=10)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        reached = len(served.bot.calls) - calls_before
        answer = response.json()
        if response.status_code == 200:
            assert schema_errors(answer, "MessageResponse") == [] and reached == 1
        else:
            assert response.status_code == 400 and schema_errors(answer, "Error") == [] and reached == 0
        if kind != "bytes":
            assert (response.status_code == 200) == request_is_valid(json.loads(data)), (data, answer)

    try:
        post()
    finally:
        session.close()
    print(f"\nHTTP statuses {dict(sorted(statuses.items()))}")
    assert statuses.get(200, 0) > EXAMPLES // 10 and statuses.get(400, 0) > EXAMPLES // 10
