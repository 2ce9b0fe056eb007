"""What a message does in the conversation it arrives in.

`interpret(state, text)` runs before any catalog search. Order, strongest first: a
request for a person; a reply to a pending menu (number, ordinal, name, "都不是");
progress; courtesy words in front of a question are dropped ("谢谢 那网上能办不"); a
message that is only feedback, thanks, a greeting, a goodbye or a cancel; a complaint
(complaint cues and no question); a correction ("不是这个，是…"); a follow-up that asks an
aspect or names a district of the current item; and only then a new question. Agents'
summaries ("来电人咨询…，所在区县为…") lose their framing and keep the district.

The NLU intent is a hint at most: a side intent needs its own cue here, whatever the
classifier said.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from actions.dialogue import words as w
from actions.dialogue.life_events import asks_for_bundle
from actions.dialogue.options import Pick, is_ordinal, pick_option
from actions.dialogue.state import DialogueState
from knowledge.normalize import compact, normalize
from knowledge.regions import Region, RegionIndex, load_regions

# Kinds of move.
PICK, NONE_OF_THEM, ORDINAL_WITHOUT_MENU = "pick", "none_of_them", "ordinal_without_menu"
ASPECT, DISTRICT, QUESTION, MORE = "aspect", "district", "question", "more"
FEEDBACK, THANKS, GREET, GOODBYE, CANCEL = "feedback", "thanks", "greet", "goodbye", "cancel"
HANDOFF, COMPLAINT, PROGRESS, UNCLEAR = "handoff", "complaint", "progress", "unclear"
ORDINAL_OUT_OF_RANGE, OFF_TOPIC = "ordinal_out_of_range", "off_topic"
SIDE_KINDS = (FEEDBACK, THANKS, GREET, GOODBYE, CANCEL, HANDOFF, COMPLAINT)

FOLLOW_UP_MAX_RESIDUE = 2  # "娃儿", "拿到": left over after aspect words and particles, names no item
SHORT_MESSAGE = 12  # greetings, thanks, feedback and cancels are short; longer ones are questions first
MORE_WORDS = ("更多", "还有呢", "还有吗", "继续", "下一页", "后面的", "其余的", "剩下的", "还有没得", "还有没有", "接着说")


@dataclass(frozen=True)
class Move:
    """What the message does. `text` is what a search should read (framing and courtesy removed)."""

    kind: str
    text: str = ""
    aspects: tuple[str, ...] = ()
    district: Region | None = None
    pick: int | None = None
    strong: bool = True  # a pick from a few characters of a name is weak: a clear new question beats it
    useful: bool | None = None
    correction: bool = False
    agent: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def aspect(self) -> str | None:
        return self.aspects[0] if self.aspects else None


def interpret(state: DialogueState, text: str, regions: RegionIndex | None = None,
              intent: str | None = None, names_item: Callable[[str], bool] | None = None) -> Move:
    """`names_item(words)` says whether a few words left after the question words name a catalog
    item or life event ("护照" does, "娃儿" does not); without it, short leftovers are follow-ups."""
    regions = regions or load_regions()
    raw = respelled(normalize(text))
    body, agent_district, agent = strip_agent_frame(raw, regions)
    district, rest = regions.find_in_text(body)
    district = district or agent_district
    bare = compact(rest)
    if not compact(body):
        return Move(THANKS if not raw else QUESTION, text=raw)
    if agent and all(w.AGENT_CLOSING.fullmatch(clause) for clause in clauses_of(body)):
        return Move(THANKS, text=body)  # "来电人表示已清楚，无其他诉求": the call ends

    if _is_handoff(bare):
        return Move(HANDOFF, text=body)
    if state.options and state.menu_pending:
        move = _menu_reply(state, body, district)
        if move is not None:
            return move
        if is_ordinal(body):
            return Move(ORDINAL_OUT_OF_RANGE, text=body)
    elif state.options:  # a bundle's items stay on offer after one was opened
        pick = pick_option(body, state.options)
        if pick is not None and pick.index and pick.exact:
            return _picked(pick, district)
    if is_ordinal(body) and not state.options:
        return Move(ORDINAL_WITHOUT_MENU, text=body)
    if bare in MORE_WORDS or bare.rstrip("呢吗嘛") in MORE_WORDS:
        return Move(MORE, text=body)
    if w.APPLICATION_NUMBER.search(raw) or (any(cue in bare for cue in w.PROGRESS_CUES)
                                           and not asks_about_complaining(body)):
        return Move(PROGRESS, text=body)  # where a complaint's progress is seen is asked of the complaint items

    closing = _closing(body)
    if closing is not None:  # "要得 没得事了 拜拜", "明白了 多谢多谢": the conversation is closed, nothing asked
        return Move(closing, text=body)
    body = without_identifiers(body)
    body, courtesy = _strip_courtesy(body)
    body, remarked = _strip_side_remarks(body)
    if remarked:
        body, courtesy = _strip_courtesy(body)[0], courtesy or THANKS
    unretracted = body
    body, retracted = _strip_retraction(body)
    if retracted:  # "算了 不问了": every clause takes a request back
        return Move(CANCEL, text=body)
    if body != unretracted and _courtesy_only(body):  # "不用了 谢谢"
        return Move(THANKS, text=body)
    district_again, rest = regions.find_in_text(body)
    district = district or district_again
    bare = compact(rest)
    if not bare and not district:
        return Move(courtesy or THANKS, text=raw)
    instead = complaint_set_aside(body)
    if instead is not None and "的是" in body and (state.has_topic or state.options):
        return _correction(state, instead, district, regions)  # "不满意 我想问的是离职提取": what was meant
    beside = question_beside_complaint(body, names_item) if instead is None else None
    if instead is not None or beside is not None:
        # "投诉的事先放一边 问下劳动仲裁要带啥": the question asked instead; "我要投诉 办个身份证跑了三趟
        # 到底要带啥子": the question asked beside the complaint (answered, the hotline offered with it)
        body = instead if instead is not None else beside
        district_again, rest = regions.find_in_text(body)
        district = district or district_again
    else:
        side = _side_intent(state, bare, intent, asked=remarked or "?" in body or "？" in body, text=body)
        if side is not None:
            return side
    near = w.LIVES_NEAR.match(body)
    after = body[near.end():] if near else ""
    far = w.DISTANCE_TOLD.match(after) if near else None
    after = after[far.end():] if far else after  # "…旁边 离派出所远得很 能在附近办不": how far is told too
    asked_after = residue(after)
    if (len(asked_after) >= 2 or (far and state.has_topic)) \
            and (names_item is None or names_item(asked_after) or aspects_in(after)):
        # "我在渝北区公积金中心旁边住，想问下身份证…": the office there is a place; what follows names the item
        body = after
        rest = regions.find_in_text(body)[1]
    correction = w.CORRECTION_CUES.match(body)
    if correction and correction.end() > 0 and (state.has_topic or state.options):  # nothing said yet: a question
        return _correction(state, body[correction.end():], district, regions)
    move = _question(state, body, rest, district, agent, names_item)
    if beside is not None and move.kind != QUESTION and not _names_current(state, beside):
        return Move(COMPLAINT, text=compact(unretracted))  # beside a complaint only a question naming its item is answered
    return replace(move, notes=move.notes + (COMPLAINT,)) if beside is not None else move


def respelled(text: str) -> str:
    """The text with input-method and dialect spellings of aspect words respelled ("要好就" → "要好久",
    "网上能半不" → "网上能办不", "要本人切不" → "要本人去不"): typed by sound, read by meaning."""
    for pattern, replacement in w.RESPELLINGS:
        text = pattern.sub(replacement, text)
    return text


def names_complaining(name: str) -> bool:
    """An item's name is about complaints or reports (the complaint items of the catalog)."""
    return bool(w.STRONG_COMPLAINT.search(name))


