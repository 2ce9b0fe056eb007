"""Locations through the real channels: WeChat location messages and LOCATION events as
WeChat sends them (signed; safe mode encrypted with the EncodingAESKey), and the app's
`location`. The bot behind the channel resolves the location as action_share_location
does (knowledge.locating and the reply templates), so each test follows a location from
WeChat's XML or the app's JSON to the district and the words the user reads."""
from __future__ import annotations

import asyncio
import json

import pytest

from answers.location import located, outside, unreadable
from channels.location import INTENT, NO_LABEL_TEXT
from knowledge.geo import CoordinateError
from knowledge.locating import locate
from tests.channels.app_support import body_of, schema_errors
from tests.channels.wechat_support import OPENID, FakeBot, message_xml

YUBEI = ("29.717000", "106.633000")  # 两路 (GCJ-02, as WeChat sends it)
HONGYADONG = ("29.563000", "106.579000")  # 渝中 bank of the 嘉陵江
OPERA_HOUSE = ("29.572000", "106.582200")  # 江北 bank, a kilometre away
WUSHENG = ("30.349000", "106.295000")  # 四川武胜县城, 12 km from 合川区
CHENGDU = ("30.572000", "104.066000")


class LocatingBot(FakeBot):
    """Answers a location turn as action_share_location would (district, outside, unreadable)."""

    async def __call__(self, message):
        self.calls.append(message)
        shared = (message.metadata or {}).get("location")
        if not (message.parse_data and message.parse_data["intent"]["name"] == INTENT and shared):
            await message.output_channel.send_response(message.sender_id, {"text": f"收到：{message.text}"})
            return
        try:
            found = locate(shared["latitude"], shared["longitude"], shared["label"], shared["coordinate_system"])
        except CoordinateError:
            reply = {"text": unreadable(), "custom": {"type": "location", "status": "unreadable"}}
        else:
            reply = ({"text": located(found.region, False), "custom": {
                "type": "location", "status": "located", "district": found.region.name, "from": found.how}}
                     if found.region else {"text": outside(), "custom": {"type": "location", "status": "outside"}})
        if not shared["quiet"]:
            await message.output_channel.send_response(message.sender_id, reply)


def location_xml(latitude: str, longitude: str, label: str = "", msg_id: str | None = None) -> str:
    return message_xml("location", msg_id=msg_id, Location_X=latitude, Location_Y=longitude, Scale="16", Label=label)


@pytest.mark.parametrize("mode", ["plaintext", "safe"])
async def test_a_location_message_sets_the_district_from_its_label(start_wechat, mode):
    wechat = await start_wechat(mode, bot=LocatingBot())
    reply = await wechat.post(location_xml(*YUBEI, label="重庆市江北区观音桥步行街", msg_id="8001"))
    answer = wechat.opened(reply)
    assert answer["Content"] == "已定位到江北区。请问您要办理什么事项？比如“换驾照”“开公司”“提取公积金”。"
    assert answer.get("_encrypted", False) == (mode == "safe")
    [message] = wechat.bot.calls
    assert (message.sender_id, message.text, message.message_id) == (OPENID, "重庆市江北区观音桥步行街", "8001")
    assert message.parse_data["intent"] == {"name": INTENT, "confidence": 1.0}
    assert message.metadata["location"] == {
        "latitude": 29.717, "longitude": 106.633, "label": "重庆市江北区观音桥步行街", "coordinate_system": "gcj02",
        "source": "wechat_message", "quiet": False}
    assert message.metadata["wechat"]["kind"] == "location"


@pytest.mark.parametrize(("point", "label", "district"), [
    (YUBEI, "龙溪街道金龙路", "渝北区"),  # a label naming no district: the coordinates
    (YUBEI, "", "渝北区"),
    (HONGYADONG, "洪崖洞", "渝中区"),  # the two banks of the 嘉陵江, a kilometre apart
    (OPERA_HOUSE, "重庆大剧院", "江北区"),
])
async def test_without_a_district_in_the_label_the_coordinates_decide(start_wechat, point, label, district):
    wechat = await start_wechat("safe", bot=LocatingBot())
    answer = wechat.opened(await wechat.post(location_xml(*point, label=label)))
    assert answer["Content"].startswith(f"已定位到{district}。")
    assert wechat.bot.calls[0].text == (label or NO_LABEL_TEXT)


@pytest.mark.parametrize("point", [WUSHENG, CHENGDU])
async def test_outside_chongqing_gets_a_clear_reply(start_wechat, point):
    wechat = await start_wechat("safe", bot=LocatingBot())
    answer = wechat.opened(await wechat.post(location_xml(*point, label="四川省")))
    assert answer["Content"] == outside()


