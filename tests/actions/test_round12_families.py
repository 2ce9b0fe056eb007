"""Round 12 (conv10): remarks beside a question, a party's consent asked, a correction telling where the firm
or home is, a clause that only tells set aside when it confuses the search, a remedy wished beside a told
wrong, a death and what to do about it, a change told then whether the current item still applies. The
wordings are written for these tests (none is a sealed or development dialogue turn); the interpreter
alone, then through actions.turn with the demonstration catalog."""
from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue import interpreter as m
from actions.dialogue.interpreter import interpret
from actions.dialogue.state import DialogueState
from actions.turn import handle, remedy_wished
from knowledge.importer import read_sources
from knowledge.service import DEMO_CATALOG
from tests.actions.conftest import FakeCatalog, FakeFeedback

ITEM = DialogueState(item_code="I1", item_name="住房公积金补缴", aspect="overview", answered=True)
NOTHING = DialogueState()


@pytest.fixture(scope="module")
def demo() -> FakeCatalog:
    sources = read_sources(sorted(DEMO_CATALOG.glob("*.yml")))
    return FakeCatalog(sources.items, sources.bundles)


def payloads(catalog, text: str, slots: dict | None = None, intent: str = "nlu_fallback") -> list[dict]:
    tracker = Tracker.from_dict({
        "sender_id": "round12-test", "slots": slots or {},
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []},
        "events": [], "paused": False, "followup_action": None, "active_loop": {}, "latest_action_name": "action_listen"})
    dispatcher = CollectingDispatcher()
    handle(dispatcher, catalog, tracker, feedback_store=FakeFeedback())
    return [p["custom"] for p in dispatcher.messages if isinstance(p.get("custom"), dict)]


def head(found: list[dict]) -> tuple[str | None, str]:
    shown = [p for p in found if p.get("type") in ("guide", "choices", "bundle", "handoff", "not_found")]
    if not shown:
        return None, ""
    first = shown[0]
    return first.get("type"), first.get("item_name") or first.get("bundle_name") or ""


# --- remarks on the asker's mood or trouble -------------------------------------------------------------

@pytest.mark.parametrize("text, aspect", [
    ("头都大了 要带些啥", "materials"), ("唉 网上弄得成不", "online"), ("懒得跑了 能寄过来不", "online"),
    ("要好久嘛 急死人了", "time_limit"), ("辛苦你了 收费不", "fee"),
])
def test_a_remark_beside_a_follow_up_leaves_the_follow_up(text, aspect):
    move = interpret(ITEM, text)
    assert move.kind == m.ASPECT and aspect in move.aspects, move


@pytest.mark.parametrize("text", [
    "恼火得很 户口本搞丢了 补一本要好多钱", "本来都不想弄了 但是还是想问下 护照在哪办", "气死人了 驾照过期了咋个换",
])
def test_a_remark_in_front_of_a_question_is_no_complaint(text):
    move = interpret(NOTHING, text, intent="complain")
    assert move.kind == m.QUESTION, move
    assert not any(word in move.text for word in ("恼火", "不想弄", "气死")), move


@pytest.mark.parametrize("text", [
    "楼上天天半夜蹦迪 烦死了 你们管一下", "烦死了 隔壁装修吵了一个月", "气死人了 窗口的人态度差得很",
])
def test_a_remark_beside_a_wrong_stays_a_complaint(text):
    assert interpret(NOTHING, text).kind == m.COMPLAINT


def test_words_that_only_look_like_remarks_are_kept():
    move = interpret(NOTHING, "服了兵役的人能落户不")
    assert move.kind == m.QUESTION and "服了兵役" in move.text, move


# --- another party's stamp, signature or consent ---------------------------------------------------------

@pytest.mark.parametrize("text", ["要单位盖个章不", "需要房东签字吗", "得业委会同意不嘛", "要不要老板出具证明"])
def test_a_party_s_consent_is_a_condition_of_the_current_item(text):
    move = interpret(ITEM, text, names_item=lambda words: words in {"单位", "老板", "房东"})
    assert move.kind == m.ASPECT and move.aspects and move.aspects[0] in ("conditions", "materials"), move


# --- a correction telling where the firm or the home is --------------------------------------------------

@pytest.mark.parametrize("text, district", [
    ("不对 厂子在綦江", "綦江区"), ("搞错了 我们门面是开在大足的", "大足区"), ("说错了 我是在合川上班", "合川区"),
])
def test_a_correction_telling_where_is_a_district(text, district):
    move = interpret(ITEM, text)
    assert move.kind in (m.DISTRICT, m.ASPECT) and move.district is not None and move.district.name == district, move


# --- a change told, then whether the current item still applies ------------------------------------------