def asks_about_complaining(text: str) -> bool:
    """The message asks about complaining or reporting itself (how, where, what it takes, how long, its
    progress): a question about the complaint items, not a complaint to hand off."""
    if w.ASKS_ABOUT_COMPLAINING.search(compact(text)) or w.ASKS_WHERE_TO_COMPLAIN.search(text):
        return True
    clauses = clauses_of(normalize(text))
    filed = any(w.NARRATED_COMPLAINT.search(c) or w.COMPLAINT_FILED.search(c) for c in clauses)
    for clause in clauses:
        if w.COMPLAINT_NOT_ACTED.search(clause):
            continue
        if filed and w.COMPLAINT_PROGRESS_ASKED.search(clause) and (w.QUESTION_CUES.search(clause)
                                                                   or w.WHERE_SEEN.search(clause)):
            return True  # "投诉了一个多月了 进度在哪里看": the progress of the complaint told before
        if not w.STRONG_COMPLAINT.search(clause):
            continue
        if _asks_complaint_process(clause):
            return True
        after = clauses[clauses.index(clause) + 1:][:1]
        if after and not w.STRONG_COMPLAINT.search(after[0]) and _asks_complaint_process(after[0]) and (
                w.EVIDENCE.search(after[0]) or len(residue(w.COMPLAINT_PROCESS_IF_ASKED.sub("", w.MATERIALS_RE.sub(
                    "", after[0])))) < 2):
            return True  # "举报他们偷排 得准备啥子证据": the clause after the report asks what it takes
    return False


def _asks_complaint_process(clause: str) -> bool:
    return bool(w.COMPLAINT_PROCESS_ASKED.search(clause) or w.WHERE_SEEN.search(clause) or (
        w.COMPLAINT_PROCESS_IF_ASKED.search(clause) and (w.QUESTION_CUES.search(clause) or w.ASKED_EITHER_WAY.search(clause))))


