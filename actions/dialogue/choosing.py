"""Choosing among search candidates in a conversation: answer first, a menu only on a tie.

Pure ranking rules over a knowledge.search result (no Rasa): which candidate is clearly the
one meant, which one a qualifier ("搞掉了", "第一次") points to, whether a few words name an
item at all, which life event a question asks for.
"""
from __future__ import annotations

import os
from dataclasses import replace

from actions.dialogue.interpreter import residue
from actions.dialogue.life_events import asks_for_bundle, death_what_now, event_queries, without_death
from actions.dialogue.words import FIRST_TIME_MARKERS, GENERIC_OBJECT_WORDS, NAME_FILLER, NEGATED, QUALIFIERS, TOPIC_ONLY
from knowledge.normalize import compact
from knowledge.name_parts import is_default_action, split_name
from knowledge.search import ANSWER, CHOOSE, Candidate, SearchResult

MAX_CHOICES = 5
MAX_ALTERNATIVES = 3
LIFE_EVENT_MIN_SCORE = 0.6
NAMES_ITEM_MIN_SCORE = 0.45
# A message the classifier filed as small talk is a service question only when it names one:
# a clear answer needs this much left after question words, a menu more ("你都能回答哪些问题").
SIDE_QUESTION_MIN_CORE = 4
SIDE_CHOICE_MIN_CORE = 9


def offered(result: SearchResult) -> list[Candidate]:
    """The candidates worth offering: within half the best score, at most MAX_CHOICES."""
    if not result.candidates:
        return []
    return [c for c in result.candidates if c.score >= result.candidates[0].score * 0.5][:MAX_CHOICES]


def offered_codes(result: SearchResult) -> set[str]:
    return {c.code for c in offered(result)}


def alternatives_of(result: SearchResult) -> list[Candidate]:
    """Other items close to the best one, listed under an answer ("您可能还想问")."""
    return offered(result)[1:1 + MAX_ALTERNATIVES]


def names_item(catalog, words: str) -> bool:
    """A few words ("护照", "换驾照") name an item or a life event of the catalog."""
    result = catalog.search(words)
    if result.bundle is not None or (result.bundles and result.bundles[0].score >= 0.9):
        return True
    best = result.best
    return (result.decision == ANSWER and best is not None and best.score >= NAMES_ITEM_MIN_SCORE) or any(
        c.matched for c in result.candidates[:3])


def names_a_service(result: SearchResult, text: str) -> bool:
    """For a message filed as small talk: does it clearly name a service (answer it) or not (small talk)?"""
    if result.bundle is not None:
        return True
    if result.decision == ANSWER:
        return len(result.core) >= SIDE_QUESTION_MIN_CORE
    if result.decision == CHOOSE:
        ahead = clearly_ahead(result, text)
        # a long message naming a service: a candidate found by a name of its own, or one that
        # explains the question well enough to be offered with confidence (knowledge/confidence.py)
        return (ahead is not None and ahead.score >= NAMES_ITEM_MIN_SCORE) or len(result.core) >= SIDE_CHOICE_MIN_CORE \
            and any(c.matched or c.confidence >= NAMES_ITEM_MIN_SCORE for c in offered(result))
    return False


def life_event(catalog, text: str, result: SearchResult, aspect_asked: bool = False) -> str | None:
    """The bundle a life-event question asks for ("退休要办什么", "开个火锅店要办啥子证"), if any.

    A question naming one item exactly and asking one of its aspects ("公司注销要什么材料")
    is about the item, even when a bundle has the same name."""
    cue = asks_for_bundle(text)
    if result.bundle is not None:
        exact_item = result.decision == ANSWER and result.best is not None and result.best.score >= result.bundle.score
        if not (exact_item and aspect_asked and not cue):
            return result.bundle.code
    if not cue and not (death_what_now(text) and not _item_asked_beside_death(catalog, text, result)):
        return None
    if result.bundles and result.bundles[0].score >= LIFE_EVENT_MIN_SCORE:
        return result.bundles[0].code
    for query in event_queries(text):
        found = catalog.search(query)
        if found.bundle is not None:
            return found.bundle.code
        if found.bundles and found.bundles[0].score >= 0.9:
            return found.bundles[0].code
    return None


