"""Events of one realistic guide turn, for the Rasa-side benchmarks (Rasa environment).

The shape follows what the assistant stores for "X 要什么材料": the user message with
its parse data, the guide action with its slot events, one bot message carrying a guide
card of a few KB, and action_listen. The texts are our own, not evaluation data.
"""
from __future__ import annotations

import time
from typing import Any

INTENTS = ["ask_materials", "ask_department", "ask_flow", "ask_time_limit", "ask_fee", "ask_online", "ask_conditions",
           "greet", "goodbye", "request_human"]


def guide_card(turn: int) -> dict[str, Any]:
    """A guide card about as large as the real one (about 4 KB of nested JSON)."""
    materials = [{"name": f"申请材料第{n}项：营业执照副本复印件（加盖公章）", "copies": "1份", "form": "纸质或电子",
                  "notes": "原件核验后退还，复印件需注明与原件一致并签字确认"} for n in range(1, 9)]
    return {"type": "guide", "item_code": f"500A41000{turn % 100:05d}", "item_name": "有限责任公司设立登记",
            "aspect": "materials", "district": "渝北区", "verified_on": "2026-10-01",
            "department": {"name": "区市场监督管理局", "window": "政务服务中心二楼 12-16 号窗口",
                           "address": "重庆市渝北区示例路 1 号", "phone": "023-00000000", "hours": "工作日 9:00-17:00"},
            "materials": materials, "flow": [f"第{n}步：提交申请并等待审核结果" for n in range(1, 6)],
            "time_limit": "3 个工作日", "fee": "不收费", "online": True, "trips": 0}


def rasa_response(turn: int = 0) -> dict[str, Any]:
    """An action server response as rasa-sdk sends it for a guide answer."""
    return {"events": [{"event": "slot", "timestamp": None, "name": name, "value": value}
                       for name, value in (("item_code", "500A4100020000"), ("item_name", "有限责任公司设立登记"),
                                           ("aspect", "materials"), ("choices", None))],
            "responses": [{"text": "【有限责任公司设立登记】所需材料如下……", "buttons": [], "elements": [],
                           "custom": guide_card(turn), "template": None, "response": None, "image": None,
                           "attachment": None}]}


def turn_events(turn: int) -> list:
    """The Rasa events one guide turn appends to a tracker."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered

    now = time.time()
    ranking = [{"name": name, "confidence": round(0.9 / (i + 1), 4)} for i, name in enumerate(INTENTS)]
    parse_data = {"intent": ranking[0], "entities": [], "intent_ranking": ranking, "text": f"第{turn}个问题要什么材料"}
    response = rasa_response(turn)
    events = [UserUttered(f"第{turn}个问题要什么材料", ranking[0], [], parse_data, timestamp=now,
                          input_channel="rest", message_id=f"m{turn}"),
              ActionExecuted("action_guide", policy="RulePolicy", confidence=1.0, timestamp=now)]
    events += [SlotSet(e["name"], e["value"], timestamp=now) for e in response["events"]]
    message = response["responses"][0]
    events.append(BotUttered(message["text"], {"custom": message["custom"]}, timestamp=now))
    events.append(ActionExecuted("action_listen", policy="RulePolicy", confidence=1.0, timestamp=now))
    return events
