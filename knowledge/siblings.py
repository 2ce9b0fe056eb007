"""Names of one object that differ only by their action (siblings), and which of them a question means.

An official list names one object several times: 核发机动车检验合格标志 beside 机动车检验合格标志换领 and …补领,
居民身份证申领 beside …换领 and …补领. A question that names an action none of the siblings does (年检, 年审 of
the inspection mark, 办 of anything) says nothing about which sibling it wants; like a question naming no
action at all, it asks for the plain form (核发, 申领, 登记), not a replacement or a deferral, which people
ask for in their own words (掉了, 烂了, 到期了, 延期). `family_unasked` finds the codes whose family of the
shortlist covers none of the question's actions: knowledge/search.py then scores their action as a question
naming no action would (the plain form's action counts as covered).
"""
from __future__ import annotations

from collections import defaultdict

from knowledge.name_parts import NameParts


def family_unasked(parts: dict[str, NameParts], action_cover: dict[str, float]) -> set[str]:
    """The codes of `action_cover` (code → how much of its action the question covers) whose object has at least
    one other name there and none of whose names' actions the question covers."""
    families: dict[str, list[str]] = defaultdict(list)
    for code in action_cover:
        families[parts[code].object].append(code)
    return {code for codes in families.values() if len(codes) >= 2 and not any(action_cover[c] for c in codes)
            for code in codes}