def _item_asked_beside_death(catalog, text: str, result: SearchResult) -> bool:
    """"我爸过世了 他的户口咋个注销": the search is sure of an item, and the message still finds that item's
    object without the told death. "老汉儿走了 他那些证件咋处理": the death words alone made the item
    (死亡注销户口), and the 身后 event is what is asked."""
    best = result.best
    if result.decision != ANSWER or best is None:
        return False
    rest = catalog.search(without_death(text)).best
    return rest is not None and split_name(rest.name).object == split_name(best.name).object


def without(result: SearchResult, code: str) -> SearchResult:
    rest = tuple(c for c in result.candidates if c.code != code)
    if not rest:
        return replace(result, candidates=rest, decision="not_found")
    top = rest[0].score
    second = rest[1].score if len(rest) > 1 else 0.0
    decision = ANSWER if top >= 0.35 and top >= 1.3 * second else CHOOSE
    return replace(result, candidates=rest, decision=decision)
TIED = 0.9  # candidates within this fraction of the best score are tied
SURE = 0.6  # the search's own confidence in its best candidate above which a near tie is answered
COVERAGE_LEAD = 1.5  # among tied names, one that repeats this much more of the message wins
MIN_COVERAGE = 0.2


def clearly_ahead(result: SearchResult, text: str):
    """The candidate to answer when the search offers a choice but one is clearly the one meant.

    The search says "choose" only for a tie, so its ranking is not enough to overrule it:
    when the question names just what the leading names share ("残疾人证" for 新办, 换领,
    迁移 …) only the message's own words may decide; otherwise the best is answered when it is
    strictly ahead and the search's confidence in it is at least SURE, or when no other is
    within TIED of its score. Among tied candidates, the one whose name is
    made of the message's own words wins ("居住证" → 居住证申领 rather than
    港澳台居民居住证申领). None: a genuine tie, ask."""
    options = offered(result)
    if not options:
        return None
    best = options[0]
    core = result.core
    if core and len(options) > 1 and all(core in c.name for c in options[:2]):
        tied = [c for c in options if core in c.name]
    else:
        surest = by_evidence(options)[0]
        if surest is not best and surest.confidence >= SURE and _confidently_ahead(surest, options, text):
            return surest  # the search's evidence clearly disagrees with its ranking and is sure
        if surest is best and _confidently_ahead(best, options, text) and (len(options) == 1 or not undecided(best, options[1], text)):
            return best
        confidence = getattr(best, "confidence", None)
        if (confidence is not None and confidence >= SURE and len(options) > 1 and best.score > options[1].score
                and not undecided(best, options[1], text)):
            return best  # strictly ahead and the search is sure of it (not an exact tie)
        tied = [c for c in options if c.score >= best.score * TIED]
        if len(tied) == 1:
            return best
    words = set(text)
    coverage = sorted(((len(set(c.name) & words) / max(len(set(c.name)), 1), c) for c in tied),
                      key=lambda pair: -pair[0])
    top, runner = coverage[0][0], coverage[1][0] if len(coverage) > 1 else 0.0
    if top >= MIN_COVERAGE and top >= COVERAGE_LEAD * runner and not _adds_an_action(coverage[0][1], words):
        return coverage[0][1]
    return None


CONFIDENCE_LEAD = 1.5  # a candidate this many times as likely as every other one is the one meant
LEAD_MIN_CONFIDENCE = 0.3  # ... when it is at least this likely itself
LEAD_SHARED_CHARS = 2  # ... and its name holds this many characters of what the message names


def by_evidence(candidates) -> list[Candidate]:
    """Candidates in the order of the search's confidence (calibrated: how likely each is the
    item asked about), ties kept in score order: a lower-ranked name can explain the question
    better ("养老金 认证" → 待遇领取资格认证 before 正常退休申请). Menus are listed in this order."""
    return sorted(candidates, key=lambda c: -c.confidence)


def _confidently_ahead(candidate: Candidate, options: list[Candidate], text: str) -> bool:
    """The search's confidence in the candidate leads every other offered one by CONFIDENCE_LEAD
    and the candidate's name shares words with the message (a lead among names that share
    nothing with it — "健康证" against 从业资格 items — is no evidence)."""
    others = [c.confidence for c in options if c is not candidate]
    if candidate.confidence < LEAD_MIN_CONFIDENCE or (others and candidate.confidence < CONFIDENCE_LEAD * max(others)):
        return False
    return candidate.matched or len(set(candidate.name) & set(residue(text))) >= LEAD_SHARED_CHARS


