"""Cards for the app channel: the guide and progress payloads the actions attach, checked
against their facts and against the published schemas in docs/app-api.yaml."""
from __future__ import annotations

import asyncio
from functools import lru_cache
from pathlib import Path

import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.guide import ActionAnswerGuide, ActionSetDistrict
from knowledge.records import Implementation, Item, Window
from actions.progress import ActionProgressAnswer, ActionProgressPick
from tests.actions.conftest import FakeCatalog, run, slots_of, tracker
from tests.actions.test_progress_actions import (  # noqa: F401
    DOMAIN,
    KEY,
    NUMBER,
    RIGHT,
    Conversation,
    FakePlatform,
    pick_tracker,
    signed,
)
from tests.actions.test_progress_actions import tracker as progress_tracker

API_DOCUMENT = Path(__file__).resolve().parents[2] / "docs" / "app-api.yaml"
CODE = "500A9900010000"


@lru_cache(maxsize=None)
def validator(component: str):
    import jsonschema_rs

    document = yaml.safe_load(API_DOCUMENT.read_text(encoding="utf-8"))
    schema = {"$ref": f"#/components/schemas/{component}", "components": document["components"]}
    return jsonschema_rs.Draft202012Validator(schema)


def assert_conforms(instance, component: str) -> None:
    errors = [f"{list(e.instance_path)}: {e.message}" for e in validator(component).iter_errors(instance)]
    assert not errors, errors


def test_guide_card_for_a_district_has_its_department_window_and_every_fact(catalog):
    messages, _ = run(ActionAnswerGuide(catalog), tracker("渝北区测试证在哪办", "ask_department"))
    card = messages[0]["custom"]["card"]
    assert_conforms(card, "GuideCard")
    assert card["item"]["code"] == CODE and card["item"]["name"] == "测试许可证核发"
    assert (card["district"], card["district_needed"], card["district_note"]) == ("渝北区", False, None)
    assert card["region"] == {"code": "500112", "name": "渝北区", "is_example": False}
    assert card["department"]["body"] == "重庆市渝北区测试局"
    assert card["department"]["windows"][0]["address"] == "渝北区政务服务中心二楼测试窗口"
    assert card["department"]["windows"][0]["hours"] == "周一至周五 9:00-17:00"
    assert card["materials"][0] == {"name": "居民身份证", "required": True, "condition": None, "form": "原件",
                                    "copies": 1, "medium": "纸质或电子", "source": "申请人自备", "waived": False,
                                    "notes": None}
    assert card["materials"][1]["required"] is False and card["materials"][1]["condition"] == "委托他人办理的"
    assert card["material_counts"] == {"total": 2, "required": 1, "conditional": 1, "waived": 0}
    assert [(s["step"], s["name"], s["time_limit"]) for s in card["flow"]] == [(1, "申请", "即时"), (2, "审查", "3个工作日")]
    assert card["time_limit"] == {"promised": "5个工作日", "statutory": "20个工作日"}
    assert card["fee"]["charged"] is False and card["fee"]["summary"] == "不收费"
    assert card["online"]["url"] == "https://zwykb.cq.gov.cn/" and card["online"]["trips"] == 0
    assert card["verified"] == "2026-10-01" and card["demonstration"] is True


def test_guide_card_without_the_district_says_it_is_needed_then_follows_the_district(catalog):
    messages, events = run(ActionAnswerGuide(catalog), tracker("测试证在哪办", "ask_department"))
    card = messages[0]["custom"]["card"]
    assert_conforms(card, "GuideCard")
    assert card["district_needed"] is True and "区县" in card["district_note"]
    assert card["region"]["code"] == "500000" and card["department"]["body"] == "重庆市测试局"
    messages, _ = run(ActionSetDistrict(catalog), tracker("江北区", "inform_district", slots_of(events)))
    card = messages[0]["custom"]["card"]
    assert card["district"] == "江北区" and card["district_needed"] is False
    assert card["department"]["body"] == "重庆市江北区测试局"


def district_only_item(fees: tuple[str, str]) -> Item:
    """As an official import holds it: entries for two districts, none for the city."""
    def entry(code: str, name: str, fee: str) -> Implementation:
        return Implementation(region_code=code, body=f"重庆市{name}示例局", fee=fee, fee_detail="每证20元。" if fee == "收费" else None,
                              windows=(Window(address=f"{name}政务服务中心"),), consult_phone=f"023-{code}",
                              online_depth="三级", trips=1)
    return Item(code="500K9800020000", name="示例执照补办", aliases=("补办示例执照",),
                implementations=(entry("500108", "南岸区", fees[0]), entry("500109", "北碚区", fees[1])))


