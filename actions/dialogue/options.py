"""Picking one of the offered options: number, ordinal, name, or none of them.

The one option-picking function of the project (the guide, fallback and choice actions
all use it). Pure: it sees the text and the options' names, never the catalog.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from actions.dialogue.state import Option
from actions.dialogue.words import NONE_OF_THEM, ORDINAL_WORDS, PICK_CUE, QUALIFIERS
from knowledge.lexicon import load as load_lexicon
from knowledge.normalize import compact

_NUMBER = r"([0-9]{1,2}|[一二两三四五六七八九十])"
ORDINAL_RE = re.compile(rf"^(?:我)?(?:选|要|就|是|就要|就选|选择)?(?:第)?\s*{_NUMBER}\s*(?:个|项|条|号|种|类)?"
                        r"(?:吧|吗|呢|啊|哦|嘛|哈|噻)?$")
# "第二个要多久" picks and asks; "第三次请求…", "第2天" count times, not options.
LEADING_RE = re.compile(rf"^(?:那|那么|那个)?第\s*{_NUMBER}\s*(?:个|项|步|件|条|种|(?![次天年届批名季期代章节页回遍趟周月类级]))(.*)$")
LAST_RE = re.compile(r"^(?:选|要|就|是)?最后(?:一个|一项|那个|一种|个)?(?:吧|嘛|哦)?$")
ORDINAL_ANYWHERE = re.compile(rf"第\s*{_NUMBER}\s*(?:个|项|条|种)")
# Characters that tell nothing apart in names ("的", "证" appears in many).
_WEAK_CHARS = set("的了是那个种类我要办理申请登记事项重庆市")


@dataclass(frozen=True)
class Pick:
    """A choice: `index` is 1-based; `rest` is what follows a leading ordinal ("要多久");
    `strong` is False for a guess from a few characters of a name."""

    index: int | None
    rest: str = ""
    strong: bool = True
    none_of_them: bool = False
    exact: bool = True  # a number, an ordinal or the option's whole name (not characters of it)


def _number(raw: str) -> int:
    return int(raw) if raw.isdigit() else ORDINAL_WORDS[raw]


def ordinal_of(text: str, count: int) -> int | None:
    """A 1-based choice when the whole message is a number or an ordinal ("2", "第二个", "最后一个")."""
    bare = compact(text)
    if LAST_RE.match(bare):
        return count or None
    match = ORDINAL_RE.match(bare)
    if not match:
        return None
    number = _number(match.group(1))
    return number if 1 <= number <= count else None


def is_ordinal(text: str) -> bool:
    """"第二个", "2", "最后一个": a pick, whether or not a menu is on offer."""
    bare = compact(text)
    return bool(LAST_RE.match(bare) or ORDINAL_RE.match(bare) or LEADING_RE.match(bare))


def pick_option(text: str, options: tuple[Option, ...] | list[Option]) -> Pick | None:
    """Which option the message picks, or None when it picks none (it is something else)."""
    count = len(options)
    if not count:
        return None
    bare = compact(text)
    if not bare:
        return None
    index = ordinal_of(bare, count)
    if index:
        return Pick(index)
    lead = LEADING_RE.match(bare)
    if lead and 1 <= _number(lead.group(1)) <= count:
        return Pick(_number(lead.group(1)), lead.group(2))
    if any(bare.startswith(word) for word in NONE_OF_THEM) and len(bare) <= 12:
        return Pick(None, bare, none_of_them=True)
    return _by_name(bare, options)


def _by_name(bare: str, options) -> Pick | None:
    """The option whose name the message repeats, or whose distinguishing characters it uses
    (in the citizen's words too: 租房 → 租赁, via the domain lexicon), or the one option named
    for what the message says happened ("丢了那个" → the 补领 one)."""
    names = [compact(o.name) for o in options]
    for index, name in enumerate(names, 1):
        if name and name in bare:
            return Pick(index, bare.replace(name, "", 1))
        if name and len(bare) >= 4 and bare in name:
            return Pick(index)
    shared = set.intersection(*(set(n) for n in names)) if names else set()
    words = [bare, *_official_words(bare, names)]
    scores = [_evidence(words, name, shared) for name in names]
    best = max(scores)
    pointed = bool(PICK_CUE.search(bare))  # "租房的那个", "丢了补办那个": the message points at one option
    if best >= (1 if pointed else 2) and scores.count(best) == 1:  # one shared character is a coincidence
        index = scores.index(best)
        # strong only on the message's own characters: a lexicon reading is checked against the catalog
        return Pick(index + 1, strong=_evidence([bare], names[index], shared) >= 3, exact=False)
    return _by_what_happened(bare, names) if pointed or len(bare) <= QUALIFIED_PICK_MAX_CHARS else None


def _official_words(bare: str, names: list[str]) -> list[str]:
    """The official terms for the citizen's words of the message that no option's name uses
    (租房 → 租赁); a word the names already use ("迁移") is evidence as it stands."""
    return [official for match in load_lexicon().find(bare)
            if not any(bare[match.start:match.end] in name for name in names) for official in match.entry.means]


def _evidence(words: list[str], name: str, shared: set[str]) -> int:
    """Characters and bigrams of the words that tell this name apart from the other options."""
    distinct = set(name) - shared - _WEAK_CHARS
    chars = len({c for word in words for c in word if c in distinct})
    bigrams = len({w[i:i + 2] for w in words for i in range(len(w) - 1)
                   if w[i:i + 2] in name and set(w[i:i + 2]) & distinct})
    return chars + bigrams


QUALIFIED_PICK_MAX_CHARS = 6  # "搞掉了的", "过期了": a short reply saying what happened picks by it


def _by_what_happened(bare: str, names: list[str]) -> Pick | None:
    """The one option whose name carries the marker of what the message says happened."""
    for cue, markers in QUALIFIERS:
        said = cue.search(bare)
        if not said:
            continue
        fitting = [i for i, name in enumerate(names, 1) if any(marker in name for marker in markers)]
        return Pick(fitting[0], exact=False, strong=False) if len(fitting) == 1 else None
    return None