VARIANT_MAX_CHARS = 3  # 二级 / 三级, 市内 / 跨省迁入: variants of one item differ in a short qualifier


def undecided(best: Candidate, runner: Candidate, text: str) -> bool:
    """Two close names that are variants of one item (each has a short qualifier of its own:
    二级 / 三级运动员, 市内 / 跨省迁入) and the message names neither qualifier. Names that
    differ in more (更换发动机 / 改变车身颜色) are answered first, the other listed under it."""
    if runner.score < best.score * TIED:
        return False
    own, other = set(best.name) - set(runner.name) - NAME_FILLER, set(runner.name) - set(best.name) - NAME_FILLER
    words = set(text)
    return (0 < len(own) <= VARIANT_MAX_CHARS and 0 < len(other) <= VARIANT_MAX_CHARS
            and not own & words and not other & words)


def variants_tied(result: SearchResult, text: str) -> list[Candidate]:
    """The leading candidates when they are variants of one item the message does not tell
    apart (二级 / 三级运动员, 第二类 / 第三类 …) and the search is about as sure of each: a
    genuine tie even when the search ranks one first. Empty otherwise."""
    options = offered(result)
    if result.decision != ANSWER or len(options) < 2:  # a "choose" result has its own rules (clearly_ahead)
        return []
    best = options[0]
    tied = [c for c in options[1:] if undecided(best, c, text) and c.confidence >= best.confidence * TIED]
    return [best, *tied] if tied else []


def first_time_variant(variants: list[Candidate], text: str) -> Candidate | None:
    """Among variants the message does not tell apart, the one issued the first time, when the
    message says nothing of what happened to the document (补/换/丢/到期 …); None otherwise."""
    if any(cue.search(text) for cue, _markers in QUALIFIERS):
        return None
    first = [c for c in variants if any(marker in c.name for marker in FIRST_TIME_MARKERS)]
    return first[0] if len(first) == 1 else None


TOPIC_MIN_PREFIX = 4  # 残疾人证, 社会保障卡, 出生医学证明: names of one object start alike


def same_object(result: SearchResult) -> list[Candidate]:
    """The offered candidates of the best one's object (残疾人证 新办 / 换领 / 挂失补办): the same
    object, or a name that starts with the same four or more characters."""
    options = offered(result)
    if not options:
        return []
    family = split_name(options[0].name).object
    return [c for c in options if split_name(c.name).object == family
            or len(os.path.commonprefix([c.name, options[0].name])) >= TOPIC_MIN_PREFIX]


def shared_topic(names: list[str]) -> str:
    """What a menu's names (or one name) are about: their common start, or the first one's object."""
    prefix = os.path.commonprefix(names).rstrip("（(") if len(names) > 1 else ""
    if len(prefix) >= 2:
        return split_name(prefix).object if len(prefix) > 4 else prefix
    return split_name(names[0]).object if names else ""


def names_no_object(result: SearchResult, text: str) -> bool:
    """No offered name's object shares a character with the message: only generic words
    (申请, 办理, 登记) tie them, so the message names none of them ("申请专利")."""
    words = set(compact(text))
    options = offered(result)
    return bool(options) and not any(set(split_name(c.name).object) & words for c in options)


def topic_menu(result: SearchResult, text: str, aspect_asked: bool) -> list[Candidate]:
    """The items to offer for a message that names only a topic ("居住证的事情 想问一下"): the
    offered items of the best one's object, when it asks no aspect, names no action of theirs
    and says nothing of what happened to the document. Empty otherwise."""
    if aspect_asked or not TOPIC_ONLY.search(compact(text)):
        return []
    if any(cue.search(text) for cue, _markers in QUALIFIERS):
        return []
    family = same_object(result)
    actions = [split_name(c.name).action for c in family]
    if len(family) < 2 or any(action and action in text for action in actions):
        return []
    return family


def _adds_an_action(candidate: Candidate, words: set[str]) -> bool:
    """The name carries an action the message does not mention ("营业执照" is not 营业执照遗失补领:
    what happened to the document is read by `by_qualifier`, from the message's own cues)."""
    parts = split_name(candidate.name)
    return bool(parts.action) and not is_default_action(parts) and not set(parts.action) & words


