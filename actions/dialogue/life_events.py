"""Life-event phrasing: "X要办哪些/要办什么/手续有哪些/要跑哪些" asks for a whole bundle.

Pure text rules; the caller looks the event up in the catalog's bundles.
"""
from __future__ import annotations

import re

BUNDLE_CUE = re.compile(r"(?:要|需要|得|该)?(?:办|跑|弄|搞)(?:些|哪些|什么|啥子|啥|些啥子|些什么|些啥)(?:手续|证|证照|事|东西)?|"
                        r"(?:哪些|什么|啥子|啥|些啥子|些啥)(?:手续|证照|证件|证|许可|执照)|手续有哪些|手续都有哪些|"
                        r"要走哪些|走哪些(?:手续|流程)|一件事|全套|全流程|都要办")
# Kin and the words for a death: "父亲去世", "屋头老人走了" all mean the 身后 event.
DEATH = re.compile(r"(?:父亲|母亲|爸爸|妈妈|爸|妈|老汉|老人|老年人|亲人|家人|爷爷|奶奶|外公|外婆|婆婆|公公|丈夫|老公|"
                   r"妻子|老婆|配偶|岳父|岳母|家属|亲属|[他她]家).{0,3}(?:去世|过世|离世|走了|死了|死亡|病故|不在了|老了)")
DEATH_QUERY = "身后一件事"
# What is to be done about a relative's affairs after a death ("他的社保怎么处理", "户口咋个办"): with a death
# told and no item the search is sure of, the 身后 event (round 12).
WHAT_NOW = re.compile(r"(?:怎么|咋个?|啷个|如何|该怎么|要怎么)(?:处理|办|整|弄|搞)|咋整|咋办|怎么办")


def death_what_now(text: str) -> bool:
    """A relative's death told and what to do about it asked ("我老公上个月走了 他的社保怎么处理")."""
    return bool(DEATH.search(text) and WHAT_NOW.search(text))


def without_death(text: str) -> str:
    """The message without the told death ("老汉儿走了 他的户口咋个注销" → " 他的户口咋个注销")."""
    return DEATH.sub(" ", text)


def asks_for_bundle(text: str) -> bool:
    return bool(BUNDLE_CUE.search(text))


def event_queries(text: str) -> list[str]:
    """Queries that name the life event in the text, best first ("退休要办什么" → "退休一件事")."""
    queries = []
    if DEATH.search(text):
        queries.append(DEATH_QUERY)
    cue = BUNDLE_CUE.search(text)
    if cue:
        event = re.sub(r"[\s，,。]+", "", text[:cue.start()])
        event = re.sub(r"^(?:我|我们|我家|屋头|准备|打算|想|要|马上|快|刚刚|刚|今年|下个月|明年)+", "", event)
        event = re.sub(r"(?:了|的|后|以后|之后|要|需要|得)+$", "", event)
        for variant in dict.fromkeys((event, event.replace("了", ""))):
            if len(variant) >= 2:
                queries += [variant, variant + "一件事"]
    return queries
