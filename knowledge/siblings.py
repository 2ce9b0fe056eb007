"""Names of one object that differ only by their action (siblings), and which of them a question means.

An official list names one object several times: 核发机动车检验合格标志 beside 机动车检验合格标志换领 and …补领,
居民身份证申领 beside …换领 and …补领. A question that names an action none of the siblings does (年检, 年审 of
the inspection mark) says nothing about which sibling it wants; like a question naming no action at all, it asks
for the plain form (核发, 申领, 登记), not a replacement or a deferral, which people ask for in their own words
(掉了, 烂了, 到期了, 推迟). `family_unasked` finds the siblings that are not the plain form in such a family:
knowledge/search.py keeps SIBLING_DAMP of their score. Only inside the family: the family as a whole is not
lifted above names of other objects that do the asked action (买二手车 → 转移登记 is 机动车转让登记, not a
temporary plate).
"""
from __future__ import annotations

from collections import defaultdict
from difflib import Match, SequenceMatcher
from functools import lru_cache

from knowledge.name_parts import NameParts

SIBLING_DAMP = 0.85


def family_unasked(parts: dict[str, NameParts], plain: dict[str, bool], action_cover: dict[str, float]) -> set[str]:
    """The codes of `action_cover` (code → how much of its action the question covers) that are not their object's
    plain form while a plain sibling is there, in a family none of whose names' actions the question covers."""
    families: dict[str, list[str]] = defaultdict(list)
    for code in action_cover:
        families[parts[code].object].append(code)
    return {code for codes in families.values()
            if len(codes) >= 2 and not any(action_cover[c] for c in codes) and any(plain[c] for c in codes)
            for code in codes if not plain[code]}


# Variants of one item named by a marker before a shared part: 校车驾驶证审验 beside 机动车驾驶证审验, 拖拉机和联合收割机
# 驾驶证增驾 beside 机动车驾驶证增加准驾车型. A question that names the shared part (驾驶证) and neither marker means the
# unmarked kind, the one whose marker the list uses for many items (机动车), not a special case named in few (校车).
VARIANT_SHARED_MIN = 3  # characters the two names share after their markers (驾驶证): less says nothing
VARIANT_RATIO = 3  # how many times more names the common marker must be in than the rare one
VARIANT_DAMP = 0.85  # what is left of the score of the rare-marker variant
VARIANT_SHORTLIST = 8


class MarkedVariants:
    """Finds, among close candidates, the variants named by a rare marker the question does not say."""

    def __init__(self, names: dict[str, str], parts: dict[str, NameParts]):
        self.names = names
        self.parts = parts
        self._all = tuple(names.values())
        self._frequency: dict[str, int] = {}

    def frequency(self, marker: str) -> int:
        if marker not in self._frequency:
            self._frequency[marker] = sum(marker in n for n in self._all)
        return self._frequency[marker]

    def damped(self, codes: list[str], said: set[str]) -> set[str]:
        """The codes (best first) whose name is a rare-marker variant of another's, neither marker among the bigrams
        `said` (the question and its lexicon terms), the shared part said."""
        out = set()
        for i, a in enumerate(codes):
            for b in codes[i + 1:]:
                na, nb = self.names[a], self.names[b]
                match = _longest_shared(na, nb)
                shared = na[match.a:match.a + match.size]
                marker_a, marker_b = _marker(na[:match.a]), _marker(nb[:match.b])
                ends = match.a + match.size == len(na) and match.b + match.size == len(nb)  # the same name after
                if not ends or match.size < VARIANT_SHARED_MIN or not marker_a or not marker_b or not _said(shared, said):
                    continue
                own = said - _bigrams(shared)  # 住房 of 购买自住住房 is said by 住房公积金, the shared part
                said_a, said_b = _any_said(marker_a, own), _any_said(marker_b, own)
                if said_a != said_b:  # the question (or its lexicon terms: 驾驶证 → 机动车驾驶证) names one marker
                    out.add(b if said_a else a)
                elif not said_a and marker_a in self.parts[a].object and marker_b in self.parts[b].object:
                    # a kind of the object (校车 …), not what the action is for (租赁住房提取…: both are plain cases);
                    # with the shared part's first character: a marker may end inside a word (校|车, 机动|车)
                    fa, fb = self.frequency(na[:match.a + 1]), self.frequency(nb[:match.b + 1])
                    if fa >= VARIANT_RATIO * fb and len(marker_a) >= 2:
                        out.add(b)
                    elif fb >= VARIANT_RATIO * fa and len(marker_b) >= 2:  # one character (二级, 三级) is a grade
                        out.add(a)
        return out


@lru_cache(maxsize=65536)
def _longest_shared(a: str, b: str) -> Match:
    """The longest run two names share (the same close pairs come back query after query: memoised)."""
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b))


def _marker(prefix: str) -> str:
    return prefix.strip("的之、，,和及与")


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def _said(text: str, said: set[str]) -> bool:
    """Two of its bigrams said: three characters in a row, or two words (驾驶证增 of 驾驶证 … 增驾)."""
    return len(_bigrams(text) & said) >= 2


def _any_said(text: str, said: set[str]) -> bool:
    return bool(_bigrams(text) & said)


# The action a question says in so many words (认定, 签注, 恢复, 增驾) is the action asked, even when the best name holds
# a rarer word of the question (不可移动文物 of 不可移动文物…备案 against 文物认定): among close candidates whose object
# the question covers at least half of, a name doing a said action goes before the names doing none. A word
# said as a state of the object (已注销的, 被吊销的, 新设立的门店, 挂失了) is not asked; nor are the words every item
# does. A name does a said action when its action holds the word (查询 of 查询打印).
SAID_DAMP = 0.6  # what is left of the score of a name above the doer that does no said action
SAID_RATIO = 0.5  # how close to the best a doer must score
SAID_OBJECT = 0.5  # how much of the doer's object the question must cover: it is about the question's thing
SAID_SHORTLIST = 5
_UNSAID = frozenset(("登记", "申请", "办理", "服务", "证明", "使用", "报告", "发放", "审批", "审核", "受理", "许可", "核发"))
_STATE_MARKS = ("已", "被", "经", "过")
_STATE_AFTER = ("的", "了")  # 设立的分支机构, 挂失了（今天找回来了）: what was done, not what is asked


def said_actions(text: str, words: tuple[str, ...]) -> set[str]:
    """The action `words` (two characters or more, not an every-item word) said in `text` other than as a state."""
    out = set()
    for word in words:
        if len(word) < 2 or word in _UNSAID:
            continue
        at = text.find(word)
        while at >= 0:
            after = text[at + len(word):at + len(word) + 1]
            if (not at or text[at - 1] not in _STATE_MARKS) and after not in _STATE_AFTER:
                out.add(word)
                break
            at = text.find(word, at + 1)
    return out


def said_action_unasked(codes: list[str], scores: dict[str, float], does: dict[str, bool],
                        objects: dict[str, float]) -> set[str]:
    """The codes (best first) to damp: those above the best close doer of a said action (`does`) that do none,
    when the best does none and the question covers at least SAID_OBJECT of the doer's object (`objects`)."""
    if not codes or does[codes[0]]:
        return set()
    best = codes[0]
    doer = next((c for c in codes[1:SAID_SHORTLIST] if does[c] and scores[c] >= SAID_RATIO * scores[best]
                 and objects[c] >= SAID_OBJECT), None)
    if doer is None:
        return set()
    return {c for c in codes[:codes.index(doer)] if not does[c]}