QUALIFIED_MIN_SHARE = 0.7  # a candidate this close to the best, named for what happened, is the one meant
# Further down (any offered candidate) only when the message names its object too: "个体户执照搞掉了"
# reaches 营业执照遗失补领 (执照), "产权证丢失了" does not reach 补领机动车登记证书 (only 证).
QUALIFIED_OBJECT_CHARS = 2


def unnegated(text: str) -> str:
    """The text without what it says it does not want ("我说的是换证不是补证" → "我说的是换证")."""
    return NEGATED.sub("", text)


def by_qualifier(result: SearchResult, text: str):
    """The candidate named for what happened to the document ("搞掉了" → a 补领 item), when the
    best one is not and it is close enough; None otherwise."""
    text = unnegated(text)
    options = offered(result)
    if not options:
        return None
    for cue, markers in QUALIFIERS:
        said = [m.group(0) for m in cue.finditer(text)]
        if not said:
            continue
        # "社保卡挂失了咋个补": the cue asks 补; the 挂失 already done is not asked again
        narrowed = tuple(m for m in markers if any(m in words for words in said))
        asked = _sibling_asked(result, narrowed)
        if asked is not None:
            return asked
        if any(m in c.name for c in options for m in narrowed):
            markers = narrowed
        words = set(text)
        if any(_object_named(c, text) for c in options):  # "残疾人证到期换证": not 驾驶证有效期满换证
            options = [c for c in options if _object_named(c, text)]
        elif not any(m in options[0].name for m in markers) and any(_object_head_named(c, text) for c in options):
            options = [c for c in options if _object_head_named(c, text)]  # "行驶证烂了": not 驾驶证损毁换证
        if shares_a_word(split_name(options[0].name).object, text):  # "护照过期了咋个换": the best one's object
            options = [c for c in options if shares_a_word(split_name(c.name).object, text)]  # is named, not 驾驶证's
        fitting = [c for c in options if any(marker in c.name for marker in markers)
                   and (c.score >= options[0].score * QUALIFIED_MIN_SHARE
                        or len(set(_specific_object(c.name)) & words) >= QUALIFIED_OBJECT_CHARS)]
        sharing = [c for c in fitting if len(set(_specific_object(c.name)) & words) >= QUALIFIED_OBJECT_CHARS]
        fitting = sharing or fitting  # "户口本上名字写错了": 户口登记项目变更更正, not 不动产更正登记
        if fitting and not (len(fitting) > 1 and fitting[1].score >= fitting[0].score * TIED):
            return fitting[0]
        return None
    return None


def _specific_object(name: str) -> str:
    """The object of an item's name without the words many objects share (words.GENERIC_OBJECT_WORDS)."""
    obj = split_name(name).object
    for word in GENERIC_OBJECT_WORDS:
        obj = obj.replace(word, "")
    return obj


def _sibling_asked(result: SearchResult, narrowed: tuple[str, ...]):
    """"社保卡挂失了咋个补": the message asks an action (补) the best item's name lacks, and one
    other item of the same object has it — that one, however far below the search puts it
    (what already happened, 挂失了, matched the best item's name word for word)."""
    best = result.best
    if not narrowed or best is None or any(m in best.name for m in narrowed):
        return None
    obj = split_name(best.name).object
    same = [c for c in result.candidates if c.code != best.code and len(obj) >= 2
            and split_name(c.name).object == obj and any(m in c.name for m in narrowed)]
    return same[0] if len(same) == 1 else None


def _object_named(candidate: Candidate, text: str) -> bool:
    """The message names the candidate's object in full (残疾人证, 个体工商户): the object decides
    the family before what happened picks within it."""
    obj = split_name(candidate.name).object
    # three characters at least: "户口" is every household item's, "户口本上名字写错了" names none in full
    return len(obj) >= 3 and obj in compact(text)


def _object_head_named(candidate: Candidate, text: str) -> bool:
    """The message names the last three characters of a long object: "行驶证" names 机动车行驶证,
    "驾驶证" does not (weaker than the full object: used only when the best one does not fit)."""
    obj = split_name(candidate.name).object
    return len(obj) >= 5 and obj[-3:] in compact(text)


