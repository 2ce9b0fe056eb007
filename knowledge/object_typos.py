"""Two-character words written by a homophone: objects (结昏 for 结婚, 离混 for 离婚, 低抱 for 低保, 护招 for 护照) and
actions beside a correctly written object (户口本补岭 for 补领, 挂湿 for 挂失, 提区 for 提取, 便更 for 变更).

The search's sound-alike stage reads lexicon terms of three characters or more (身分证, 社宝卡); two
syllables are shared by too many words to do that everywhere (失业/事业). A two-character run is read
as an object term only when
- the question names no object the lexicon knows as it is written (a typo in the object is why);
- the run is not a word itself, nor part of one: both characters stay single when jieba segments the
  question with its dictionary and the catalog's words (家里是 holds 家里, not 离世; 单位见习 not 违建);
- exactly one two-character lexicon term sounds like it (any kind), and that term is an object.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence, Set

from knowledge.lexicon import Lexicon, LexiconMatch

_CJK_ONLY = re.compile(r"^[\u4e00-\u9fff]{2}$")


def _unique_sounds(words: Iterable[str], pinyin: Callable[[str], list[str]]) -> dict[str, str]:
    """Each sound ("bu ling") that exactly one two-character word of `words` has, to that word."""
    by_sound: dict[str, set[str]] = defaultdict(set)
    for word in words:
        if _CJK_ONLY.match(word):
            by_sound[" ".join(pinyin(word))].add(word)
    return {sound: next(iter(same)) for sound, same in by_sound.items() if len(same) == 1}


def _sounding_runs(text: str, syllables: Sequence[str], by_sound: dict[str, str]) -> dict[int, str]:
    """Where a two-character run of `text` sounds like a word of `by_sound` without being written as it."""
    return {i: word for i in range(len(text) - 1)
            if (word := by_sound.get(f"{syllables[i]} {syllables[i + 1]}")) and word != text[i:i + 2]}


def _respelled(text: str, runs: dict[int, str], loose: Set[int]) -> str:
    """`text` with each run whose two characters are both `loose` (single, in no word) written as its word."""
    out, i = [], 0
    while i < len(text):
        word = runs.get(i)
        if word and {i, i + 1} <= loose:
            out.append(word)
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


class ObjectTypos:
    def __init__(self, lexicon: Lexicon, loose: Callable[[str], Set[int]], pinyin: Callable[[str], list[str]]):
        self._lexicon = lexicon
        self._loose = loose
        self.terms = {sound: term for sound, term in _unique_sounds(lexicon.entries, pinyin).items()
                      if lexicon.entries[term].kind == "object"}

    def spell(self, text: str, syllables: Sequence[str], found: Sequence[LexiconMatch] | None = None) -> str:
        """`text` with its two-character object typos spelled as the lexicon does (`syllables`: one per character;
        `found`: the lexicon's matches in `text`, when the caller has them)."""
        if not self.terms or len(syllables) != len(text):
            return text
        # runs that sound like an object term and are not written as it: few questions have one, and only they
        # are looked at further (segmenting every question would cost each search)
        runs = _sounding_runs(text, syllables, self.terms)
        if not runs:
            return text
        found = self._lexicon.find(text) if found is None else found
        if any(m.entry.kind == "object" for m in found):
            return text
        return _respelled(text, runs, self._loose(text) - {i for m in found for i in range(m.start, m.end)})


class ActionTypos:
    """Two-character action words written by a homophone beside a correctly written object (社保卡挂湿, 户口本补岭).

    The object is right, so `ObjectTypos` reads nothing; left alone, the typo's characters pull whatever item holds
    them (补岭 → nothing, 便更 → 便民). A run is read as an action word of the names (补领, 挂失, 变更, 提取, 审验 …)
    when the question names an object as written, the run is not a word itself nor part of one (both characters
    stay single when jieba segments the question), and exactly one such action word has that sound.
    """

    def __init__(self, actions: Sequence[str], loose: Callable[[str], Set[int]], pinyin: Callable[[str], list[str]]):
        self._loose = loose
        self.words = _unique_sounds(actions, pinyin)

    def spell(self, text: str, syllables: Sequence[str], objects: Callable[[str], Sequence[LexiconMatch]]) -> str:
        """`text` with its action typos spelled as the names do, when `objects(text)` (the objects it names as written:
        lexicon terms and official terms, asked only when a run sounds like an action word) finds one."""
        if not self.words or len(syllables) != len(text):
            return text
        runs = _sounding_runs(text, syllables, self.words)
        if not runs:
            return text
        found = [m for m in objects(text) if m.entry.kind == "object"]
        if not found:
            return text
        return _respelled(text, runs, self._loose(text) - {i for m in found for i in range(m.start, m.end)})
