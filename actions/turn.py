"""One turn of the conversation: read the state, interpret the message, carry it out.

Every action of the guide (whatever intent the classifier chose) runs `handle`, so a
follow-up, a menu reply or a side intent is decided by actions.dialogue.interpreter on
its own cues and the dialogue state; only a message that names a new item is searched.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import context
from actions.bundle_flow import answer_bundle, bundle_item_named
from actions.deps import Catalog
from actions.dialogue import interpreter as moves
from actions.dialogue.choosing import (
    alternatives_of,
    by_qualifier,
    clearly_ahead,
    life_event,
    names_a_service,
    names_item,
    offered,
    offered_codes,
    without,
)
from actions.dialogue.interpreter import Move, interpret, residue
from actions.dialogue.state import DialogueState, Option
from actions.dialogue.words import UNHELD_FACTS
from actions.location import window_links
from actions.guide_flow import UNHELD, answer, ask_which_item, not_found, offer_choices
from knowledge.errors import ItemNotFoundError
from knowledge.regions import Region, load_regions
from knowledge.search import ANSWER, CHOOSE, SearchResult

Events = list[dict[str, Any]]
# Called when a question names nothing the catalog knows; the default says so.
Fallback = Callable[[CollectingDispatcher, Tracker, SearchResult | None], Events]
WEAK_PICK_BEATEN_AT = 0.8  # a clear new item beats a pick guessed from a few characters
FOLLOW_UP_MAX_CORE = 4


def state_of(tracker: Tracker, catalog: Catalog) -> DialogueState:
    """The dialogue state from the slots; option names from the catalog (the menu's words)."""
    choices = list(tracker.get_slot("choices") or [])
    bundle = tracker.get_slot("bundle_code")
    item = tracker.get_slot("item_code")
    codes = choices if choices else list(tracker.get_slot("alternatives") or [])
    return DialogueState(
        item_code=item, item_name=tracker.get_slot("item_name"), aspect=tracker.get_slot("aspect"),
        district=tracker.get_slot("district"), options=tuple(_options(catalog, codes)),
        menu_pending=bool(choices) and not bundle and not item, bundle_code=bundle,
        answered=bool(tracker.get_slot("answered")), failed_turns=int(tracker.get_slot("failed_turns") or 0))


def _options(catalog: Catalog, codes: list[str]) -> list[Option]:
    options = []
    for code in codes:
        try:
            options.append(Option(code, catalog.item(code).name))
        except ItemNotFoundError:
            options.append(Option(code, ""))
    return options


def handle(dispatcher: CollectingDispatcher, catalog: Catalog, tracker: Tracker, *,
           fallback: Fallback | None = None, feedback_store=None) -> Events:
    state = state_of(tracker, catalog)
    intent = context.latest_intent(tracker)
    move = interpret(state, context.latest_text(tracker), intent=intent, names_item=lambda words: names_item(catalog, words))
    asked = context.INTENT_ASPECTS.get(intent or "")
    if not move.aspects and asked and asked != "overview" and move.kind in (moves.QUESTION, moves.ASPECT):
        move = replace(move, aspects=(asked,))  # the words name no aspect: the classifier's is the best guess
    events = carry_out(dispatcher, catalog, tracker, state, move, fallback=fallback, feedback_store=feedback_store)
    events += window_links(dispatcher, catalog, tracker, events)  # "最近的窗口在哪": map links (actions.location)
    return changed_only(tracker, events)


def changed_only(tracker: Tracker, events: Events) -> Events:
    """The last value set for each slot, only where it changes, then the other events: every
    event is stored in the tracker, and most turns re-set slots to what they already hold."""
    slots: dict[str, dict[str, Any]] = {}
    others = []
    for event in events:
        if event.get("event") == "slot":
            slots.pop(event["name"], None)
            slots[event["name"]] = event
        else:
            others.append(event)
    return [e for name, e in slots.items() if tracker.get_slot(name) != e["value"]] + others


def carry_out(dispatcher: CollectingDispatcher, catalog: Catalog, tracker: Tracker, state: DialogueState, move: Move,
              *, fallback: Fallback | None = None, feedback_store=None) -> Events:
    district = move.district or _remembered(state)
    if move.kind == moves.HANDOFF:
        dispatcher.utter_message(text="好的，正在为您转接人工服务，请稍候。您也可以直接拨打 12345 政务服务便民热线（24小时）。",
                                 json_message={"type": "handoff", "reason": "user_request"})
        return [SlotSet("answered", False)]
    if move.kind == moves.PICK:
        return _pick(dispatcher, catalog, tracker, state, move, district, fallback)
    if move.kind == moves.NONE_OF_THEM:
        dispatcher.utter_message(text="好的。请换个说法说说您要办的事，比如事情的经过或证件名称，我再帮您找。")
        return [SlotSet("choices", None), SlotSet("pending_aspect", None), SlotSet("answered", False)]
    if move.kind == moves.ORDINAL_OUT_OF_RANGE:
        dispatcher.utter_message(text=f"请回复 1 到 {len(state.options)} 之间的序号，或者直接说事项名称；都不是可以直接说。")
        return []
    if move.kind == moves.ORDINAL_WITHOUT_MENU:
        dispatcher.utter_message(text="现在没有待选的列表。请直接说您要办的事项，比如“补办身份证要带什么”。")
        return []
    if move.kind == moves.MORE:
        return more(dispatcher, catalog, tracker, state, district)
    if move.kind == moves.PROGRESS:
        if context.latest_intent(tracker) == "query_progress":
            return []
        return [FollowupAction("progress_form")]
    if move.kind == moves.FEEDBACK:
        return _feedback(dispatcher, tracker, state, move, feedback_store)
    if move.kind == moves.CANCEL:  # outside a form (the form's own rule handles "算了" inside it)
        dispatcher.utter_message(text="好的，这件事先放一放。还有别的事可以随时问我。")
        return [SlotSet("answered", False)]
    if move.kind in (moves.THANKS, moves.GREET, moves.GOODBYE):
        response = {moves.THANKS: "utter_thanks", moves.GREET: "utter_greet", moves.GOODBYE: "utter_goodbye"}[move.kind]
        dispatcher.utter_message(response=response)
        return [SlotSet("answered", False)]
    if move.kind == moves.COMPLAINT:
        return complaint(dispatcher, catalog, tracker, state, move)
    if move.kind == moves.DISTRICT:
        return _district(dispatcher, catalog, tracker, state, district)
    if move.kind == moves.UNCLEAR:
        if fallback is not None:
            return fallback(dispatcher, tracker, None)
        if state.item_name:
            dispatcher.utter_message(text=f"您想了解「{state.item_name}」的哪方面？可以问材料、在哪办、流程、要多久、收费、能否网上办。")
            return []
        return ask_which_item(dispatcher, move.district)
    if move.kind == moves.ASPECT:
        return follow_up(dispatcher, catalog, tracker, state, move, district)
    return question(dispatcher, catalog, tracker, state, move, district, fallback)


def _remembered(state: DialogueState) -> Region | None:
    return load_regions().resolve(state.district) if state.district else None


def answer_item(dispatcher: CollectingDispatcher, catalog: Catalog, tracker: Tracker, code: str, aspects,
                district: Region | None, offset: int = 0, alternatives=()) -> Events:
    """An item's guide (one message per aspect asked); inside a bundle its items stay on offer."""
    aspects = tuple(a for a in (aspects if isinstance(aspects, (tuple, list)) else (aspects,)) if a) or ("overview",)
    footer_shown = list(tracker.get_slot("footer_items") or [])
    events: Events = []
    for index, aspect in enumerate(aspects[:2]):
        events += answer(dispatcher, catalog, code, aspect, district, offset, footer_shown=footer_shown,
                         alternatives=alternatives if index == len(aspects[:2]) - 1 else ())
        footer_shown.append(code)
    choices = list(tracker.get_slot("choices") or []) if tracker.get_slot("bundle_code") else []
    if code in choices:
        events.append(SlotSet("choices", choices))
    else:
        events.append(SlotSet("bundle_code", None))
    return events


def _pick(dispatcher, catalog, tracker, state, move, district, fallback) -> Events:
    code = state.options[move.pick - 1].code
    if not move.strong and move.text == "":
        result = catalog.search(context.latest_text(tracker))
        if (result.decision == ANSWER and result.best and result.best.code not in {o.code for o in state.options}
                and result.best.score >= WEAK_PICK_BEATEN_AT):
            return question(dispatcher, catalog, tracker, state, Move(moves.QUESTION, text=context.latest_text(tracker)),
                            district, fallback)
    pending = tracker.get_slot("pending_aspect") if state.menu_pending else state.aspect
    aspects = move.aspects or ((pending,) if pending else ()) or ("overview",)
    return answer_item(dispatcher, catalog, tracker, code, aspects, district)


def more(dispatcher, catalog, tracker, state, district) -> Events:
    """"更多": the next page of a long material list or bundle reply."""
    offset = tracker.get_slot("material_offset")
    if state.item_code and offset:
        return answer_item(dispatcher, catalog, tracker, state.item_code, "materials", district, int(offset))
    bundle_offset = tracker.get_slot("bundle_offset")
    if state.bundle_code and not state.item_code and bundle_offset:
        return answer_bundle(dispatcher, catalog, state.bundle_code, district, int(bundle_offset))
    dispatcher.utter_message(text="已经全部列出了。还可以问我在哪办、要多久、收费吗。" if state.has_topic
                             else "请先告诉我您要办理的事项，例如“开公司要什么材料”。")
    return []


def _feedback(dispatcher, tracker, state, move, store) -> Events:
    if store is None:
        from actions.deps import default_feedback

        store = default_feedback()
    store.record(tracker.sender_id, state.item_code, state.aspect, bool(move.useful))
    if move.useful:
        dispatcher.utter_message(text="感谢您的反馈！还有其他要办的事可以继续问我。")
    else:
        dispatcher.utter_message(text="抱歉没能帮上忙，您的反馈已记录。可以换个说法再问，或者说“转人工”，也可以拨打 12345 热线。")
    return [SlotSet("answered", False)]


def complaint(dispatcher, catalog, tracker, state, move) -> Events:
    """Complaints and suggestions go to 12345 and, for the item being discussed, its supervision phone."""
    text = ("您反映的情况我们已收到。投诉、举报和建议请拨打 12345 政务服务便民热线，"
            "或在“渝快办”APP的“投诉建议”中提交，会有专人受理并答复。")
    phone = _supervision_phone(catalog, state, move.text)
    if phone:
        text += f"\n如与「{state.item_name}」的办理有关，也可拨打监督投诉电话 {phone}。"
    dispatcher.utter_message(text=text, json_message={"type": "handoff", "reason": "complaint"})
    return [SlotSet("failed_turns", 0.0), SlotSet("answered", False)]


def _supervision_phone(catalog: Catalog, state: DialogueState, text: str) -> str | None:
    if not state.item_code:
        return None
    best = catalog.search(text).best
    if best is None or best.code != state.item_code:
        return None
    try:
        item = catalog.item(state.item_code)
    except ItemNotFoundError:
        return None
    district = _remembered(state)
    impl = item.implementation_for(district.code if district else None)
    return impl.supervision_phone if impl else None


def _district(dispatcher, catalog, tracker, state, district) -> Events:
    """"渝北区的呢": the pending or last aspect of the current item there, or the bundle there."""
    if district is None:
        dispatcher.utter_message(text="请告诉我具体的区县名称，例如“渝北区”“江北区”“两江新区”。")
        return []
    if state.item_code:
        aspect = tracker.get_slot("pending_aspect") or state.aspect or "department"
        return answer_item(dispatcher, catalog, tracker, state.item_code, aspect, district)
    if state.bundle_code:
        return answer_bundle(dispatcher, catalog, state.bundle_code, district)
    return ask_which_item(dispatcher, district)


def follow_up(dispatcher, catalog, tracker, state, move, district) -> Events:
    """An aspect of the item being discussed ("要钱不", "网上能办不", "在哪儿办 我在江北")."""
    if UNHELD_FACTS.search(move.text) and state.item_code:
        return answer_item(dispatcher, catalog, tracker, state.item_code, UNHELD, district)
    if state.item_code:
        aspects = move.aspects or ((state.aspect,) if state.aspect else ("overview",))
        return answer_item(dispatcher, catalog, tracker, state.item_code, aspects, district)
    if state.bundle_code and residue(move.text):  # "办医保那项要带啥" inside a bundle: one of its items
        result = catalog.search(move.text, top=10)
        named = bundle_item_named(result, [o.code for o in state.options])
        if named:
            return answer_item(dispatcher, catalog, tracker, named, move.aspects or ("overview",), district)
    if state.menu_pending and not state.item_code:
        names = "\n".join(f"{i}. {o.name}" for i, o in enumerate(state.options, 1))
        dispatcher.utter_message(text=f"请先告诉我是哪一项（回复序号或名称），我再告诉您：\n{names}")
        return [SlotSet("pending_aspect", move.aspect)] if move.aspect else []
    if state.bundle_code:  # "要多久" / "在哪办" right after a bundle: the bundle answer holds both
        return answer_bundle(dispatcher, catalog, state.bundle_code, district)
    return ask_which_item(dispatcher, move.district)


def question(dispatcher, catalog, tracker, state, move, district, fallback) -> Events:
    """A message that names an item: search, then answer first (alternatives listed), a menu only on a tie."""
    text = move.text or context.latest_text(tracker)
    inside = list(tracker.get_slot("choices") or []) if state.bundle_code else []
    result = catalog.search(text, top=10 if inside else 5)
    district = move.district or result.district or district
    aspects = move.aspects or ("overview",)
    if UNHELD_FACTS.search(text):  # "产假多少天": no item's field answers it, whatever the search found
        if result.decision == ANSWER and result.bundle is None:
            return answer_item(dispatcher, catalog, tracker, result.best.code, UNHELD, district)
        return fact_not_held(dispatcher)
    named = bundle_item_named(result, inside)
    if named and not (result.decision == ANSWER and result.best.code not in inside) and not move.correction:
        return answer_item(dispatcher, catalog, tracker, named, aspects, district)
    bundle = life_event(catalog, text, result, bool(move.aspects) and move.aspects != ("overview",))
    if bundle and not (move.correction and result.decision == ANSWER):
        return answer_bundle(dispatcher, catalog, bundle, district)
    if fallback is not None and not names_a_service(result, text):
        return fallback(dispatcher, tracker, result)  # filed as small talk and names no service clearly
    if move.correction and state.item_code and result.best and result.best.code == state.item_code:
        result = without(result, state.item_code)  # "不是这个": not the item just answered
    qualified = by_qualifier(result, text)
    if qualified is not None and (result.decision == ANSWER or fallback is None):
        return answer_item(dispatcher, catalog, tracker, qualified.code, aspects, district,
                           alternatives=[c for c in offered(result) if c.code != qualified.code])
    if result.decision == ANSWER:
        return answer_item(dispatcher, catalog, tracker, result.best.code, aspects, district,
                           alternatives=alternatives_of(result))
    ahead = clearly_ahead(result, text) if result.decision == CHOOSE else None
    if ahead is not None and fallback is None:  # answer first; the others are listed under the answer
        return answer_item(dispatcher, catalog, tracker, ahead.code, aspects, district,
                           alternatives=[c for c in offered(result) if c.code != ahead.code])
    short = len(residue(text)) <= FOLLOW_UP_MAX_CORE
    if state.item_code and result.decision == CHOOSE and state.item_code in offered_codes(result) and short:
        return answer_item(dispatcher, catalog, tracker, state.item_code, aspects, district)  # the item discussed fits
    noise = not any(c.matched for c in offered(result))  # no name or alias in the message: it names no item
    left = residue(text)
    if (state.item_code and not move.correction and result.decision != ANSWER and noise and fallback is None
            and len(left) <= 3 and not text.rstrip("?？ ").endswith("呢")):
        return answer_item(dispatcher, catalog, tracker, state.item_code, aspects, district)
    if result.decision == CHOOSE:
        options = offered(result)
        if len(options) == 1:
            return answer_item(dispatcher, catalog, tracker, options[0].code, aspects, district)
        events = offer_choices(dispatcher, options, aspects[0])
        return events + ([SlotSet("district", district.name)] if district else [])
    if state.item_code and len(left) <= 2 and not move.correction:
        return answer_item(dispatcher, catalog, tracker, state.item_code, aspects, district)
    if fallback is not None:
        return fallback(dispatcher, tracker, result)
    return not_found(dispatcher, result, float(state.failed_turns))


def fact_not_held(dispatcher: CollectingDispatcher) -> Events:
    dispatcher.utter_message(
        text="抱歉，办事指南目录里没有这项信息（目录只有办事材料、地点、流程、时限、收费和网上办理）。"
             "这类政策问题请拨打 12345 政务服务便民热线咨询。",
        json_message={"type": "not_found", "reason": "fact_not_held"})
    return [SlotSet("answered", False)]


