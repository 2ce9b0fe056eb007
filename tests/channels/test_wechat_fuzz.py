"""Property test: whatever body arrives (signed, so it reaches the XML parser; in safe
mode encrypted with wechatpy, so it reaches decryption and the inner parser), the
handler answers without raising and never with a 5xx."""
from __future__ import annotations

import logging

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.channels.wechat_support import WEBHOOK

EXAMPLES = 400
TAGS = ["ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "Event", "EventKey",
        "Recognition", "Encrypt", "MediaId", "Format", "PicUrl", "xml", "Unknown"]
MSG_TYPES = ["text", "voice", "event", "image", "video", "location", "link", "file", "", "TEXT", "device_text"]
EVENTS = ["subscribe", "unsubscribe", "CLICK", "VIEW", "SCAN", "LOCATION", "device_bind", ""]
HOSTILE = ['<!DOCTYPE x [<!ENTITY a "b">]>', '<!ENTITY e SYSTEM "file:///etc/passwd">', "&e;", "&amp;",
           "<![CDATA[", "]]>", "<?xml version='1.0' encoding='utf-16'?>", "\x00", "\ufeff", "<xml>", "</xml>"]

values = st.one_of(st.text(max_size=60), st.sampled_from(MSG_TYPES + EVENTS + ["MENU_HUMAN", "oUser", "123"]),
                   st.integers(-2**70, 2**70).map(str))


xml_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.just("\n"), max_size=80)


def cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@st.composite
def messages(draw) -> bytes:
    """Well-formed messages and events with arbitrary values: these reach the bot."""
    fields = {"ToUserName": "gh_fuzz", "FromUserName": draw(st.sampled_from(["oFuzz", "o2"]) | xml_text),
              "CreateTime": draw(st.integers(0, 2**40).map(str) | xml_text),
              "MsgType": draw(st.sampled_from(MSG_TYPES) | xml_text)}
    for tag in draw(st.lists(st.sampled_from(TAGS[4:13]), max_size=6, unique=True)):
        fields[tag] = draw(st.sampled_from(EVENTS + ["MENU_HUMAN", "MENU_PROGRESS", "1", "2"]) | xml_text)
    return ("<xml>" + "".join(f"<{tag}>{cdata(value)}</{tag}>" for tag, value in fields.items())
            + "</xml>").encode("utf-8")


@st.composite
def xml_bodies(draw) -> bytes:
    kind = draw(st.sampled_from(["message", "message", "message", "structured", "structured", "text", "bytes"]))
    if kind == "message":
        return draw(messages())
    if kind == "bytes":
        return draw(st.binary(max_size=400))
    if kind == "text":
        return draw(st.text(max_size=400)).encode("utf-8", "surrogatepass")
    fields = draw(st.lists(st.tuples(st.sampled_from(TAGS), values, st.sampled_from(["cdata", "raw", "nested"])),
                           max_size=10))
    if draw(st.booleans()):
        fields.append(("MsgType", draw(st.sampled_from(MSG_TYPES)), "cdata"))
        fields.append(("FromUserName", "oFuzz", "cdata"))
    parts = []
    for tag, value, style in fields:
        if style == "cdata":
            parts.append(f"<{tag}><![CDATA[{value}]]></{tag}>")
        elif style == "nested":
            parts.append(f"<{tag}><{tag}>{value}</{tag}></{tag}>")
        else:
            parts.append(f"<{tag}>{value}</{tag}>")
    body = "<xml>" + "".join(parts) + "</xml>"
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.sampled_from(HOSTILE)) + body[at:]
    if draw(st.integers(0, 6)) == 0:
        body = body[: draw(st.integers(0, len(body)))]
    return body.encode("utf-8", "surrogatepass")


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
async def served(start_wechat):
    plain = await start_wechat("plaintext", budget=1.0)
    safe = await start_wechat("safe", budget=1.0)
    yield plain, safe


def test_the_webhook_never_fails_on_any_body(served, server_loop):
    plain, safe = served
    errors = Collect()
    logging.getLogger("channels.wechat").addHandler(errors)
    tried = {"plaintext": 0, "safe": 0}
    statuses: dict[int, int] = {}
    session = requests.Session()

    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(body=xml_bodies(), encrypted=st.booleans())
    def post_any_body(body: bytes, encrypted: bool) -> None:
        wechat = safe if encrypted else plain
        if encrypted:
            try:
                params, data = wechat.side.encrypted(body.decode("utf-8"))
            except (UnicodeDecodeError, ValueError):
                params, data = wechat.side.plaintext(body.decode("utf-8", "replace"))
        else:
            params, data = wechat.side.plaintext("")
            data = body
        response = session.post(wechat.url + WEBHOOK, params=params, data=data, timeout=10)
        tried["safe" if encrypted else "plaintext"] += 1
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code < 500, (body, response.status_code, response.text)
        assert response.status_code in (200, 400, 403, 413)

    try:
        post_any_body()
    finally:
        logging.getLogger("channels.wechat").removeHandler(errors)
        session.close()
    total = sum(tried.values())
    print(f"\nhypothesis tried {total} bodies ({tried}); HTTP statuses {dict(sorted(statuses.items()))}")
    unexpected = [r for r in errors.records if "could not read" in r.getMessage() or "could not build" in
                  r.getMessage() or "handling" in r.getMessage()]
    assert unexpected == [], [r.getMessage() for r in unexpected]
    assert total >= EXAMPLES * 0.9
    assert statuses.get(200, 0) > 0 and statuses.get(400, 0) > 0
