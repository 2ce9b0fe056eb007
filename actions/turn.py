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

from actions import complaints, context
from actions.bundle_flow import answer_bundle, bundle_item_named
from actions.deps import Catalog
from actions.dialogue import interpreter as moves
from actions.dialogue.choosing import (
    alternatives_of,
    by_action_named,
    by_distinct_words,
    by_evidence,
    by_object_word,
    by_qualifier,
    clearly_ahead,
    first_time_variant,
    life_event,
    names_a_service,
    names_item,
    offered,
    names_no_object,
    offered_codes,
    shared_topic,
    shares_a_word,
    topic_menu,
    variants_tied,
    without,
)
from actions.dialogue.interpreter import Move, aspects_in, aspects_outside_names, clauses_of, interpret, residue
from actions.dialogue.state import DialogueState, Option
from actions.dialogue.words import (ABOUT_ANOTHER, ALSO_THE_SAME, APPLICATION_NUMBER, EARLIER, ASKING_NOW, DOCUMENT_NEEDED, INFORMATION_WISH,
                                   QUALIFIERS, QUESTION_CUES,
                                   SITUATION, TOLD_SITUATION, WANTS_A_SERVICE, WISHES, WRONG_DONE,
                                   UNHELD_FACTS)
from actions.location import window_links
from actions.recall import discussed_named, same_kind_named
from actions.guide_flow import UNHELD, answer, ask_which_item, not_found, offer_choices
from answers.templates import say
from knowledge.errors import ItemNotFoundError
from knowledge.name_parts import split_name
from knowledge.normalize import compact
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
        answered=bool(tracker.get_slot("answered")), failed_turns=int(tracker.get_slot("failed_turns") or 0),
        discussed=tuple(_options(catalog, context.items_discussed(tracker))))


def _options(catalog: Catalog, codes: list[str]) -> list[Option]:
    options = []
    for code in codes:
        try:
            options.append(Option(code, catalog.item_name(code)))
        except ItemNotFoundError:
            options.append(Option(code, ""))
    return options


