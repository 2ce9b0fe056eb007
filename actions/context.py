"""Reading the conversation state the guide actions share: aspect, district, choices."""
from __future__ import annotations

import re

from rasa_sdk import Tracker

from knowledge.regions import Region, load_regions

INTENT_ASPECTS = {
    "ask_materials": "materials", "ask_department": "department", "ask_flow": "flow",
    "ask_time_limit": "time_limit", "ask_fee": "fee", "ask_conditions": "conditions", "ask_online": "online",
    "ask_overview": "overview", "ask_bundle": "overview",
}
CHINESE_NUMBERS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
ORDINAL_RE = re.compile(r"^(?:第|选|选第|就|要|是)?\s*([0-9]{1,2}|[一二两三四五六七八九十])\s*(?:个|项|条|号)?(?:吧|吗|呢|啊)?$")
LAST_RE = re.compile(r"最后(一个|一项|那个)?")


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def aspect_of(tracker: Tracker, default: str = "overview") -> str:
    return INTENT_ASPECTS.get(latest_intent(tracker) or "", default)


def district_from(tracker: Tracker, text_region: Region | None) -> Region | None:
    """The district named now (entity or text), else the one remembered in the slot."""
    regions = load_regions()
    for entity in (tracker.latest_message or {}).get("entities") or []:
        if entity.get("entity") == "district":
            region = regions.resolve(str(entity.get("value") or ""))
            if region:
                return region
    if text_region:
        return text_region
    remembered = tracker.get_slot("district")
    return regions.resolve(remembered) if remembered else None


def parse_ordinal(text: str, count: int) -> int | None:
    """A 1-based choice from "2", "第二个", "选三", "最后一个"; None when it is not one."""
    compact = re.sub(r"[\s，。,.!！?？]", "", text)
    if LAST_RE.fullmatch(compact) or compact in ("最后", "最后那个"):
        return count
    match = ORDINAL_RE.match(compact)
    if not match:
        return None
    raw = match.group(1)
    number = int(raw) if raw.isdigit() else CHINESE_NUMBERS[raw]
    return number if 1 <= number <= count else None


LEADING_ORDINAL_RE = re.compile(r"^(?:那|那么|那个)?第\s*([0-9]{1,2}|[一二两三四五六七八九十])\s*(?:个|项|步|件|条)?(.*)$")


def leading_ordinal(text: str, count: int) -> tuple[int, str] | None:
    """"第二个要什么材料" → (2, "要什么材料"): a pick followed by a question; None otherwise."""
    compact = re.sub(r"[\s，。,.!！?？]", "", text)
    match = LEADING_ORDINAL_RE.match(compact)
    if not match:
        return None
    raw = match.group(1)
    number = int(raw) if raw.isdigit() else CHINESE_NUMBERS[raw]
    return (number, match.group(2)) if 1 <= number <= count else None


# Words that say which aspect is asked, for messages the NLU filed under another intent.
ASPECT_WORDS = (
    ("materials", ("材料", "资料", "带什么", "带啥", "提交什么", "提供什么", "要件", "证件", "几份")),
    ("department", ("在哪", "哪里", "哪儿", "哪个部门", "什么部门", "窗口", "地址", "电话", "报送")),
    ("time_limit", ("多久", "多长时间", "几天", "时限", "多少天")),
    ("fee", ("多少钱", "收费", "费用", "要钱", "免费")),
    ("online", ("网上", "线上", "手机上", "app", "预约", "跑几次", "电子")),
    ("conditions", ("条件", "能否", "能不能", "可以吗", "可不可以", "是否", "还能", "必须", "规定", "资格")),
    ("flow", ("怎么办", "如何办", "流程", "手续", "步骤", "怎么弄", "如何", "怎样")),
)
PROGRESS_WORDS = ("进度", "到哪", "哪一步", "办结了没", "受理了没", "审批到", "办好了没", "状态", "办件")


def aspect_from_words(text: str, default: str = "overview") -> str:
    for aspect, words in ASPECT_WORDS:
        if any(word in text for word in words):
            return aspect
    return default


def asks_progress(text: str) -> bool:
    return any(word in text for word in PROGRESS_WORDS)
