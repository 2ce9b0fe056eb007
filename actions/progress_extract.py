"""What a message says about an application: its number and the phone digits that verify it.

People paste what they have, in any order and any typing habit (issue #18 item 4):
"帮我查下 cq2026 0514 0001 233 手机尾号 5245", a full-width number, a bare number, the
whole 11-digit phone. The number is found anywhere in the text; phone digits are taken
only when the message says they are phone digits (尾号/后四位/手机…), when the form has
just asked for them, or when nothing but digits is left — so a year or a serial in a
sentence is never mistaken for them. A full mobile number gives its last four.
Phrases that mean "I do not have the number" are recognised so the form can offer the
ways to find it instead of asking again.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from progress_api import numbers

# Words that ask about an application's progress rather than about a guide.
PROGRESS_WORDS = ("进度", "到哪", "哪一步", "办结了没", "受理了没", "审批到", "办好了没", "状态", "办件")
_SEP = r"[\s\-_—－·.。,，:：]*"
# "CQ" then 15 digits with any separators between them; the digits of a bare number too.
_NUMBER = re.compile(rf"C{_SEP}Q{_SEP}((?:\d{_SEP}){{14}}\d)(?!\d)")
_BARE = re.compile(rf"(?<![\dA-Z])((?:\d{_SEP}){{14}}\d)(?!\d)")
_NUMBERISH = re.compile(r"C\s*Q[\s\-]*\d{3,}")
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)[\s\-]?(\d{4})[\s\-]?(\d{4})(?!\d)")
_FOUR = re.compile(r"(?<!\d)(\d{4})(?![\d年月日元天个件次])")  # not a year, a sum, a count
_CUE = re.compile(r"(尾号|后四位|后4位|末四位|末4位|最后四位|最后4位|手机|电话|号码|预留)")
_FILLER = re.compile(r"[\s\W_]|是|吧|呢|啊|哦|的|号|好|了")
_NO_NUMBER = re.compile(
    r"(不记得|记不得|记不住|忘了|忘记|找不到|没有|不知道|不清楚|丢了|弄丢|搞丢|没收到|哪里看|在哪|怎么查|去哪)"
    r".{0,6}(编号|办件号|受理号|申请号|号码|回执|单号)"
    r"|(编号|办件号|受理号|申请号|回执|单号).{0,6}(不记得|记不得|忘了|忘记|找不到|没有|不知道|丢了|在哪|哪里)")


@dataclass(frozen=True)
class Extracted:
    number: str | None = None  # a valid number (check digit verified)
    malformed_number: bool = False  # something like a number that is not a valid one
    factor: str | None = None  # four digits
    no_number: bool = False  # the user says they do not have the number


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").upper()


def find_number(text: str) -> tuple[str | None, str]:
    """(valid number or None, the text with the matched number removed)."""
    clean = _clean(text)
    for pattern, prefix in ((_NUMBER, "CQ"), (_BARE, "CQ")):
        for match in pattern.finditer(clean):
            candidate = numbers.parse(prefix + re.sub(r"\D", "", match.group(1)))
            if candidate:
                return candidate, clean[:match.start()] + " " + clean[match.end():]
    return None, clean


def find_factor(text: str, asked: bool = False) -> str | None:
    """Four phone digits in `text` (already without the application number).

    Taken when a cue word says they are phone digits, when the form asked for them
    (`asked`), or when the message holds nothing else; a full mobile gives its last four.
    """
    clean = _clean(text)
    mobile = _MOBILE.search(clean)
    if mobile:
        return mobile.group(3)
    fours = _FOUR.findall(clean)
    if len(fours) != 1:
        return None
    rest = _FILLER.sub("", _FOUR.sub("", clean))
    if asked or _CUE.search(clean) or not rest:
        return fours[0]
    return None


def extract(text: str, factor_asked: bool = False) -> Extracted:
    number, rest = find_number(text)
    clean = _clean(text)
    malformed = number is None and bool(_NUMBERISH.search(clean))
    return Extracted(number=number, malformed_number=malformed,
                     factor=None if malformed else find_factor(rest, asked=factor_asked or number is not None),
                     no_number=number is None and bool(_NO_NUMBER.search(clean)))