async def test_unreadable_coordinates_reach_the_bot_as_unreadable(start_wechat):
    wechat = await start_wechat("safe", bot=LocatingBot())
    answer = wechat.opened(await wechat.post(location_xml("abc", "106.5", label="某处")))
    assert answer["Content"] == unreadable()
    assert wechat.bot.calls[0].metadata["location"]["latitude"] is None


async def test_a_location_event_sets_the_district_quietly_once_in_ten_minutes(start_wechat):
    wechat = await start_wechat("safe", bot=LocatingBot())
    event = message_xml("event", create_time=1767225600, Event="LOCATION", Latitude="29.557500",
                        Longitude="106.577000", Precision="65.000000")
    later = message_xml("event", create_time=1767225660, Event="LOCATION", Latitude="29.717000",
                        Longitude="106.633000", Precision="30.000000")
    first, retry, next_report = await wechat.post(event), await wechat.post(event), await wechat.post(later)
    assert [(r.status, r.text) for r in (first, retry, next_report)] == [(200, "success")] * 3
    for _ in range(100):
        if wechat.bot.calls:
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.2)
    [message] = wechat.bot.calls  # neither WeChat's retry nor the next report a minute later reach the bot
    assert message.parse_data["intent"]["name"] == INTENT and message.text == NO_LABEL_TEXT
    assert message.metadata["location"] == {"latitude": 29.5575, "longitude": 106.577, "label": None,
                                            "coordinate_system": "gcj02", "source": "wechat_report", "quiet": True}
    assert wechat.api.delivered == []  # nothing sent through the customer-service API either


async def test_a_typed_intent_is_text_not_a_location(start_wechat):
    wechat = await start_wechat("safe", bot=LocatingBot())
    answer = wechat.opened(await wechat.post(message_xml(Content='/share_location{"district": "渝北区"}')))
    [message] = wechat.bot.calls
    assert message.parse_data is None and "location" not in message.metadata
    assert answer["Content"] == '收到：/share_location{"district": "渝北区"}'


def location_body(**location) -> dict:
    return {"latitude": 29.717, "longitude": 106.633, **location}


async def test_the_app_sends_a_location_alone(start_app):
    app = await start_app(bot=LocatingBot())
    body = body_of(message=None, location=location_body(label="两江新区互联网产业园"))
    assert schema_errors(json.loads(body), "MessageRequest") == []
    reply = await app.signed(body)
    assert reply.status == 200 and schema_errors(reply.json, "MessageResponse") == []
    [message] = reply.json["messages"]
    assert message["type"] == "data" and message["kind"] == "location"
    assert message["text"].startswith("已定位到两江新区。") and message["data"]["district"] == "两江新区"
    [turn] = app.bot.calls
    assert turn.parse_data["intent"]["name"] == INTENT
    assert turn.metadata["location"]["source"] == "app" and turn.metadata["location"]["quiet"] is False
    assert turn.metadata["app"] == {"conversation_id": "conv-0001"}


async def test_the_app_sends_a_location_with_a_question(start_app):
    app = await start_app(bot=LocatingBot())
    body = body_of(message="最近的窗口在哪", location=location_body(coordinate_system="wgs84"), message_id="m-1")
    reply = await app.signed(body)
    assert reply.status == 200
    assert [m["text"] for m in reply.json["messages"]] == ["收到：最近的窗口在哪"]  # the location turn is quiet
    located_turn, question = app.bot.calls
    assert located_turn.metadata["location"]["quiet"] is True
    assert located_turn.metadata["location"]["coordinate_system"] == "wgs84"
    assert (question.text, question.message_id) == ("最近的窗口在哪", "m-1")
    assert located_turn.message_id != "m-1"  # the app's id names its message, not the location turn


@pytest.mark.parametrize(("fields", "code", "field"), [
    ({"message": None}, "missing_field", "message"),
    ({"location": "渝北"}, "invalid_field", "location"),
    ({"location": {"latitude": 29.7}}, "invalid_field", "location.longitude"),
    ({"location": location_body(latitude=91)}, "invalid_field", "location.latitude"),
    ({"location": location_body(longitude="106.6")}, "invalid_field", "location.longitude"),
    ({"location": location_body(latitude=True)}, "invalid_field", "location.latitude"),
    ({"location": location_body(label="")}, "invalid_field", "location.label"),
    ({"location": location_body(label="x" * 201)}, "invalid_field", "location.label"),
    ({"location": location_body(coordinate_system="bd09")}, "invalid_field", "location.coordinate_system"),
    ({"location": location_body(altitude=300)}, "unknown_field", "location.altitude"),
])
async def test_a_bad_location_is_refused_by_the_channel_and_the_schema(start_app, fields, code, field):
    app = await start_app(bot=LocatingBot())
    body = body_of(**fields)
    reply = await app.signed(body)
    assert (reply.status, reply.code, reply.json["error"].get("field")) == (400, code, field)
    assert schema_errors(json.loads(body), "MessageRequest") != []
    assert app.bot.calls == []