def test_guide_card_without_a_district_never_reads_no_fee_when_fees_differ():
    catalog = FakeCatalog([district_only_item(("收费", "不收费"))])
    for question, intent in (("补办示例执照要钱吗", "ask_fee"), ("补办示例执照在哪办", "ask_department")):
        messages, events = run(ActionAnswerGuide(catalog), tracker(question, intent))
        card, text = messages[0]["custom"]["card"], messages[0]["text"]
        assert_conforms(card, "GuideCard")
        assert card["fee"]["charged"] is None and card["district_needed"] is True and card["region"] is None
        assert "不收费" not in text and "南岸" not in text and "北碚" not in text and "为例" not in text
        assert slots_of(events)["pending_aspect"] == card["aspect"]
    messages, _ = run(ActionSetDistrict(catalog), tracker("北碚区", "inform_district", slots_of(events)))
    card = messages[0]["custom"]["card"]
    assert card["district"] == "北碚区" and card["fee"]["charged"] is False and card["district_needed"] is False


def test_guide_card_without_a_district_shows_the_fee_every_district_shares():
    catalog = FakeCatalog([district_only_item(("收费", "收费"))])
    messages, _ = run(ActionAnswerGuide(catalog), tracker("补办示例执照要钱吗", "ask_fee"))
    card, text = messages[0]["custom"]["card"], messages[0]["text"]
    assert_conforms(card, "GuideCard")
    assert card["fee"] == {"charged": True, "summary": "收费", "detail": "每证20元。", "basis": None}
    assert "收费：每证20元。" in text and card["district_needed"] is False and card["department"] is None


def test_guide_card_holds_the_facts_of_the_text_answer(catalog):
    messages, _ = run(ActionAnswerGuide(catalog), tracker("办测试证要带什么材料", "ask_materials"))
    text, card = messages[0]["text"], messages[0]["custom"]["card"]
    assert_conforms(card, "GuideCard")
    assert all(material["name"] in text for material in card["materials"])
    assert f"信息核验 {card['verified']}" in text and card["aspect"] == "materials"


def test_progress_card_is_masked_and_complete(catalog, lock):
    platform = FakePlatform()
    form = Conversation(catalog, lock, platform).form
    dispatcher = CollectingDispatcher()
    asyncio.run(form.run(dispatcher, progress_tracker(f"{NUMBER} 尾号{RIGHT}"), DOMAIN))
    messages = dispatcher.messages
    card = messages[0]["custom"]["card"]
    assert_conforms(card, "ProgressCard")
    assert card["number"] == "CQ2026****1233" and NUMBER not in str(card)
    assert card["applicant"] == {"name": "张*", "phone": "138****1234"}
    assert (card["stage"], card["stage_name"], card["overdue"], card["overdue_days"]) == ("review", "审查", True, 3)
    assert [s["status"] for s in card["timeline"]] == ["done", "done", "current", "pending", "pending"]
    assert card["promised_date"] == "2026-05-21" and card["body"]["name"] == "重庆市渝北区测试局"
    assert card["submitted_at"] == "2026-05-14T09:00:00+08:00"  # RFC 3339, as `format: date-time` says


def test_a_verified_app_user_gets_the_list_as_data_without_being_asked(catalog, lock):
    sender = "app:demo-app-user-001"
    client = FakePlatform()
    messages, _ = run(ActionProgressAnswer(catalog, client, lock, identity_key=KEY),
                      progress_tracker("我的办件到哪了", channel="app", sender=sender,
                                       metadata=signed("demo-app-user-001", sender)))
    assert client.calls == [("app", "demo-app-user-001")]
    custom = messages[0]["custom"]
    assert custom["type"] == "progress_list" and len(custom["applications"]) == 2
    assert_conforms({"type": "progress_list", "text": messages[0]["text"], "applications": custom["applications"]},
                    "ProgressListMessage")
    assert all(a["number"] == "CQ2026****1233" for a in custom["applications"])
    assert [a["overdue"] for a in custom["applications"]] == [False, True]


def test_the_card_of_one_picked_application_conforms(catalog):
    messages, _ = run(ActionProgressPick(catalog, FakePlatform(), identity_key=KEY), pick_tracker("第2个"))
    assert_conforms(messages[0]["custom"]["card"], "ProgressCard")