def by_action_named(result: SearchResult, text: str):
    """The offered candidate whose name holds, word for word, an action the message names
    ("…教师资格证要换发不" → 教师资格证书补发、换发) when the best one's name holds none of the
    message's actions, and the message names that candidate's object (its first four
    characters at least). The object decides the family, the action named picks within it."""
    options = offered(result)
    if len(options) < 2:
        return None
    message = unnegated(compact(text))
    best = options[0]

    def actions_named(candidate: Candidate) -> bool:  # and not words of the best one's name too
        return any(len(a) >= 2 and a in message and a not in best.name for a in split_name(candidate.name).actions)

    if any(len(a) >= 2 and a in message for a in split_name(best.name).actions):
        return None
    named = [c for c in options[1:] if actions_named(c) and _object_prefix_named(c, message)]
    return named[0] if len(named) == 1 else None


def _object_prefix_named(candidate: Candidate, message: str) -> bool:
    obj = split_name(candidate.name).object
    return _object_named(candidate, message) or _object_head_named(candidate, message) or (
        len(obj) >= 4 and obj[:4] in message)


DISTINCT_MIN_CHARS = 3  # "提前还款": a phrase of one name only, typed as it is in the name


def by_distinct_words(result: SearchResult, text: str):
    """The close candidate of the best one's family (both names hold a phrase the message names)
    whose name holds a phrase of its own (in no other offered name) that the message names
    verbatim, when the best one holds none: "公积金贷款提前还款" is
    住房公积金贷款提前还款, though the alias 公积金贷款 ranks 住房公积金个人住房贷款 first. None otherwise."""
    options = [c for c in offered(result) if c.score >= offered(result)[0].score * QUALIFIED_MIN_SHARE] \
        if result.candidates else []
    if len(options) < 2:
        return None
    message = compact(text)
    named = [c for c in options if _own_phrase_named(c, [o.name for o in options if o is not c], message)]
    if len(named) == 1 and named[0] is not options[0] and _shared_phrase_named(named[0].name, options[0].name, message):
        return named[0]  # of the best one's family (the object the message names), told apart by its own words
    return None


def _shared_phrase_named(name: str, other: str, message: str) -> bool:
    return any(name[i:i + DISTINCT_MIN_CHARS] in other and name[i:i + DISTINCT_MIN_CHARS] in message
               for i in range(len(name) - DISTINCT_MIN_CHARS + 1))


def _own_phrase_named(candidate: Candidate, others: list[str], message: str) -> bool:
    """A phrase of the name, in no other name, named in the message, with two characters or more
    that no other name holds at all (提前还款 beside 个人住房贷款; not 公积金贷款, made of shared words)."""
    name = candidate.name
    foreign = set(name) - set("".join(others))
    for size in range(len(name), DISTINCT_MIN_CHARS - 1, -1):
        for start in range(len(name) - size + 1):
            phrase = name[start:start + size]
            if phrase in message and not any(phrase in other for other in others) and len(set(phrase) & foreign) >= 2:
                return True
    return False


OBJECT_WORD_MIN_SHARE = 0.7  # a candidate this close to the best, whose object the message names, is the one meant


def by_object_word(result: SearchResult, text: str, department_of=lambda code: None):
    """When the search cannot choose and its best name holds no word of the message (it was reached
    through a situation or a colloquial word: "满六十了" → 达到规定年龄换证), the close candidate of
    another department whose object holds a word the message names ("退休" → 企业职工基本养老保险
    正常退休申请); of several such, the best ranked. Within one department the best one stands: the
    situation then points inside the object's own family ("娃儿满月了 户口咋个上" → 出生登记, a 户口
    item whose name says neither). None when the best name shares a word with the message."""
    options = offered(result)
    if result.decision == ANSWER or len(options) < 2 or options[0].matched:
        return None
    message = unnegated(compact(text))
    best = options[0]
    if shares_a_word(best.name, message):
        return None
    close = [c for c in options[1:] if c.score >= best.score * OBJECT_WORD_MIN_SHARE]
    named = [c for c in close if shares_a_word(split_name(c.name).object, message)]
    if not named or department_of(named[0].code) is None or department_of(named[0].code) == department_of(best.code):
        return None
    return named[0]


def shares_a_word(name: str, message: str) -> bool:
    """Two characters in a row of the name that the message holds too."""
    return any(name[i:i + 2] in message for i in range(len(name) - 1))
