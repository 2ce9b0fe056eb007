"""Bot messages → typed app messages: every payload the actions send, mapped and checked
against docs/app-api.yaml; failures and silence become an apology, never a 5xx."""
from __future__ import annotations

import asyncio
import threading

from channels.app.messages import APOLOGY, structured
from tests.channels.app_support import body_of, schema_errors
from tests.channels.wechat_support import FakeBot

GUIDE_CARD = {
    "item": {"code": "11500000MB1234567X4000112001000", "name": "公司设立登记", "power_type": "行政许可",
             "department": "重庆市市场监督管理局", "summary": None},
    "aspect": "materials", "district": "渝北区", "region": {"code": "500112", "name": "渝北区", "is_example": False},
    "district_needed": False, "district_note": None,
    "materials": [{"name": "公司登记申请书", "required": True, "condition": None, "form": "原件", "copies": 1,
                   "medium": "纸质或电子", "source": "申请人自备", "waived": False, "notes": "可在线填写"}],
    "material_counts": {"total": 1, "required": 1, "conditional": 0, "waived": 0}, "conditions": [],
    "department": {"body": "重庆市渝北区市场监督管理局", "windows": [
        {"name": "商事登记窗口", "address": "渝北区政务服务中心", "hours": "工作日 9:00-17:00", "phone": None,
         "directions": None}], "consult_phone": "023-67800000", "supervision_phone": None, "appointment": True},
    "flow": [{"step": 1, "name": "申请", "description": None, "time_limit": "即时"}],
    "time_limit": {"promised": "1个工作日", "statutory": "15个工作日"},
    "fee": {"charged": False, "summary": "不收费", "detail": None, "basis": None},
    "online": {"depth": "四级", "description": "可全程网上办理", "url": "https://zwykb.cq.gov.cn/", "trips": 0,
               "express": True, "scope": ["全渝通办"]},
    "verified": "2026-10-01", "demonstration": True,
}
PROGRESS_CARD = {
    "number": "CQ2026****1233", "item_code": "500A9900010000", "item_name": "测试许可证核发", "stage": "review",
    "stage_name": "审查", "completed": False,
    "timeline": [{"stage": "submitted", "name": "申请", "status": "done", "at": "2026-05-14T09:00:00+08:00"},
                 {"stage": "review", "name": "审查", "status": "current", "at": None}],
    "body": {"name": "重庆市渝北区测试局", "phone": "023-67800000"}, "region": "渝北区",
    "submitted_at": "2026-05-14T09:00:00+08:00", "promised_limit": "5个工作日", "promised_date": "2026-05-21",
    "completed_at": None, "overdue": False, "overdue_days": 0, "supervision_phone": "023-12345",
    "applicant": {"name": "张*", "phone": "138****1234"},
}


def test_every_payload_maps_to_its_documented_type():
    bot = [
        {"text": "【公司设立登记】所需材料（渝北区）", "custom": {"type": "guide", "item_code": "11500000MB1234567X4000112001000",
                                                    "item_name": "公司设立登记", "aspect": "materials",
                                                    "district": "渝北区", "card": GUIDE_CARD}},
        {"text": "找到几个相关事项，请回复序号选择：\n1. 甲\n2. 乙",
         "custom": {"type": "choices", "options": [{"item_code": "A1", "item_name": "甲"},
                                                   {"item_code": "B2", "item_name": "乙"}]}},
        {"text": "【办件进度】…", "custom": {"type": "progress", "item_code": "500A9900010000", "stage": "review",
                                        "overdue": False, "card": PROGRESS_CARD}},
        {"text": "您名下共有 1 件办件：", "custom": {"type": "progress_list", "applications": [
            {"number": "CQ2026****1233", "item_code": "X", "item_name": "测试", "stage": "review", "stage_name": "审查",
             "completed": False, "overdue": True, "promised_date": None}]}},
        {"text": "正在为您转接人工服务", "custom": {"type": "handoff", "reason": "user_request"}},
        {"text": "抱歉，目录里没有找到", "custom": {"type": "not_found"}},
        {"text": "开饭店要办这些手续", "custom": {"type": "bundle", "bundle_code": "open-restaurant", "bundle_name": "开饭店",
                                         "items": [{"item_code": "X1", "item_name": "营业执照"},
                                                   {"item_code": "X2", "item_name": "食品经营许可"}],
                                         "district": None}},
        {"text": "", "custom": {"type": "survey", "questions": 3}},
        {"custom": ["not", "an", "object"]},
        {"text": "要继续吗？", "buttons": [{"title": "是", "payload": "/affirm"}, {"title": "否", "payload": "/deny"}]},
        {"text": "好的"},
        {"image": "https://example.test/map.png"},
    ]
    typed = structured(bot)
    assert [m["type"] for m in typed] == ["guide", "choices", "progress", "progress_list", "handoff", "not_found",
                                         "bundle", "data", "data", "choices", "text", "image"]
    assert typed[0]["card"] == GUIDE_CARD and typed[0]["item_code"].startswith("11500000")
    assert typed[1]["options"] == [{"index": 1, "title": "甲", "item_code": "A1", "reply": "1"},
                                   {"index": 2, "title": "乙", "item_code": "B2", "reply": "2"}]
    assert typed[2]["card"] == PROGRESS_CARD
    assert typed[4]["reason"] == "user_request"
    assert typed[6]["bundle"]["bundle_code"] == "open-restaurant" and "type" not in typed[6]["bundle"]
    assert typed[6]["options"][1] == {"index": 2, "title": "食品经营许可", "item_code": "X2", "reply": "2"}
    assert typed[7] == {"type": "data", "kind": "survey", "text": "", "data": {"type": "survey", "questions": 3}}
    assert typed[8]["kind"] is None and typed[8]["data"] == ["not", "an", "object"]
    assert typed[9]["options"][0] == {"index": 1, "title": "是", "item_code": None, "reply": "/affirm"}
    response = {"conversation_id": "c1", "user_verified": False, "messages": typed}
    assert schema_errors(response, "MessageResponse") == []


