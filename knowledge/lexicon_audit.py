"""The lexicon against a real list's names: which objects no citizen word reaches, which entries lead nowhere.

A names-only import is found by the words its names use; the lexicon is how citizens' words reach them. Two gaps
matter on a list nobody here wrote (issue #15, session 14, search12):

- objects of the list that no lexicon `means` form reaches: a citizen who says the thing in their own words
  (失能老人, 名下的房子) meets only the names' own characters;
- entries whose `means` forms occur in none of the list's names: the citizen word is known, but it leads to words this
  list does not use (迁户口 → 户口迁移, where the list names its move-ins …落户).

Both are reports for a reviewer, not rules: the fix is a family of words checked on every catalog, never one entry
for one question. `./yuban catalog audit-lexicon FILE` prints them; no I/O at import time.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from knowledge.lexicon import Lexicon, LexiconEntry
from knowledge.name_parts import split_name
from knowledge.normalize import compact

OUTSIDE_DOMAIN = "日常生活"  # the group of things no item is about: its words mean themselves
# How much of an object's bigrams the reached forms must hold for the object to count as reached.
REACHED_SHARE = 0.5
# A form's prefix that must occur in a name for the form to count as used there (session 13's audit: 4 characters,
# so 不动产权证书 counts where a name holds 不动产权 and 检验合格标志 where it holds 检验合格).
FORM_PREFIX = 4


@dataclass(frozen=True)
class ObjectGap:
    object: str
    names: int  # how many names of the list have this object
    share: float  # the share of its bigrams that lexicon forms reach
    example: str  # one name with this object


def _bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)} or {text}


def object_forms(lexicon: Lexicon) -> set[str]:
    """Every official form an object entry maps a citizen word to (the outside group left out)."""
    return {compact(m) for e in lexicon.entries.values() if e.kind == "object" and not e.domain.startswith(OUTSIDE_DOMAIN)
            for m in e.means if len(compact(m)) >= 2}


def reached_share(obj: str, forms: set[str]) -> float:
    """The share of the object's bigrams held by lexicon forms that occur in it."""
    target = _bigrams(obj)
    held: set[str] = set()
    for form in forms:
        if form in obj:
            held |= _bigrams(form) & target
    return len(held) / len(target)


def object_gaps(names: list[str], lexicon: Lexicon, share: float = REACHED_SHARE) -> list[ObjectGap]:
    """The list's objects that lexicon forms reach less than `share` of, most frequent first."""
    forms = object_forms(lexicon)
    counts: Counter[str] = Counter()
    examples: dict[str, str] = {}
    for name in names:
        obj = compact(split_name(name).object)
        counts[obj] += 1
        examples.setdefault(obj, name)
    gaps = [ObjectGap(o, n, reached_share(o, forms), examples[o]) for o, n in counts.items()]
    return sorted((g for g in gaps if g.share < share), key=lambda g: (-g.names, g.share, g.object))


def used_form(form: str, names: list[str]) -> bool:
    key = compact(form)[:FORM_PREFIX]
    return any(key in name for name in names)


def dead_entries(names: list[str], lexicon: Lexicon) -> list[LexiconEntry]:
    """Object entries none of whose forms any name of the list uses (outside things left out)."""
    compacted = [compact(n) for n in names]
    return [e for e in lexicon.entries.values() if e.kind == "object" and not e.domain.startswith(OUTSIDE_DOMAIN)
            and not any(used_form(m, compacted) for m in e.means)]


def report(names: list[str], lexicon: Lexicon, top: int = 60) -> list[str]:
    """The two gaps as lines for a reviewer: objects first (most names first), then entries by domain."""
    gaps = object_gaps(names, lexicon)
    dead = dead_entries(names, lexicon)
    lines = [f"{len(names)} names; {len(gaps)} objects reached by no lexicon form (under {REACHED_SHARE:.0%} of their"
             f" bigrams), {sum(g.names for g in gaps)} names; the first {min(top, len(gaps))}:"]
    lines += [f"  {g.names:>3}  {g.share:4.0%}  {g.object}    e.g. {g.example}" for g in gaps[:top]]
    lines.append(f"{len(dead)} of {sum(1 for e in lexicon.entries.values() if e.kind == 'object')} object entries"
                 " lead to no name of this list:")
    by_domain: dict[str, list[str]] = {}
    for e in dead:
        by_domain.setdefault(e.domain, []).append(e.say)
    lines += [f"  {domain}: {'、'.join(says)}" for domain, says in sorted(by_domain.items())]
    return lines