@pytest.mark.parametrize("text", ["我已经退休了 还能补不", "单位倒闭了 那还要补吗", "人都离职了还可以办不"])
def test_a_change_told_then_still_asked_stays_on_the_current_item(text):
    move = interpret(ITEM, text, names_item=lambda words: True)
    assert move.kind == m.ASPECT and move.aspects == ("conditions",) and "still" in move.notes, move


def test_a_life_event_after_a_change_is_not_still_asked():
    assert interpret(ITEM, "孩子出生了 要办啥", names_item=lambda words: True).kind == m.QUESTION


def test_a_change_then_still_asked_answers_the_item_on_the_table(demo):
    code = demo.search("社会保障卡补领、换领、换发").best.code
    slots = {"item_code": code, "item_name": "社会保障卡补领、换领、换发", "aspect": "materials", "answered": True}
    kind, name = head(payloads(demo, "后来又在抽屉里翻到了 还要补不", slots))
    assert kind == "guide" and name.startswith("社会保障卡补领"), (kind, name)


# --- told clauses and wrongs beside a wish ---------------------------------------------------------------

def test_a_remedy_wished_beside_a_wrong():
    assert remedy_wished("工头一直拖欠工钱 想去申请劳动仲裁 要些啥材料")
    assert not remedy_wished("拖欠工资怎么投诉")


@pytest.mark.parametrize("text, item", [
    ("工头一直拖欠工钱 想去申请劳动仲裁 要些啥材料", "劳动人事争议仲裁申请"),
    ("我的驾驶证过期了 最近心情也不好 还换得了不 要带啥", "驾驶证有效期满换证"),
])
def test_a_clause_that_only_tells_does_not_take_the_question(demo, text, item):
    kind, name = head(payloads(demo, text))
    assert kind == "guide" and item in name, (kind, name)


@pytest.mark.parametrize("text", ["公司好几年没给我交社保 我能不能自己补上", "公司没给我交医保 我个人能参保不"])
def test_an_employer_s_wrong_beside_enrolling_is_a_question(demo, text):
    assert head(payloads(demo, text))[0] == "guide"


def test_the_object_told_beside_an_action_is_kept(demo):
    """"我自己能不能补交" alone would find 住房公积金补缴: the told clause holds the object and is not set aside."""
    found = payloads(demo, "厂里前几年没给我买社保 我自己能不能补交")
    names = [p.get("item_name") for p in found if p.get("type") == "guide"] + [
        o["item_name"] for p in found if p.get("type") == "choices" for o in p["options"]]
    assert names and not any("住房公积金" in n for n in names[:1]) and any("社会保险费补缴" in n for n in names), names


# --- a death and what to do about it ---------------------------------------------------------------------

# The search may be sure of 死亡注销户口 from the death words alone: that is not an item asked (choosing.life_event).
@pytest.mark.parametrize("text", ["我妈前几天过世了 她的医保社保这些咋个办", "老汉儿走了 他那些证件咋处理",
                                  "屋头老人走了 他那些本本证件咋个弄"])
def test_a_death_and_what_to_do_reaches_the_bundle(demo, text):
    kind, name = head(payloads(demo, text))
    assert kind == "bundle" and "身后" in name, (kind, name)


def test_a_death_and_one_item_asked_is_the_item(demo):
    kind, name = head(payloads(demo, "我爸过世了 他的户口咋个注销"))
    assert kind == "guide" and "死亡注销户口" in name, (kind, name)


# --- what happened picks within the family: generic words of an object's name do not name it ------------

@pytest.mark.parametrize("text, item", [
    ("来电人称其公司营业执照上的信息变了，询问办理变更要多长时间", "公司变更登记"),
    ("养的狗主人信息变了 要去改不", "养犬变更登记"),
])
def test_generic_words_of_an_object_do_not_name_it(demo, text, item):
    kind, name = head(payloads(demo, text))
    assert kind == "guide" and item in name, (kind, name)


# --- a request taken back by its object ("不问社保了 …"), then a new one (session 15, found at merge) -------

@pytest.mark.parametrize("text, item", [
    ("算了 不问医保了 问下居住证在哪里办", "居住证申领"),
    ("先不补身份证了 户口本咋个补", "居民户口簿补领"),
    ("不查公积金了，社保卡掉了咋个补", "社会保障卡"),
])
def test_a_request_taken_back_by_its_object_leaves_the_new_one(demo, text, item):
    kind, name = head(payloads(demo, text))
    assert kind == "guide" and item in name, (kind, name)


def test_a_request_taken_back_alone_is_a_cancel(demo):
    assert head(payloads(demo, "不问公积金了")) == (None, "")