def handle(dispatcher: CollectingDispatcher, catalog: Catalog, tracker: Tracker, *,
           fallback: Fallback | None = None, feedback_store=None) -> Events:
    state = state_of(tracker, catalog)
    intent = context.latest_intent(tracker)
    raw, text = context.latest_text(tracker), context.question_text(tracker)
    if not text and raw.strip() and not APPLICATION_NUMBER.search(raw):  # only an ID or a phone: what is it for?
        move = Move(moves.UNCLEAR)
    else:
        move = interpret(state, raw, intent=intent, names_item=lambda words: names_item(catalog, words))
    if move.kind == moves.PROGRESS and intent == "query_progress":
        # the progress route found a guide question beside the number ("编号CQ… 先不管进度 结婚要预约不"):
        # it is answered as one, never dropped
        move = interpret(state, text, intent=intent, names_item=lambda words: names_item(catalog, words))
        if move.kind == moves.PROGRESS:
            move = Move(moves.QUESTION, text=text)
    # a told wrong is a complaint whatever the search finds; the classifier's complaint alone is not,
    # when the message asks about a service the catalog names (actions.complaints)
    move = complaints.settle(move, raw, intent, lambda: interpret(
        state, raw, intent=None, names_item=lambda words: names_item(catalog, words)), catalog, bool(state.item_code))
    asked = context.INTENT_ASPECTS.get(intent or "")
    if not move.aspects and asked and asked != "overview" and move.kind in (moves.QUESTION, moves.ASPECT):
        move = replace(move, aspects=(asked,))  # the words name no aspect: the classifier's is the best guess
    if move.agent:  # an agent's summary is about a service, whatever the classifier filed it as
        fallback = None
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
        dispatcher.utter_message(text=say("reply.handoff"), json_message={"type": "handoff", "reason": "user_request"})
        return [SlotSet("answered", False)]
    if move.kind == moves.PICK:
        return _pick(dispatcher, catalog, tracker, state, move, district, fallback)
    if move.kind == moves.NONE_OF_THEM:
        dispatcher.utter_message(text=say("reply.none_of_them"))
        return [SlotSet("choices", None), SlotSet("pending_aspect", None), SlotSet("answered", False)]
    if move.kind == moves.ORDINAL_OUT_OF_RANGE:
        dispatcher.utter_message(text=say("reply.ordinal_out_of_range", count=len(state.options)))
        return []
    if move.kind == moves.ORDINAL_WITHOUT_MENU:
        dispatcher.utter_message(text=say("reply.ordinal_without_menu"))
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
        dispatcher.utter_message(text=say("reply.cancel"))
        return [SlotSet("answered", False)]
    if move.kind in (moves.THANKS, moves.GREET, moves.GOODBYE):
        response = {moves.THANKS: "utter_thanks", moves.GREET: "utter_greet", moves.GOODBYE: "utter_goodbye"}[move.kind]
        dispatcher.utter_message(response=response)
        return [SlotSet("answered", False)]
    if move.kind == moves.OFF_TOPIC:  # what the out-of-scope action says, whatever the classifier chose
        dispatcher.utter_message(response="utter_out_of_scope", json_message={"type": "handoff", "reason": "out_of_scope"})
        return [SlotSet("answered", False)]
    if move.kind == moves.COMPLAINT:
        return complaint(dispatcher, catalog, tracker, state, move)
    if move.kind == moves.DISTRICT:
        return _district(dispatcher, catalog, tracker, state, district)
    if move.kind == moves.UNCLEAR:
        if fallback is not None:
            return fallback(dispatcher, tracker, None)
        if state.item_name:
            dispatcher.utter_message(text=say("reply.which_aspect", item=state.item_name))
            return []
        return ask_which_item(dispatcher, move.district)
    if moves.COMPLAINT in move.notes and move.kind == moves.QUESTION and catalog.search(move.text).decision != ANSWER:
        return complaint(dispatcher, catalog, tracker, state, move)  # the question beside it names no item clearly
    if move.kind == moves.ASPECT:
        events = follow_up(dispatcher, catalog, tracker, state, move, district)
    else:
        events = question(dispatcher, catalog, tracker, state, move, district, fallback)
    if moves.COMPLAINT in move.notes:  # a complaint with a question: the answer, then where to complain
        dispatcher.utter_message(text=say("reply.complaint"))
    return events


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
        result = catalog.search(context.question_text(tracker))
        if (result.decision == ANSWER and result.best and result.best.code not in {o.code for o in state.options}
                and result.best.score >= WEAK_PICK_BEATEN_AT):
            return question(dispatcher, catalog, tracker, state, Move(moves.QUESTION, text=context.question_text(tracker)),
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
    dispatcher.utter_message(text=say("reply.all_listed" if state.has_topic else "reply.no_topic"))
    return []


def _feedback(dispatcher, tracker, state, move, store) -> Events:
    if store is None:
        from actions.deps import default_feedback

        store = default_feedback()
    store.record(tracker.sender_id, state.item_code, state.aspect, bool(move.useful))
    if move.useful:
        dispatcher.utter_message(text=say("reply.feedback_useful"))
    else:
        dispatcher.utter_message(text=say("reply.feedback_useless"))
    return [SlotSet("answered", False)]


def complaint(dispatcher, catalog, tracker, state, move) -> Events:
    """Complaints and suggestions go to 12345 and, for the item being discussed, its supervision phone."""
    text = say("reply.complaint")
    phone = _supervision_phone(catalog, state, move.text)
    if phone:
        text += "\n" + say("reply.complaint_supervision", item=state.item_name, phone=phone)
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
        dispatcher.utter_message(text=say("reply.district_unknown"))
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
        earlier = discussed_named(catalog, state, move.text) if EARLIER.search(compact(move.text)) else None
        if earlier is not None and earlier != state.item_code:  # "之前说的养老那个收费不": an earlier item, pointed back to
            return answer_item(dispatcher, catalog, tracker, earlier, aspects, district)
        other = same_kind_named(catalog, state, move.text)
        if other is not None:  # "那台湾的呢" after 港澳通行证: the same question about the same kind of thing
            return answer_item(dispatcher, catalog, tracker, other, aspects, district)
        if "still" in move.notes:  # "终止营业了还需要补吗": whether the item on the table still applies, no sibling
            return answer_item(dispatcher, catalog, tracker, state.item_code, aspects, district)
        if "situation" in move.notes:  # "我是租房子的，要带啥": the situation may point to a sibling item
            situated = _situated_sibling(catalog, state, move.text)
            return answer_item(dispatcher, catalog, tracker, situated or state.item_code, aspects, district)
        sibling = _sibling_for_what_happened(catalog, state, move.text) or _sibling_named(catalog, state, move.text)
        return answer_item(dispatcher, catalog, tracker, sibling or state.item_code, aspects, district)
    if state.bundle_code and residue(move.text):  # "办医保那项要带啥" inside a bundle: one of its items
        result = catalog.search(residue(move.text), top=10)  # the item's words, not "手机上" (电子凭证)
        named = bundle_item_named(result, [o.code for o in state.options])
        if named:
            return answer_item(dispatcher, catalog, tracker, named, move.aspects or ("overview",), district)
    if state.menu_pending and not state.item_code:
        names = "\n".join(say("reply.option", number=i, name=o.name) for i, o in enumerate(state.options, 1))
        dispatcher.utter_message(text=say("reply.which_item_first", options=names))
        return [SlotSet("pending_aspect", move.aspect)] if move.aspect else []
    if state.bundle_code:  # "要多久" / "在哪办" right after a bundle: the bundle answer holds both
        return answer_bundle(dispatcher, catalog, state.bundle_code, district)
    return ask_which_item(dispatcher, move.district)


def question(dispatcher, catalog, tracker, state, move, district, fallback) -> Events:
    """A message that names an item: search, then answer first (alternatives listed), a menu only on a tie."""
    text = move.text or context.question_text(tracker)
    masked = without_documents_asked(catalog, text)
    if masked != text:  # "结婚登记还要户口本不": 户口本 is a material of 结婚登记, which is what is asked
        text, move = masked, replace(move, aspects=move.aspects or ("materials",))
    recalled = discussed_named(catalog, state, text) if not move.correction else None
    if recalled is not None:  # "刚才那个身份证要好久", "通行证的呢": the item of that object discussed before
        aspects = move.aspects or ((state.aspect,) if state.aspect else ("overview",))
        return answer_item(dispatcher, catalog, tracker, recalled, aspects, move.district or district)
    inside = list(tracker.get_slot("choices") or []) if state.bundle_code else []
    result = catalog.search(text, top=10 if inside else 5)
    asked = asked_part(text) if result.decision != ANSWER else None
    if asked is not None:  # "之前办过社保卡 现在想问医保怎么转": the story before it confused the search
        narrowed = catalog.search(asked, top=10 if inside else 5)
        if narrowed.decision == ANSWER:
            text, result = asked, narrowed
    if result.decision != ANSWER or remedy_wished(text):
        untold = without_a_told_clause(catalog, text, wrongs_only=result.decision == ANSWER)
        if untold is not None:  # "我的护照过期了 出国的计划也变了 还换不换 要带啥": one told clause confused it
            text, result = untold[0], catalog.search(untold[0], top=10 if inside else 5)
    district = move.district or result.district or district
    names = [n for c in offered(result)[:3] for n in (c.matched, c.name, split_name(c.name).object)]
    aspects = aspects_outside_names(text, move.aspects, names) or ("overview",)
    reported = _complaint_item_asked(result, text)
    if reported is not None:  # "举报…可以匿名不": what complaining takes is asked, whatever else the words name
        return answer_item(dispatcher, catalog, tracker, reported, aspects, district)
    situated = _situation_within_topic(catalog, state, move, text)
    if situated is not None:  # "我是租房子的" after 住房公积金提取: the 租赁住房 one
        return answer_item(dispatcher, catalog, tracker, situated, (state.aspect,) if state.aspect else aspects, district)
    told = _situation_for_current_action(catalog, state, move, text)
    if told is not None:  # "我是租房子的 想取来交房租" after or under 住房公积金提取 items: the 租赁住房 one
        pending = tracker.get_slot("pending_aspect") if state.menu_pending else None
        return answer_item(dispatcher, catalog, tracker, told, move.aspects or ((pending,) if pending else aspects),
                           district)
    scoped = _within_topic(catalog, state, move, text)
    if scoped is not None:  # "到期了要换那个" under a 身份证 menu, "不是 我是要挂失" after 社会保障卡申领
        pending = tracker.get_slot("pending_aspect") if state.menu_pending else None
        return answer_item(dispatcher, catalog, tracker, scoped, move.aspects or ((pending,) if pending else aspects),
                           district)
    switched = _action_carried_over(catalog, state, move, text)
    if switched is not None:  # "不对 我是个体户" after 公司变更登记: the object is new, the action is not
        return answer_item(dispatcher, catalog, tracker, switched, aspects if aspects != ("overview",) else
                           ((state.aspect,) if state.aspect else aspects), district)
    carried = _object_carried_over(catalog, state, move, text, result)
    if carried is not None:  # "挂失了还要补办 咋个弄" about 社会保障卡: the action is new, the object is not
        return answer_item(dispatcher, catalog, tracker, carried, aspects, district)
    if UNHELD_FACTS.search(text):  # "产假多少天": no item's field answers it, whatever the search found
        held = aspects_beside_unheld(text)
        if result.decision == ANSWER and result.bundle is None and held:
            # "失业金每个月能领好多，在哪里申请": the amount is not in the guide, the place is
            dispatcher.utter_message(text=say("reply.amount_not_held"))
            return answer_item(dispatcher, catalog, tracker, result.best.code, held, district)
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
    topic = topic_menu(result, text, bool(move.aspects))
    if topic and not move.correction:  # "居住证的事情": which of them?
        return offer_choices(dispatcher, topic, aspects[0]) + ([SlotSet("district", district.name)] if district else [])
    qualified = by_qualifier(result, text)
    if qualified is not None and (result.decision == ANSWER or fallback is None or _most_confident(result, qualified)):
        return answer_pick(dispatcher, catalog, tracker, result, qualified, aspects, district)
    acted = by_action_named(result, text)
    if acted is not None:  # "教师资格证要换发不": the action named picks within the object's family
        return answer_pick(dispatcher, catalog, tracker, result, acted, aspects, district)
    distinct = by_distinct_words(result, text)
    if distinct is not None:  # "公积金贷款提前还款": the phrase only one name holds decides
        return answer_pick(dispatcher, catalog, tracker, result, distinct, aspects, district)
    object_named = by_object_word(result, text, lambda code: _department_of(catalog, code))
    if object_named is not None:  # "满六十了 退休要咋个办": 退休 is the object, the age only a situation
        return answer_pick(dispatcher, catalog, tracker, result, object_named, aspects, district)
    variants = variants_tied(result, text) if not move.correction else []
    asks = bool(move.aspects) and move.aspects != ("overview",)  # an object alone ("残疾人证") gets its menu
    first = first_time_variant(variants, text) if asks else None
    if first is not None:  # "出生证明在哪开": nothing happened to one, so it is the first issue
        return answer_pick(dispatcher, catalog, tracker, result, first, aspects, district)
    if variants:  # "运动员等级证": 二级 or 三级? the message does not say
        return offer_choices(dispatcher, variants, aspects[0]) + ([SlotSet("district", district.name)] if district else [])
    if result.decision == ANSWER:
        return answer_item(dispatcher, catalog, tracker, result.best.code, aspects, district,
                           alternatives=alternatives_of(result))
    about_current = (state.item_code and not move.correction and result.decision != ANSWER and fallback is None
                     and len(residue(text)) <= 3 and not ABOUT_ANOTHER.search(text))
    if result.decision == CHOOSE and names_no_object(result, text) and not about_current:
        return fallback(dispatcher, tracker, result) if fallback is not None else not_found(
            dispatcher, result, float(state.failed_turns))  # "申请专利": only 申请 is shared with the names
    ahead = clearly_ahead(result, text) if result.decision == CHOOSE else None
    if ahead is not None:  # answer first, whatever the classifier guessed; the others are listed under it
        return answer_pick(dispatcher, catalog, tracker, result, ahead, aspects, district)
    short = len(residue(text)) <= FOLLOW_UP_MAX_CORE
    if state.item_code and result.decision == CHOOSE and state.item_code in offered_codes(result) and short:
        return answer_item(dispatcher, catalog, tracker, state.item_code, aspects, district)  # the item discussed fits
    noise = not any(c.matched for c in offered(result))  # no name or alias in the message: it names no item
    left = residue(text)
    if about_current and noise:
        return answer_item(dispatcher, catalog, tracker, state.item_code, aspects, district)
    if result.decision == CHOOSE:
        options = by_evidence(offered(result))
        if len(options) == 1:
            return answer_item(dispatcher, catalog, tracker, options[0].code, aspects, district)
        events = offer_choices(dispatcher, options, aspects[0])
        return events + ([SlotSet("district", district.name)] if district else [])
    if state.item_code and len(left) <= 2 and not move.correction:
        return answer_item(dispatcher, catalog, tracker, state.item_code, aspects, district)
    if fallback is not None:
        return fallback(dispatcher, tracker, result)
    return not_found(dispatcher, result, float(state.failed_turns))


def answer_pick(dispatcher, catalog, tracker, result: SearchResult, pick, aspects, district) -> Events:
    """The item picked among the search's candidates answered, the others it offers listed under it."""
    return answer_item(dispatcher, catalog, tracker, pick.code, aspects, district,
                       alternatives=[c for c in offered(result) if c.code != pick.code])


def _department_of(catalog: Catalog, code: str) -> str | None:
    try:
        return catalog.item(code).department
    except ItemNotFoundError:
        return None


def _most_confident(result: SearchResult, candidate) -> bool:
    """The search is surer of this candidate than of any other it offers (a qualifier's pick stands
    even when the classifier filed the message as small talk)."""
    return all(candidate.confidence >= c.confidence for c in offered(result))


def asked_part(text: str) -> str | None:
    """What follows the last "想问/请问/问一下" that has words before it, or None."""
    last = None
    for match in ASKING_NOW.finditer(text):
        if compact(text[:match.start()]) and compact(text[match.end():]):
            last = match
    return text[last.end():] if last else None


TOLD_CLAUSE_SURE = 0.6  # the search's confidence in the best item once the told clause is set aside


def remedy_wished(text: str) -> bool:
    """Somebody's wrong told in one clause and a service wished in another ("包工头拖欠工资 我想申请仲裁 要带啥"):
    the wish is what is asked, even when the wrong's words lead the search to another item (投诉举报)."""
    clauses = clauses_of(text)
    wrongs = [c for c in clauses if WRONG_DONE.search(compact(c))]
    return bool(wrongs) and any(WISHES.search(compact(c)) or INFORMATION_WISH.search(c) for c in clauses if c not in wrongs)


def _complaint_item_asked(result: SearchResult, text: str) -> str | None:
    """A question about complaining itself (`interpreter.asks_about_complaining`) whose search put another item
    first ("举报餐馆卫生差 能匿名不" → a food licence): the complaint item the search ranks highest, if it listed one."""
    if not moves.asks_about_complaining(text) or result.bundle is not None:
        return None
    listed = [c for c in result.candidates if moves.names_complaining(c.name)]
    if not listed or (result.best is not None and result.best.code == listed[0].code):
        return None
    return listed[0].code


def without_a_told_clause(catalog: Catalog, text: str, wrongs_only: bool = False) -> tuple[str, SearchResult] | None:
    """The question without one clause that only tells something ("出国的计划也变了", "老板不给我买社保"),
    when the whole message leaves the search undecided and, without that clause, the search is sure
    (answers, confidence ≥ TOLD_CLAUSE_SURE) of an item it already listed for the whole message: a
    remark or a wrong told beside a question outweighed the words naming the item. A clause tells when
    it asks no aspect, has no question word and wishes nothing; what is kept must still ask."""
    clauses = clauses_of(text)
    if len(clauses) < 2:
        return None
    whole = catalog.search(text, top=10)
    # a clause holding words of what the whole message found ("驾驶证即将到期" beside 驾驶证…换证) names the item
    found = {n[i:i + 2] for c in whole.candidates[:3] for n in (c.name, c.matched or "") for i in range(len(n) - 1)}
    if wrongs_only:  # the search was sure, but of what the wrong's words name: only the wrong is set aside
        told = [i for i, c in enumerate(clauses) if WRONG_DONE.search(compact(c)) and not WISHES.search(compact(c))]
    else:
        told = [i for i, c in enumerate(clauses) if not _clause_asks(c)
                and not {compact(c)[k:k + 2] for k in range(len(compact(c)) - 1)} & found]
    if not told or len(told) == len(clauses):
        return None
    listed = {c.code for c in whole.candidates}
    best: tuple[float, str, SearchResult] | None = None
    for i in told:
        kept = "，".join(c for j, c in enumerate(clauses) if j != i)
        if len(residue(kept)) < 2:
            continue
        narrowed = catalog.search(kept, top=5)
        top = narrowed.best
        if (narrowed.decision == ANSWER and top is not None and top.code in listed
                and not _shared_action(narrowed)
                and not (wrongs_only and whole.best is not None and top.code == whole.best.code)
                and top.confidence >= TOLD_CLAUSE_SURE and (best is None or top.confidence > best[0])):
            best = (top.confidence, kept, narrowed)
    return (best[1], best[2]) if best else None


def _shared_action(result: SearchResult) -> bool:
    """The words name an action several objects share ("想补缴": 住房公积金补缴 and 社会保险费补缴 score alike):
    the object was in the clause set aside, so it cannot be."""
    return len(result.candidates) > 1 and result.candidates[1].score >= REMEDY_ALONE * result.candidates[0].score


REMEDY_ALONE = 0.7  # a wished service names one item by itself when the next scores under this share of it


def _clause_asks(clause: str) -> bool:
    bare = compact(clause)
    return bool([a for a in aspects_in(clause) if a != "overview"] or QUESTION_CUES.search(bare)
                or WISHES.search(bare) or WANTS_A_SERVICE.search(bare) or ASKING_NOW.search(bare))


def without_documents_asked(catalog: Catalog, text: str) -> str:
    """The question without the documents it asks whether to bring, when what is left still names
    an item ("上户口要带结婚证不" → "上户口"); the text unchanged otherwise."""
    masked = DOCUMENT_NEEDED.sub("，", text)
    if masked == text or not compact(masked).strip("，"):
        return text
    named = catalog.search(masked).decision == ANSWER or names_item(catalog, compact(masked))
    return masked if named else text


def aspects_beside_unheld(text: str) -> tuple[str, ...]:
    """The aspects asked in the clauses that do not ask an unheld fact: "失业金能领好多，在哪里申请"
    → department; "产假有多少天" → none (its 多少天 asks the leave itself)."""
    clauses = [c for c in clauses_of(text) if not UNHELD_FACTS.search(c)]
    return tuple(a for a in aspects_in("，".join(clauses)) if a != "overview") if clauses else ()


TOPIC_MAX_RESIDUE = 4  # "到期了要换那个", "我是要挂失": a few words that only make sense within the topic


def _within_topic(catalog: Catalog, state: DialogueState, move: Move, text: str) -> str | None:
    """The item a short reply means within the topic on the table: under a menu, one of its
    options; in a correction, another item of the current item's object. None otherwise."""
    if len(residue(text)) > TOPIC_MAX_RESIDUE:
        return None
    if state.menu_pending and state.options:
        topic = shared_topic([o.name for o in state.options])
        allowed = {o.code for o in state.options}
    elif move.correction and state.item_name:
        topic = shared_topic([state.item_name])
        allowed = None
    else:
        return None
    if not topic or topic in text:
        return None
    # a correction keeps the current action with the object ("说错了 是买的房子" after 租赁住房提取住房公积金:
    # 购买自住住房提取, not 住房公积金 loans); without it when the action is what was corrected
    actions = " ".join(split_name(state.item_name).actions) if move.correction and state.item_name else ""
    for query in ([f"{topic} {actions} {text}"] if actions else []) + [f"{topic} {text}"]:
        result = catalog.search(query)
        best = result.best if result.decision == ANSWER else (
            _confident_lead([c for c in offered(result) if topic in c.name]) if move.correction else None)
        if best is None or best.code == state.item_code:
            continue
        if allowed is not None and best.code not in allowed:
            continue
        if topic in best.name:
            return best.code
    return None


CORRECTION_MIN_CONFIDENCE, CORRECTION_LEAD = 0.3, 1.5


def _confident_lead(candidates):
    """The candidate the search is surest of when it is sure enough and well ahead of the next one
    ("房子是买的" within 住房公积金提取: 购买自住住房 at 0.55 against 0.27), else None."""
    ranked = sorted(candidates, key=lambda c: c.confidence, reverse=True)
    if not ranked or ranked[0].confidence < CORRECTION_MIN_CONFIDENCE:
        return None
    if len(ranked) > 1 and ranked[0].confidence < CORRECTION_LEAD * ranked[1].confidence:
        return None
    return ranked[0]


SITUATION_MAX_RESIDUE = 6


def _situation_within_topic(catalog: Catalog, state: DialogueState, move: Move, text: str) -> str | None:
    """Another item of the current item's object that the asker's situation points to ("我是租房子的"
    after 与单位终止劳动关系提取住房公积金): the catalog searched with the object in front, the
    candidate of that object the search is surest of. None when nothing of the kind is said."""
    if not state.item_name or move.correction or state.menu_pending or not SITUATION.match(compact(text)):
        return None
    if (move.aspects and move.aspects != ("overview",)) or len(residue(text)) > SITUATION_MAX_RESIDUE:
        return None
    return _situated_sibling(catalog, state, text)


SITUATION_MIN_CONFIDENCE = 0.3


def _situation_for_current_action(catalog: Catalog, state: DialogueState, move: Move, text: str) -> str | None:
    """The item of the topic on the table (the current item's object, or the menu's shared one) that
    a situation told with the topic's action points to: "我是退休了想取" under 住房公积金提取 items tells
    why (退休) and wants the same action (取 of 提取) without naming another object. The catalog is
    searched with the topic in front; its surest candidate of the topic, well ahead, is taken."""
    names = [o.name for o in state.options] if state.menu_pending else [state.item_name] if state.item_name else []
    if not names or move.correction or not TOLD_SITUATION.match(compact(text)):
        return None
    topic = shared_topic(names) if len(names) > 1 else split_name(names[0]).object
    if not topic or len(topic) < 2 or topic in text:
        return None
    verbs = {char for name in names for action in split_name(name).actions for char in action}
    if not verbs & set(compact(text)):
        return None
    allowed = {o.code for o in state.options} if state.menu_pending else None
    fitting = [c for c in offered(catalog.search(f"{topic} {text}"))
               if topic in c.name and (allowed is None or c.code in allowed)]
    best = _confident_lead(fitting)
    return best.code if best is not None else None  # the current item itself when the situation is its own


def _situated_sibling(catalog: Catalog, state: DialogueState, text: str) -> str | None:
    """The item of the current item's object that the asker's situation points to, when the search
    with the object in front is surest of another one; None to stay on the current item."""
    topic = split_name(state.item_name or "").object
    if len(topic) < 2:
        return None
    fitting = [c for c in offered(catalog.search(f"{topic} {text}")) if topic in c.name]
    if not fitting:
        return None
    best = max(fitting, key=lambda c: c.confidence)
    return best.code if best.code != state.item_code and best.confidence >= SITUATION_MIN_CONFIDENCE else None


def _object_carried_over(catalog: Catalog, state: DialogueState, move: Move, text: str,
                         result: SearchResult) -> str | None:
    """An item of the current item's object when the message names an action but no object:
    the search's best names no alias in it and shares no character of its object with it."""
    best = result.best
    if not state.item_name or move.correction or best is None or best.matched or result.bundle is not None:
        return None
    if set(split_name(best.name).object) & set(compact(text)):
        return None
    topic = split_name(state.item_name).object
    if len(topic) < 2 or topic in text:
        return None
    scoped = catalog.search(f"{topic} {text}")
    if scoped.decision != ANSWER or scoped.best is None or topic not in scoped.best.name:
        return None
    if _word_outside(residue(text), scoped.best.name):
        return None  # "那申请专利呢": 专利 is an object of its own, which the catalog does not hold
    return scoped.best.code


CORRECTED_OBJECT_MAX_RESIDUE = 6
ALSO_SURE = 0.8  # an object said short ("医保" of 基本医疗保险) shares no word with the name: the search must be sure


def _action_carried_over(catalog: Catalog, state: DialogueState, move: Move, text: str) -> str | None:
    """In a correction that names only another object ("不对 我是个体户" after 公司变更登记), the item of
    that object with the current item's action: the catalog searched with the action added, its best
    when its object shares a word with the message and its action a character with the current one."""
    also = bool(ALSO_THE_SAME.search(text))  # "医保的也能转不" after 养老保险关系转移接续: the same action, another object
    if not (move.correction or also) or not state.item_name or len(residue(text)) > CORRECTED_OBJECT_MAX_RESIDUE:
        return None
    current = split_name(state.item_name)
    if not current.actions or not current.object or current.object in text:
        return None
    if any(cue.search(text) for cue, _markers in QUALIFIERS) or any(a in text for a in current.actions):
        return None  # what happened is said anew: the search reads it
    scoped = catalog.search(f"{text} {' '.join(current.actions)}")
    best = scoped.best
    if scoped.decision != ANSWER or best is None or best.code == state.item_code:
        return None
    found = split_name(best.name)
    if not set(found.action) & set(current.action) or not (
            shares_a_word(found.object, compact(text)) or (also and best.confidence >= ALSO_SURE)):
        return None
    return best.code



def _word_outside(words: str, name: str) -> bool:
    """Two characters in a row that the name does not hold: the message names something of
    its own beside the action (a single one is a particle or a verb's other half: 补办, 到期)."""
    run = 0
    for char in words:
        run = run + 1 if char not in name else 0
        if run >= 2:
            return True
    return False


def _sibling_for_what_happened(catalog: Catalog, state: DialogueState, text: str) -> str | None:
    """"补办咋个弄" after 社会保障卡挂失: the item of the same object named for what the message
    says happened (补 for 补办), when the current item's name is not."""
    for cue, markers in QUALIFIERS:
        said = cue.search(text)
        if not said:
            continue
        markers = tuple(m for m in markers if m in said.group(0)) or markers  # "补办" asks 补, not 挂失
        topic = split_name(state.item_name or "").object
        if any(marker in (state.item_name or "") for marker in markers) or len(topic) < 2:
            return None
        fitting = [c for c in offered(catalog.search(f"{topic} {text}"))
                   if topic in c.name and any(marker in c.name for marker in markers)]
        return fitting[0].code if fitting else None
    return None


def _sibling_named(catalog: Catalog, state: DialogueState, text: str) -> str | None:
    """"挂失要几天" after 社会保障卡补领: the item of the same object whose name holds the words the
    follow-up adds and the current name does not."""
    left = residue(text)
    name = state.item_name or ""
    topic = split_name(name).object
    if not left or set(left) <= set(name) or len(topic) < 2:
        return None
    scoped = catalog.search(f"{topic} {text}")
    best = scoped.best
    if scoped.decision != ANSWER or best is None or best.code == state.item_code or topic not in best.name:
        return None
    return best.code if set(left) <= set(best.name) else None


def fact_not_held(dispatcher: CollectingDispatcher) -> Events:
    dispatcher.utter_message(
        text=say("reply.policy_not_held"), json_message={"type": "not_found", "reason": "fact_not_held"})
    return [SlotSet("answered", False)]