def question_beside_complaint(text: str, names_item: Callable[[str], bool] | None) -> str | None:
    """The clauses of a complaint that ask about a service ("我要投诉 办个身份证跑了三趟 到底要带啥子" →
    "办个身份证跑了三趟，到底要带啥子"): without the clauses holding 投诉/举报 or another complaint cue, what
    is left ends in a question of its own (an aspect asked) and names something beside the story told.
    None when nothing like that is asked, or when complaining itself is asked."""
    if names_item is None or not w.STRONG_COMPLAINT.search(text):
        return None
    if asks_about_complaining(text):
        return None
    asked = [c for c in clauses_of(text) if not w.STRONG_COMPLAINT.search(c)
             and not any(cue in c for cue in w.COMPLAINT_CUES) and not w.GRIEVANCE.search(c)]
    if not asked or not [a for a in aspects_in(asked[-1]) if a != "overview"]:
        return None  # the question comes last, in a clause of its own ("窗口的人态度差" asks nothing)
    words = "，".join(asked)
    named = residue(w.FLOW_RE.sub("", _without_what_happened(words)))  # "营业执照补办跑了两趟": 营业执照
    return words if len(named) >= 2 else None


def _names_current(state: DialogueState, words: str) -> bool:
    """The words name the item being discussed (two characters of its name beside the story told)."""
    named = residue(w.FLOW_RE.sub("", _without_what_happened(words)))
    return bool(state.item_name) and len(set(named) & set(state.item_name)) >= 2


def strip_agent_frame(text: str, regions: RegionIndex) -> tuple[str, Region | None, bool]:
    """"来电人咨询X，所在区县为Y区" → ("X", Y区, True); other text unchanged."""
    frame = w.AGENT_FRAME.match(text)
    district = None
    where = w.AGENT_DISTRICT.search(text)
    if where:
        district = regions.resolve(where.group(1)) or regions.find_in_text(where.group(1))[0]
        if district is not None:
            text = (text[:where.start()] + text[where.end():]).strip()
    if not frame or frame.end() == 0:
        return text, district, False
    body = text[frame.end():]
    body = re.sub(r"^(?:其(?!实(?!际))|他|她)(?=[\u4e00-\u9fff]{2})", "", body)  # "其实想办的是…" keeps its 其实 ("其实际…" does not)
    clauses = [c for c in re.split(r"[，,。；;]+", body) if c.strip()]
    asked = [c for c in clauses if not w.AGENT_HISTORY.search(c)]
    body = w.AGENT_ASKS.sub("", "，".join(asked or clauses))
    return body.strip(" ，,。"), district, True


def aspects_in(text: str) -> tuple[str, ...]:
    """Every aspect the text asks, in family order ("几天能好 收不收钱" → fee, time_limit)."""
    text = w.CANNOT_MANAGE.sub("，", w.OWNER_OF_DOCUMENT.sub("，", w.CHANGED_THING.sub("，", text)))
    text = w.RAN_ABOUT.sub("，", w.ASKER_BUSY.sub("，", text))
    often = bool(w.HOW_OFTEN.search(text))  # "多久检一次": the cycle (conditions), not how long it takes
    text = w.HOW_OFTEN.sub("，", text)
    found = [aspect for aspect, family in w.ASPECT_FAMILIES
             if (often and aspect == "conditions") or any(word in text for word in family)
             or (aspect in _ASPECT_RES and _ASPECT_RES[aspect].search(text))]
    if "materials" in found and len(found) > 1:
        strong = any(word in text for word in dict(w.ASPECT_FAMILIES)["materials"] if word not in w.WEAK_MATERIAL_WORDS)
        if not strong and not w.MATERIALS_RE.search(text):
            found.remove("materials")
    if "conditions" in found and len(found) > 1:
        family = dict(w.ASPECT_FAMILIES)["conditions"]
        strong = any(word in text for word in family if word not in w.WEAK_CONDITION_WORDS)
        if not strong and not often and not w.CONDITIONS_RE.search(text):
            found.remove("conditions")
    if "overview" in found and len(found) > 1:
        found.remove("overview")  # "流程是啥": 是啥 asks what the flow is
    if "flow" in found and len(found) > 1:
        found.remove("flow")  # "怎么" beside "多少钱" asks the fee
    return tuple(found)


# Aspects asked in phrasings a word list cannot hold ("咋个换", "要交些啥子", "喊娃儿帮忙去办").
_ASPECT_RES = {"flow": w.FLOW_RE, "materials": w.MATERIALS_RE, "department": w.OFFICE_HOURS,
               "conditions": re.compile(w.CONDITIONS_RE.pattern + "|" + w.ABLE_TO_RE.pattern)}


def aspects_outside_names(text: str, aspects: tuple[str, ...], names) -> tuple[str, ...]:
    """The aspects asked once the item names in the text are masked: 电子 inside 电子导游证, 电话
    inside a name, 时间 inside 工作时间认定 are part of what is named, not what is asked."""
    masked = text
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        masked = masked.replace(name, "，")
    if masked == text:
        return aspects
    kept = aspects_in(masked)
    dropped = set(aspects_in(text)) - set(kept)
    if not dropped:
        return aspects
    return kept or tuple(a for a in aspects if a not in dropped) or ("overview",)


