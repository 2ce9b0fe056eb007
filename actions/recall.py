"""Items discussed earlier in the conversation, pointed back to.

People come back to what they asked before: "刚才那个身份证要好久" once 户口簿 was asked, "驾照那个能网上
办不" after a progress check, "通行证的呢" after 护照. The words they use then are short and name only
the object ("身份证", "执照", "通行证"), which the catalog alone reads as a menu of its family or as
another item holding the same word. The conversation knows which one was meant: the item of that
object that was answered before (`DialogueState.discussed`, from the tracker's events).
"""
from __future__ import annotations

from actions.deps import Catalog
from actions.dialogue import words as w
from actions.dialogue.choosing import offered
from actions.dialogue.interpreter import residue
from actions.dialogue.life_events import asks_for_bundle
from actions.dialogue.state import DialogueState, Option
from knowledge.name_parts import split_name
from knowledge.normalize import compact
from knowledge.search import ANSWER

RECALL_MAX_RESIDUE = 6  # "刚才出生证明", "户口本": a name, not a new question told at length
SHARED_MIN = 2  # without one, the earlier item holds at least two characters of the words ...
CLOSE_SCORE = 0.8  # ... or the search scores it close to its best ("驾照": 驾驶证 items, through the lexicon)


def discussed_named(catalog: Catalog, state: DialogueState, text: str) -> str | None:
    """The code of the earlier item the message names, or None.

    With a pointer ("刚才…", "前面…", "X那个"), the most recent discussed item among the candidates
    the search offers for the named words. Without one ("通行证的呢", "身份证要好久"), a discussed item
    the search offers that holds the named words at least as fully as the search's best, when nothing
    is said of what happened (丢了, 到期: that picks a sibling) and no life event is asked."""
    if not state.discussed or state.menu_pending:
        return None
    words = compact(text)
    named = residue(text)
    if not named or len(named) > RECALL_MAX_RESIDUE or asks_for_bundle(text):
        return None
    pointer = bool(w.EARLIER.search(words) or w.NAMED_ONE.match(w.EARLIER.sub("", words)))
    result = catalog.search(named, top=10)
    codes = [c.code for c in offered(result)]
    fitting = [o for o in state.discussed if o.code in codes]
    if pointer and not fitting:
        # "之前那个养老的" when the search spreads 养老 over many items: the earlier item whose name holds two
        # characters in a row of the words that the current item's name lacks (conv11)
        fitting = [o for o in state.discussed if o.code != state.item_code
                   and _own_word_named(o.name, state.item_name or "", named)]
    if not fitting:
        return None
    if pointer:
        return fitting[0].code
    if any(cue.search(words) for cue, _markers in w.QUALIFIERS):
        return None
    best = result.best
    pick = max(fitting, key=lambda o: _held(named, o))  # the most recent of the fullest (max keeps the first)
    if best is not None and best.code != pick.code and (
            len(set(named) & set(best.name)) > _held(named, pick) or _own_word_named(best.name, pick.name, words)):
        return None  # the search's best holds more of the words, or a word of its own: it is what is named
    close = best is None or next(c.score for c in result.candidates if c.code == pick.code) >= CLOSE_SCORE * best.score
    return pick.code if _held(named, pick) >= SHARED_MIN or close else None


def _own_word_named(name: str, other: str, words: str) -> bool:
    """The message holds two characters in a row of the name's object that the other name lacks
    ("那生育登记呢" names 生育, which 内地居民结婚登记 does not hold)."""
    obj = split_name(name).object
    return any(obj[i:i + 2] in words and obj[i:i + 2] not in other for i in range(len(obj) - 1))


def _held(named: str, option: Option) -> int:
    return len(set(named) & set(option.name))


HEAD_CHARS = 3  # "通行证" of 往来港澳通行证, "行驶证" of 机动车行驶证: the kind of thing a long object is


def same_kind_named(catalog: Catalog, state: DialogueState, text: str) -> str | None:
    """"那台湾的呢" after 内地居民往来港澳通行证: the same kind of thing for what the words name (台湾 +
    通行证 → 大陆居民往来台湾通行证), or the same action for another object ("公司的呢" after 个体工商户设立登记
    → 有限责任公司设立登记), when the words alone do not lead the search to one item; None otherwise."""
    if not state.item_name or not w.ABOUT_ANOTHER.search(text):
        return None
    named = residue(text)
    if len(named) < 2 or set(named) & set(state.item_name) or catalog.search(named).decision == ANSWER:
        return None
    parts = split_name(state.item_name)
    head = parts.object[-HEAD_CHARS:] if len(parts.object) > HEAD_CHARS + 1 else parts.object
    for kind in (head, parts.action):
        if not kind:
            continue
        result = catalog.search(f"{named} {kind}")
        best = result.best
        if result.decision == ANSWER and best is not None and best.code != state.item_code \
                and set(named) <= set(best.name) and kind in best.name:
            return best.code
    return None