def test_the_schema_catches_a_broken_mapping():
    broken = {"conversation_id": "c1", "user_verified": False,
              "messages": [{"type": "guide", "text": "x", "item_code": "A", "item_name": "甲", "aspect": None,
                            "district": None, "card": {"item": {"code": "A"}}}]}
    assert schema_errors(broken, "MessageResponse")


def test_a_card_less_guide_from_an_older_action_server_still_maps():
    [message] = structured([{"text": "t", "custom": {"type": "guide", "item_code": "A", "item_name": "甲"}}])
    assert message["card"] is None and message["aspect"] is None
    assert schema_errors({"conversation_id": "c", "user_verified": True, "messages": [message]},
                         "MessageResponse") == []


async def test_the_answer_keeps_the_bots_order_and_whole_texts(start_app):
    app = await start_app()
    app.bot.replies = [{"text": "第一段\n\n第二段"},
                       {"text": "请选择", "custom": {"type": "choices",
                                                     "options": [{"item_code": "A", "item_name": "甲"}]}}]
    reply = await app.signed(body_of(message="开公司"))
    assert reply.status == 200
    assert [m["type"] for m in reply.json["messages"]] == ["text", "choices"]
    assert reply.json["messages"][0]["text"] == "第一段\n\n第二段"  # not split like Rasa's REST channel
    assert schema_errors(reply.json, "MessageResponse") == []


async def test_a_failing_bot_gets_an_apology_not_a_5xx(start_app):
    app = await start_app()
    app.bot.error = RuntimeError("action server down")
    reply = await app.signed()
    assert reply.status == 200 and reply.json["messages"] == [{"type": "text", "text": APOLOGY}]


async def test_a_silent_bot_gets_an_apology(start_app):
    app = await start_app()
    app.bot.replies = []
    reply = await app.signed()
    assert reply.status == 200 and reply.json["messages"] == [{"type": "text", "text": APOLOGY}]


async def test_a_slow_bot_is_answered_with_an_apology_and_left_to_finish(start_app):
    class SlowBot(FakeBot):
        finished = threading.Event()  # set in the server's loop, another thread

        async def __call__(self, message):
            await super().__call__(message)
            self.finished.set()

    bot = SlowBot()
    bot.delay = 1.5
    app = await start_app(bot_timeout_seconds=1, bot=bot)
    reply = await app.signed()
    assert reply.status == 200 and reply.json["messages"] == [{"type": "text", "text": APOLOGY}]
    assert not bot.finished.is_set()
    assert await asyncio.to_thread(bot.finished.wait, 10)  # the turn was not cancelled half-way (shielded)


async def test_a_conversation_store_outage_says_so_with_a_retry_hint(start_app):
    from bot.prod.errors import ConversationStoreUnavailable
    from channels.guard import UNAVAILABLE_TEXT

    app = await start_app()
    app.bot.error = ConversationStoreUnavailable("get tracker")  # a BaseException, as in production
    reply = await app.signed()
    assert reply.status == 200 and schema_errors(reply.json, "MessageResponse") == []
    [message] = reply.json["messages"]
    assert message["text"] == UNAVAILABLE_TEXT and message["kind"] == "unavailable" and message["data"]["retry"]