def residue(text: str) -> str:
    """What is left of a message after aspect words, particles and fillers: what could name an item."""
    rest = w.POINT_BACK.sub("", w.OFFICE_HOURS.sub("", w.EARLIER.sub("", compact(text))))
    rest = w.CONDITIONS_RE.sub("", w.MATERIALS_RE.sub("", w.HOW_OFTEN.sub("", rest)))
    rest = w.AGE_TOLD.sub("", w.RAN_ABOUT.sub("", w.ASKER_BUSY.sub("", w.ABLE_TO_RE.sub("", w.HOUSEHOLD_TOLD.sub("", rest)))))
    for _aspect, family in w.ASPECT_FAMILIES:
        for word in sorted(family, key=len, reverse=True):
            rest = rest.replace(word, "")
    for word in sorted(w.FILLERS + w.PARTICLES + w.PERSONS + ("能否", "可否", "是否", "有没有", "可不可以", "能不能", "多少", "几", "哪些",
                                                  "什么", "啥子", "啥", "咋个", "咋", "怎么", "如何", "些", "呀"),
                       key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest


def _menu_reply(state: DialogueState, body: str, district: Region | None) -> Move | None:
    pick = pick_option(body, state.options)
    if pick is None:
        return None
    if pick.none_of_them:
        return Move(NONE_OF_THEM, text=body)
    return _picked(pick, district)


def _picked(pick: Pick, district: Region | None) -> Move:
    return Move(PICK, text=pick.rest, pick=pick.index, aspects=aspects_in(pick.rest) if pick.rest else (),
                district=district, strong=pick.strong and pick.exact)


def _is_handoff(bare: str) -> bool:
    return any(cue in bare for cue in ("转人工", "人工客服", "人工服务", "找人工", "接人工")) or (
        len(bare) <= SHORT_MESSAGE and any(bare.startswith(cue) or bare.endswith(cue) for cue in w.HANDOFF_CUES))


_COURTESY = sorted(set(w.THANKS + w.GREETINGS), key=len, reverse=True)
_COURTESY_RE = re.compile(r"^(?:" + "|".join(re.escape(c) for c in _COURTESY) + r")(?:[啊呀哈哦啦]|[，,。.!！\s]+|$)")


def _strip_courtesy(body: str) -> tuple[str, str | None]:
    """Leading "谢谢", "好的", "你好", "要得" in front of the real message; which kind came first."""
    kind = None
    while True:
        match = _COURTESY_RE.match(body)
        if not match or match.end() == 0:
            return body.strip(), kind
        word = compact(match.group(0)).rstrip("啊呀哈哦啦")
        if kind is None:
            kind = GREET if word in w.GREETINGS else THANKS
        body = body[match.end():].strip()


def _strip_side_remarks(body: str) -> tuple[str, bool]:
    """"烦死了 社保卡又掉了 补一张要好多钱" → "社保卡又掉了 补一张要好多钱": remarks on the asker's mood or
    trouble (words.SIDE_REMARK) in front of a question, or as clauses of their own beside it, are dropped when
    what is left asks something and tells no complaint ("油烟大得很 烦死了 管一下" stays a complaint).
    (text, whether a remark was dropped)."""
    kept = body
    while True:
        match = w.SIDE_REMARK.match(kept)
        if not match or match.end() == 0:
            break
        kept = kept[match.end():].lstrip(" ，,。.!！；;")
    pieces = re.split(r"([，,。.；;！!？?\s]+)", kept)
    kept = "".join(piece for i, piece in enumerate(pieces)
                   if not (i % 2 == 0 and piece and w.SIDE_REMARK.fullmatch(piece))
                   and not (i % 2 == 1 and i > 0 and pieces[i - 1] and w.SIDE_REMARK.fullmatch(pieces[i - 1])))
    kept = kept.strip(" ，,。；;")
    bare = compact(kept)
    if kept == body.strip() or not bare:
        return body, False
    if (w.STRONG_COMPLAINT.search(bare) or any(cue in bare for cue in w.COMPLAINT_CUES) or w.GRIEVANCE.search(bare)
            or not (w.QUESTION_CUES.search(bare) or w.SERVICE_ASKS.search(bare)
                    or [a for a in aspects_in(kept) if a != "overview"])):
        return body, False
    return kept, True


def _without_what_happened(words: str) -> str:
    for cue, _markers in w.QUALIFIERS:
        words = cue.sub("", words)
    return words


def _strip_retraction(body: str) -> tuple[str, bool]:
    """"算了 先不补了 挂失在哪挂": leading clauses that take back the last request, before a new one.
    (text, whether the message is nothing but such clauses)."""
    rest, clauses = body, 0
    while True:
        match = w.RETRACTION.match(rest)
        if not match or match.end() == 0:
            break
        rest, clauses = rest[match.end():], clauses + 1
    if compact(rest):
        return rest.strip(), False
    return body, clauses > 0


def _closing(text: str) -> str | None:
    """GOODBYE or THANKS when every clause closes the conversation ("要得 没得事了 拜拜", "辛苦了"); None
    otherwise, and for a single feedback word ("明白了" after an answer is feedback, read by the side intents)."""
    said = [compact(c) for c in clauses_of(text)]
    if len(said) == 1 and said[0] in w.FEEDBACK_USEFUL + w.FEEDBACK_USELESS:
        return None
    clauses = [c for c in (re.sub(r"[了啊呀哈哦啦嘛噻嘞的]+$", "", c) for c in said) if c]
    if not clauses or not all(w.CLOSING.fullmatch(c) for c in clauses):
        return None
    return GOODBYE if any(w.GOODBYE_CUE.search(c) for c in clauses) else THANKS


def _courtesy_only(text: str) -> bool:
    """"谢谢你", "好的哈": nothing but courtesy words."""
    return not compact(_strip_courtesy(text)[0]) or compact(text).rstrip("啊呀哈哦啦了") in _COURTESY


def _side_intent(state: DialogueState, bare: str, intent: str | None, asked: bool = False,
                 text: str = "") -> Move | None:
    """Feedback, goodbye, cancel, complaint, off-topic requests — each only on its own cue; `asked`: a question mark,
    `text`: the message with its spaces and punctuation (its clauses)."""
    short = len(bare) <= SHORT_MESSAGE
    core = bare.rstrip("的了啊呀哈哦啦嘛噻")
    core = bare if bare in w.FEEDBACK_USEFUL + w.FEEDBACK_USELESS else core  # "明白了", "清楚了": the word itself ends in 了
    if short and core in w.FEEDBACK_USEFUL + w.FEEDBACK_USELESS:
        if state.answered:
            return Move(FEEDBACK, text=bare, useful=core in w.FEEDBACK_USEFUL)
        return Move(THANKS if core in w.FEEDBACK_USEFUL else QUESTION, text=bare)
    if short and core in w.GOODBYES:
        return Move(GOODBYE, text=bare)
    if short and core in w.GREETINGS:
        return Move(GREET, text=bare)
    if short and (core in w.CANCEL_CUES or bare in w.CANCEL_CUES):
        return Move(CANCEL, text=bare)
    if is_petition(bare):
        return Move(COMPLAINT, text=bare)
    if w.OFF_TOPIC.search(bare) and not w.SERVICE_ASKS.search(bare) and not w.SERVICE_WORDS.search(bare):
        return Move(OFF_TOPIC, text=bare)  # "推荐个好吃的火锅店": nothing the catalog answers
    if w.RECOMMENDATION.search(bare) and not w.SERVICE_ASKS.search(bare):
        return Move(OFF_TOPIC, text=bare)  # "证件照在哪拍得好看": which shop, not which service
    asks = asked or bool(w.QUESTION_CUES.search(bare) or w.SERVICE_ASKS.search(bare))
    strong_cue = any(cue in bare for cue in ("投诉", "举报"))
    cue = any(cue in bare for cue in w.COMPLAINT_CUES)
    asks_complaining = asks_about_complaining(text or bare)
    if strong_cue and not asks_complaining and not _complaint_told_as_context(text or bare):
        return Move(COMPLAINT, text=bare)
    asks = asks or any(w.INFORMATION_WISH.search(c) for c in clauses_of(text or bare))
    if (cue or intent == "complain" or w.GRIEVANCE.search(bare)) and not (asks or asks_complaining):
        return Move(COMPLAINT, text=bare)  # what complaining takes, asked in 重庆话 ("投诉好多天有回复"), is asked too
    return None


def without_identifiers(text: str) -> str:
    """The message without the numbers pasted in it: a person's ID or phone with its label, another
    document's number without the document ("执照号9150… 地址要改" → "营业执照 地址要改")."""
    cleaned = w.DOCUMENT_NUMBER.sub("", w.PERSON_IDENTIFIER.sub("，", text))
    cleaned = re.sub(r"^[，,\s]+|[，,\s]+$", "", re.sub(r"(?:[，,]\s*){2,}", "，", cleaned))
    return cleaned if compact(cleaned) else text


def complaint_set_aside(text: str) -> str | None:
    """What is asked after a complaint word is set aside ("我想投诉的事先放一边 问下劳动仲裁要带啥子"
    → "劳动仲裁要带啥子"): the part after the last explicit asking phrase that follows 投诉/举报,
    when it asks an aspect of a service, names something and carries no complaint cue. None otherwise."""
    strong = [m.end() for m in re.finditer(r"投诉|举报", text)] or [
        text.find(cue) + len(cue) for cue in w.COMPLAINT_CUES if cue in text]  # "不满意 我想问的是离职提取"
    if not strong:
        return None
    asking = [m for m in w.ASKING_INSTEAD.finditer(text) if m.start() >= strong[0]]
    if not asking:
        return None
    asked = text[asking[-1].end():].strip(" ，,。")
    bare = compact(asked)
    if (not bare or any(cue in bare for cue in ("投诉", "举报")) or any(cue in bare for cue in w.COMPLAINT_CUES)
            or w.GRIEVANCE.search(bare) or asks_about_complaining(asked)):
        return None
    naming = "的是" in asking[-1].group(0)  # "我想问的是离职提取": names what is asked, no aspect needed
    if not residue(asked) or not (naming or [a for a in aspects_in(asked) if a != "overview"]):
        return None
    return asked


def clauses_of(text: str) -> list[str]:
    """The clauses of a message, split at punctuation and spaces."""
    return [c for c in re.split(r"[，,。.；;！!？?\s]+", text) if c]


def _aspects_asked(text: str) -> tuple[str, ...]:
    """The aspects of the clauses that ask: a grievance or a past complaint beside a question
    ("我对窗口的服务不满意 但还是要办 营业执照变更要带啥") names a window, it does not ask where one is."""
    clauses = clauses_of(text)
    if asks_about_complaining(text):  # "网上买到假货 投诉得带啥": the aspect is asked of complaining, not of the story
        first = next((i for i, c in enumerate(clauses) if w.STRONG_COMPLAINT.search(c)), 0)
        return aspects_in("，".join(clauses[first:]))
    grievances = [c for c in clauses if w.NARRATED_COMPLAINT.search(c) or any(cue in c for cue in w.COMPLAINT_CUES)]
    if grievances and len(grievances) < len(clauses):
        # the other clauses ask nothing of an aspect: the grievance's words (乱收费 → fee) ask nothing either
        return aspects_in("，".join(c for c in clauses if c not in grievances))
    return aspects_in(text)


def _complaint_told_as_context(text: str) -> bool:
    """"上次投诉过窗口 这回想问居住证要带啥": the complaint is past, the other clauses ask about a service."""
    clauses = clauses_of(text)
    if not any(w.NARRATED_COMPLAINT.search(c) for c in clauses):
        return False
    rest = "，".join(c for c in clauses if not w.NARRATED_COMPLAINT.search(c))
    return any(aspect != "overview" for aspect in aspects_in(rest))


def is_petition(bare: str) -> bool:
    """A complaint or suggestion written as a letter: two petition families (a suggestion
    counts twice), or one in a long statement that asks nothing, and no how-to question
    about a service."""
    if len(bare) < w.PETITION_MIN_LENGTH or w.SERVICE_ASKS.search(bare):
        return False
    hits = sum(1 for _name, family in w.PETITION_FAMILIES if family.search(bare))
    if (hits and len(bare) >= w.REPORT_MIN_LENGTH and not w.QUESTION_CUES.search(bare)
            and not w.WANTS_A_SERVICE.search(bare)):
        return True  # a long statement of a problem that asks nothing and wants nothing done for the writer
    return hits + (2 if w.SUGGESTION_CUES.search(bare) else 0) >= 2


def _correction(state: DialogueState, remainder: str, district: Region | None, regions: RegionIndex) -> Move:
    """"不是护照 是签证" → a new question about 签证; "不对 我想问的是收费" → an aspect;
    "不是换领 是补领" → the current item's name with the word replaced (居民身份证补领)."""
    remainder = remainder.strip(" ，,。")
    said = re.search(r"(?:^|[\s，,])(?:我)?(?:想问的是|想知道的是|要问的是|要办的是|想办的是|要的是|说的是|问的是|是)(?!问)(.+)$", remainder)
    if said:
        negated = compact(remainder[:said.start()])
        remainder = said.group(1)
        new = compact(remainder)
        if negated and new and state.item_name and negated in state.item_name and len(residue(new)) <= 4:
            return Move(QUESTION, text=state.item_name.replace(negated, new, 1),
                        aspects=aspects_in(new) or ((state.aspect,) if state.aspect else ()), district=district,
                        correction=True)
    remainder = re.sub(r"^(?:我)?(?:想问的是|想知道的是|问的是|是问|想问|要问|是)", "", remainder).strip()
    kept = w.NEGATED.sub("，", remainder).strip(" ，,。")
    if compact(kept):  # "是辞职了 不是退休", "丢的是身份证不是户口本": what is not meant is not searched
        remainder = kept
    if not compact(remainder):
        return Move(UNCLEAR, text=remainder, correction=True)
    new_district, rest = regions.find_in_text(remainder)
    district = new_district or district  # "不是江北 是渝北": the district meant, not the one taken back
    if new_district is not None:  # "不对 公司在璧山": where the firm is tells the district, 公司 names no item
        rest = "，".join(c for c in clauses_of(rest) if not w.WHERE_TOLD.fullmatch(compact(c)))
    aspects = aspects_in(rest) or tuple(w.ASPECT_NOUNS[word] for word in (residue(rest),) if word in w.ASPECT_NOUNS)
    if aspects and residue(rest) in w.ASPECT_NOUNS and state.has_topic:  # "我问的是钱 不是时间"
        return Move(ASPECT, text=remainder, aspects=aspects, district=district, correction=True)
    if not residue(rest) and district and not aspects:
        return Move(DISTRICT, text=remainder, district=district, correction=True)
    if not residue(rest) and state.has_topic:
        return Move(ASPECT, text=remainder, aspects=aspects or ((state.aspect,) if state.aspect else ()),
                    district=district, correction=True)
    carried = aspects or ((state.aspect,) if state.aspect else ())
    return Move(QUESTION, text=remainder, aspects=carried, district=district, correction=True)


def _question(state: DialogueState, body: str, rest: str, district: Region | None, agent: bool,
              names_item: Callable[[str], bool] | None) -> Move:
    if state.has_topic and w.DOCUMENT_CHECK.match(compact(rest)):
        return Move(ASPECT, text=body, aspects=("materials",), district=district, agent=agent)
    aspects = _aspects_asked(rest)
    left = residue(rest)
    names = bool(left) and (asks_for_bundle(body) or (names_item is not None and names_item(left)))
    still = _still_asked(state, rest) if state.item_name else None
    if still is not None:  # "我现在又找到工作了 还能领不": a change told, then whether the current item still applies
        return Move(ASPECT, text=body, aspects=still, district=district, agent=agent, notes=("still",))
    pointed = _pointing_back(state, rest, names_item) if state.item_name else None
    if pointed is not None:  # "我是刚来重庆上班的 想办一张": the situation told, then the current document asked for
        return Move(ASPECT, text=body, aspects=pointed, district=district, agent=agent)  # the same document: no sibling
    named = _named_before_pointer(state, rest)
    if named is not None:  # "上牌那个要带啥子", "刚才出生证明那个要好久": the one named, not the current item
        return Move(QUESTION, text=body, aspects=aspects, district=district, agent=agent)
    situated = _situation_beside_question(rest, names_item) if state.item_name else None
    if situated is not None:  # "其为个体工商户，是否需要登报": the asker's situation, a question on the topic
        aspects, who = situated  # who the asker is may point to a sibling item; where they are does not
        return Move(ASPECT, text=body, aspects=aspects, district=district, agent=agent, notes=("situation",) if who else ())
    last = _agents_last_clause(rest, names_item) if agent and state.item_name else None
    if last is not None:  # "来电人称单位不配合提供证明，询问个人能否申请": what the caller told, then the question
        return Move(ASPECT, text=body, aspects=last, district=district, agent=agent)
    placed = _place_of_current(rest, names_item) if state.has_topic and not names else None
    if placed is not None:  # "可否在外地车管所办理", "户籍在外地，能否申请": about the current item
        return Move(ASPECT, text=body, aspects=placed, district=district, agent=agent)
    if not left and district and not aspects:
        return Move(DISTRICT, text=body, district=district, agent=agent)
    if not left and not aspects:
        return Move(UNCLEAR, text=body, agent=agent)  # "不", "嗯嗯那个": nothing asked yet
    if not left and aspects:
        return Move(ASPECT, text=body, aspects=aspects, district=district, agent=agent)  # nothing named: a follow-up
    if state.item_name and len(left) <= FOLLOW_UP_MAX_RESIDUE + 2 and set(left) <= set(state.item_name) and aspects:
        return Move(ASPECT, text=body, aspects=aspects, district=district, agent=agent)  # "去哪点认证": its own words
    core = _without_what_happened(left)
    # "第一次办": about the current object; but "其孩子刚出生" names a new situation (a birth), whose item is asked
    if state.has_topic and len(core) <= FOLLOW_UP_MAX_RESIDUE and len(core) < len(left) and not names \
            and not (core and names_item is not None and names_item(core)):
        return Move(ASPECT, text=body, aspects=aspects, district=district, agent=agent)
    if (state.has_topic or state.menu_pending) and len(left) <= FOLLOW_UP_MAX_RESIDUE + (1 if aspects else 0) \
            and not names:  # "可以在街道办不": a place named and no aspect word asks where
        return Move(ASPECT, text=body, aspects=aspects or (("department",) if w.PLACES.search(rest) else ()),
                    district=district, agent=agent)
    if not aspects and compact(rest).endswith("呢") and state.aspect:
        aspects = (state.aspect,)  # "那办居住证呢": the same question about another item
    return Move(QUESTION, text=body, aspects=aspects, district=district, agent=agent)


def _still_asked(state: DialogueState, rest: str) -> tuple[str, ...] | None:
    """The aspects asked when a change is told and then whether the current item still applies (words.STILL_ASKED):
    what is asked names nothing but words of the current item's name ("还需要补吗" under 营业执照遗失补领)."""
    match = w.STILL_ASKED.search(rest)
    if not match:
        return None
    asked = match.group("asked")
    left = residue(asked)
    if (len(left) > FOLLOW_UP_MAX_RESIDUE and not set(left) <= set(state.item_name or "")) or asks_for_bundle(asked):
        return None
    return tuple(a for a in aspects_in(asked) if a != "overview") or ("conditions",)


def _named_before_pointer(state: DialogueState, rest: str) -> str | None:
    """The words naming the item meant in front of a pointer ("上牌那个要带啥子" → 上牌, "刚才出生证明那个
    要好久" → 出生证明), when they are not words of the current item's name; None otherwise."""
    match = w.NAMED_ONE.match(w.EARLIER.sub("", compact(rest)))
    if not match or not state.item_name:
        return None
    named = residue(match.group("name"))
    if len(named) < 2 or set(named) <= set(state.item_name):
        return None
    return named


def _place_of_current(rest: str, names_item: Callable[[str], bool] | None) -> tuple[str, ...] | None:
    """The aspects a message about a place asks of the current item, or None. A clause that names a
    place and asks nothing tells the asker's situation ("户籍在外地，能否申请": conditions); a place in
    the asked clause asks where ("可否在外地车管所办理": department). Either way what is left beside
    the places and the aspect words is at most a verb ("登记") that names no item."""
    if not w.PLACES.search(rest):
        return None
    clauses = clauses_of(rest)
    told = [c for c in clauses if w.PLACES.search(c) and (
        w.ASKER_SITUATION.match(c) or not (aspects_in(c) or w.QUESTION_CUES.search(c)))]
    asked = [c for c in clauses if c not in told] if len(told) < len(clauses) else clauses
    words = "，".join(asked)
    left = residue(w.PLACES.sub("，", words))
    if len(left) > FOLLOW_UP_MAX_RESIDUE:
        return None
    # "那异地就医呢": the place is a word of an item's name (异地就医备案), which the whole message names
    if names_item is not None and (names_item(compact(rest)) or (left and names_item(left))):
        return None
    # "能不能在派出所办": whether it can be done at a place asks where, not a condition
    return aspects_in(w.ABLE_TO_RE.sub("，", words)) or (("conditions",) if told and asked is not clauses else ("department",))


def _agents_last_clause(rest: str, names_item: Callable[[str], bool] | None) -> tuple[str, ...] | None:
    """The aspects an agent's summary asks of the current item: its last clause (agents write what the
    caller told first, then what they ask) asks an aspect and names nothing; None otherwise."""
    clauses = clauses_of(rest)
    if len(clauses) < 2:
        return None
    asked = clauses[-1]
    aspects = tuple(a for a in aspects_in(asked) if a != "overview")
    left = residue(asked)
    if not aspects or len(left) > FOLLOW_UP_MAX_RESIDUE or (left and names_item is not None and names_item(left)):
        return None
    told = residue("，".join(clauses[:-1]))
    if told and names_item is not None and names_item(told):
        return None  # "来电人称其孩子刚出生，询问如何办理": what was told names the item asked about
    return aspects


def _situation_beside_question(rest: str, names_item: Callable[[str], bool] | None) -> tuple[tuple[str, ...], bool] | None:
    """The aspects asked when a clause tells who or where the asker is and another asks an aspect
    naming nothing ("我是个体户，要登报不", "其在沙坪坝区租房居住，询问在哪里办理"), and whether a clause
    told who the asker is (not only where); None otherwise."""
    clauses = clauses_of(rest)
    told = [c for c in clauses if (w.SITUATION_CLAUSE.match(c) or w.PLACE_TOLD.match(c) or w.MOVED_TOLD.match(c))
            and not aspects_in(c)]
    asked = [c for c in clauses if c not in told]
    if not told or not asked:
        return None
    words = "，".join(asked)
    aspects = tuple(a for a in aspects_in(words) if a != "overview")
    if not aspects or len(residue(words)) > FOLLOW_UP_MAX_RESIDUE:
        return None
    if names_item is not None and residue(words) and names_item(residue(words)):
        return None
    return aspects, any(w.SITUATION_CLAUSE.match(c) for c in told)


def _pointing_back(state: DialogueState, rest: str, names_item: Callable[[str], bool] | None) -> tuple[str, ...] | None:
    """The aspects asked when clauses telling the asker's situation are followed by a request that points
    back with a measure word or a pronoun ("我是刚来重庆上班的，想办一张", "我在解放碑上班 单位派我去香港出差
    办一个要好久"): the current item, not what the situation's words would find. None when the request names
    an item itself, or when a told clause names another document the measure word may point to ("我护照
    掉了 想补一本" under 社保卡)."""
    clauses = clauses_of(rest)
    pointing = [i for i, c in enumerate(clauses) if w.POINT_BACK.search(c)]
    if len(clauses) < 2 or not pointing or pointing[-1] == 0:
        return None
    asked = "，".join(clauses[pointing[-1]:])
    left = residue(asked)
    if len(left) > FOLLOW_UP_MAX_RESIDUE or (left and names_item is not None and names_item(left)):
        return None
    told = "，".join(clauses[:pointing[-1]])
    wanted = residue(w.WANTS_ANOTHER.sub("", told))
    if w.WANTS_ANOTHER.search(told) and names_item is not None and wanted and names_item(wanted):
        return None  # "还要办个卖预包装食品的备案 那个要带啥": 那个 is the new thing asked for
    for noun in w.DOCUMENT_NOUN.findall(told):
        if len(set(noun) & set(state.item_name)) < 2:
            return None
    return tuple(a for a in aspects_in(asked) if a != "overview")
