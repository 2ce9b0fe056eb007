"""Every message and event type, hostile and malformed bodies, and failures of the bot,
through the real Sanic app in plaintext and safe mode."""
from __future__ import annotations

import time

import pytest

from channels.wechat.config import DEFAULT_WELCOME
from channels.wechat.inbound import PLEASE_SEND_TEXT, VOICE_NOT_RECOGNISED
from channels.wechat.rendering import APOLOGY
from tests.channels.wechat_support import ACCOUNT, OPENID, message_xml

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&lol9;</Content><MsgId>1</MsgId></xml>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>gh</ToUserName><FromUserName>o1</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>2</MsgId></xml>"""
PARAMETER_ENTITY = """<!doctype xml [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/x.dtd"> %remote;]>
<xml><FromUserName>o1</FromUserName><MsgType>text</MsgType><Content>x</Content></xml>"""


@pytest.mark.parametrize("mode", ["plaintext", "safe"])
async def test_text_message_is_answered_passively(start_wechat, mode):
    wechat = await start_wechat(mode)
    reply = await wechat.post(message_xml(Content="开公司要什么材料", msg_id="7001"))
    answer = wechat.opened(reply)
    assert answer["ToUserName"] == OPENID and answer["FromUserName"] == ACCOUNT
    assert answer["MsgType"] == "text" and answer["Content"] == "收到：开公司要什么材料"
    assert answer.get("_encrypted", False) == (mode == "safe")
    [message] = wechat.bot.calls
    assert (message.sender_id, message.text, message.message_id, message.input_channel) == (
        OPENID, "开公司要什么材料", "7001", "wechat")
    assert message.metadata["wechat"]["openid"] == OPENID
    assert reply.seconds < 2


async def test_slash_payload_text_passes_through_as_text(start_wechat):
    wechat = await start_wechat("safe")
    text = '/request_human{"reason": "投诉"}'
    answer = wechat.opened(await wechat.post(message_xml(Content=text)))
    assert wechat.bot.texts == [text]
    assert answer["Content"] == f"收到：{text}"


async def test_voice_uses_the_recognition_text(start_wechat):
    wechat = await start_wechat("plaintext")
    answer = wechat.opened(await wechat.post(message_xml("voice", MediaId="m1", Format="amr",
                                                         Recognition="换驾照在哪办")))
    assert wechat.bot.texts == ["换驾照在哪办"] and answer["Content"] == "收到：换驾照在哪办"
    unheard = wechat.opened(await wechat.post(message_xml("voice", MediaId="m2", Format="amr")))
    assert unheard["Content"] == VOICE_NOT_RECOGNISED and len(wechat.bot.calls) == 1


@pytest.mark.parametrize("event_key", ["", "qrscene_123"])
async def test_subscribe_sends_the_welcome(start_wechat, event_key):
    wechat = await start_wechat("safe")
    extra = {"EventKey": event_key, "Ticket": "t"} if event_key else {}
    answer = wechat.opened(await wechat.post(message_xml("event", Event="subscribe", **extra)))
    assert answer["Content"] == DEFAULT_WELCOME and "材料" in answer["Content"]
    assert wechat.bot.calls == []


async def test_unsubscribe_sends_nothing(start_wechat):
    wechat = await start_wechat("safe")
    reply = await wechat.post(message_xml("event", Event="unsubscribe"))
    assert (reply.status, reply.text) == (200, "success")
    assert wechat.bot.calls == [] and wechat.api.sends == []


@pytest.mark.parametrize("key, text", [("MENU_MATERIALS", "我想问办事材料"), ("MENU_PROGRESS", "查办件进度"),
                                       ("MENU_HUMAN", "转人工")])
async def test_menu_clicks_map_to_whitelisted_texts(start_wechat, key, text):
    wechat = await start_wechat("plaintext")
    answer = wechat.opened(await wechat.post(message_xml("event", Event="CLICK", EventKey=key)))
    assert wechat.bot.texts == [text] and answer["Content"] == f"收到：{text}"


async def test_unknown_menu_key_and_other_events(start_wechat):
    wechat = await start_wechat("plaintext", menu={"MENU_ONLY": "只有这个"})
    unknown = wechat.opened(await wechat.post(message_xml("event", Event="CLICK", EventKey="MENU_MATERIALS")))
    assert unknown["Content"] == PLEASE_SEND_TEXT
    for event in (dict(Event="VIEW", EventKey="https://zwykb.cq.gov.cn/"),
                  dict(Event="location_select", EventKey="MENU_WHERE"),  # the location itself follows as a message
                  dict(Event="TEMPLATESENDJOBFINISH", Status="success"),
                  dict(Event="SOMETHING_NEW")):
        reply = await wechat.post(message_xml("event", **event))
        assert (reply.status, reply.text) == (200, "success"), event
    assert wechat.bot.calls == []


@pytest.mark.parametrize("msg_type, fields", [
    ("image", {"PicUrl": "http://127.0.0.1/p.jpg", "MediaId": "m"}),
    ("video", {"MediaId": "m", "ThumbMediaId": "t"}),
    ("shortvideo", {"MediaId": "m", "ThumbMediaId": "t"}),
    ("link", {"Title": "t", "Description": "d", "Url": "http://127.0.0.1/"}),
    ("file", {"Title": "a.pdf"}),
    ("text", {"Content": "   "}),
])
async def test_other_message_types_get_a_polite_request_for_text(start_wechat, msg_type, fields):
    wechat = await start_wechat("safe")
    answer = wechat.opened(await wechat.post(message_xml(msg_type, **fields)))
    assert answer["Content"] == PLEASE_SEND_TEXT and wechat.bot.calls == []


@pytest.mark.parametrize("body", [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY])
async def test_hostile_xml_is_refused_before_parsing(start_wechat, body):
    wechat = await start_wechat("plaintext")
    started = time.monotonic()
    reply = await wechat.post("", body=body.encode())
    assert reply.status == 400 and time.monotonic() - started < 1
    assert wechat.bot.calls == []


async def test_hostile_xml_inside_the_encrypted_message_is_refused(start_wechat):
    wechat = await start_wechat("safe")
    assert (await wechat.post(EXTERNAL_ENTITY)).status == 400
    assert wechat.bot.calls == []


@pytest.mark.parametrize("body", [b"", b"not xml", b"<xml><Content>unclosed</xml>", b"<root><a>1</a></root>",
                                  b"<xml><MsgType>text</MsgType><Content>no sender</Content></xml>",
                                  b"<xml><FromUserName>o</FromUserName></xml>", "<xml>\udcff</xml>".encode(
                                      "utf-8", "surrogatepass"), b"\xff\xfe<\x00x\x00"])
async def test_malformed_xml_is_a_400(start_wechat, body):
    wechat = await start_wechat("plaintext")
    assert (await wechat.post("", body=body)).status == 400
    assert wechat.bot.calls == []


async def test_oversize_body_is_a_413(start_wechat):
    wechat = await start_wechat("plaintext")
    big = message_xml(Content="材" * 22000).encode()
    assert len(big) > 64 * 1024
    assert (await wechat.post("", body=big)).status == 413

    async def chunks():
        for _ in range(70):
            yield b"<a>" + b"x" * 1021
    assert (await wechat.post("", body=chunks())).status == 413  # chunked, no Content-Length
    assert wechat.bot.calls == []


async def test_bot_failure_gives_an_apology_not_an_http_error(start_wechat):
    wechat = await start_wechat("safe")
    wechat.bot.error = RuntimeError("action server down")
    reply = await wechat.post(message_xml(Content="开公司"))
    assert wechat.opened(reply)["Content"] == APOLOGY


async def test_bot_saying_nothing_gives_an_apology(start_wechat):
    wechat = await start_wechat("plaintext")
    wechat.bot.replies = []
    assert wechat.opened(await wechat.post(message_xml(Content="开公司")))["Content"] == APOLOGY


async def test_store_failure_gives_an_apology(start_wechat):
    class BrokenStore:
        def __getattr__(self, name):
            async def fail(*args, **kwargs):
                raise ConnectionError("redis down")
            return fail

    wechat = await start_wechat("plaintext", store=BrokenStore())
    reply = await wechat.post(message_xml(Content="开公司"))
    assert wechat.opened(reply)["Content"] == APOLOGY


async def test_choices_keep_the_digit_and_remember_what_it_meant(start_wechat):
    wechat = await start_wechat("plaintext")
    wechat.bot.replies = [
        {"text": "找到几个相关事项，请回复序号选择：\n1. 个人独资企业设立登记\n2. 有限责任公司设立登记",
         "custom": {"type": "choices", "options": [
             {"item_code": "500000-A-001", "item_name": "个人独资企业设立登记"},
             {"item_code": "500000-A-002", "item_name": "有限责任公司设立登记"}]}},
        {"custom": {"type": "something_new", "x": 1}},
    ]
    first = wechat.opened(await wechat.post(message_xml(Content="开公司")))
    assert first["Content"].endswith("2. 有限责任公司设立登记")  # the bot's own list, nothing added
    wechat.bot.replies = [{"text": "有限责任公司设立登记需要：……",
                           "custom": {"type": "guide", "item_code": "500000-A-002"}}]
    second = wechat.opened(await wechat.post(message_xml(Content="2")))
    assert second["Content"] == "有限责任公司设立登记需要：……"
    message = wechat.bot.calls[-1]
    assert message.text == "2"
    assert message.metadata["wechat"]["choice"] == {"item_code": "500000-A-002", "item_name": "有限责任公司设立登记"}
