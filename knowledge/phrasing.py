"""Phrasings that change what a word of the question means for ranking.

Two families:
- A purpose is not the object. In "租房提公积金" the object is the housing fund and 租房 says
  what the money is for; in "为了上学办居住证" the object is the residence permit. A purpose
  word (租房, 买房, 看病, 上学 …) or what follows a purpose marker (为了, 用于, 用来 …) is
  a qualifier when the question names another object: search cuts it from the text that
  decides the object and weighs its lexicon terms like a person word (knowledge/search.py).
  Alone ("租房子要备案吗") it is the object, and nothing changes.
- Undoing an action is not the action. "解除挂失" asks for 解挂, "取消抵押" for 解除抵押,
  "撤销登记" for a 撤销/注销 item: the undone action (挂失, 抵押, 登记) must not credit the
  names whose action it is (社会保障卡挂失), so search cuts it from the text and damps those
  names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Words that usually say what something is for, not what is asked about.
PURPOSE_WORDS = tuple(sorted("""
租房子 租房 租住 租个房 交房租 付房租 买房子 买房 购房 买新房 买二手房 付首付 交首付 看病 治病 装修 上学 读书 念书
""".split(), key=len, reverse=True))
PURPOSE_MARKERS = ("为了", "用于", "用来", "拿来", "拿去", "用作")
PURPOSE_SPAN = 4  # characters after a purpose marker taken as the purpose
UNDO_WORDS = ("解除", "取消", "撤销", "撤回")
_PURPOSE_RE = re.compile("|".join(PURPOSE_WORDS))
_MARKER_RE = re.compile("(" + "|".join(PURPOSE_MARKERS) + f")(.{{1,{PURPOSE_SPAN}}})")


@dataclass(frozen=True)
class Phrasing:
    purposes: tuple[tuple[int, int], ...] = ()  # spans of the question that say what for
    undone: tuple[tuple[str, str], ...] = ()  # (undo word, the action it undoes)

    def in_purpose(self, start: int, end: int) -> bool:
        return any(s <= start and end <= e for s, e in self.purposes)

    def cut(self, text: str) -> str:
        """`text` (the compact question) with purposes and undone actions blanked out."""
        chars = list(text)
        for start, end in self.purposes:
            chars[start:end] = " " * (end - start)
        out = "".join(chars)
        for word, action in self.undone:
            out = out.replace(word + action, " ")
        return out


def purpose_spans(text: str) -> list[tuple[int, int]]:
    """Where `text` says what something is for: purpose words and what follows a marker."""
    spans = [m.span() for m in _PURPOSE_RE.finditer(text)]
    spans += [m.span(2) for m in _MARKER_RE.finditer(text)]
    return sorted(set(spans))


def undone_actions(text: str, actions: tuple[str, ...]) -> list[tuple[str, str]]:
    """(undo word, action) pairs: an undo word followed at once by one of `actions` (longest first)."""
    out = []
    for word in UNDO_WORDS:
        at = text.find(word)
        while at >= 0:
            rest = text[at + len(word):]
            action = next((a for a in actions if rest.startswith(a)), None)
            if action:
                out.append((word, action))
            at = text.find(word, at + 1)
    return out
