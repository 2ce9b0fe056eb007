"""Reading the conversation state the guide actions share: aspect, district, choices."""
from __future__ import annotations

from rasa_sdk import Tracker

from actions.progress_extract import PROGRESS_WORDS
from core.personal_data import mask_text
from knowledge.regions import Region, load_regions

INTENT_ASPECTS = {
    "ask_materials": "materials", "ask_department": "department", "ask_flow": "flow",
    "ask_time_limit": "time_limit", "ask_fee": "fee", "ask_conditions": "conditions", "ask_online": "online",
    "ask_overview": "overview", "ask_bundle": "overview",
}


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def question_text(tracker: Tracker) -> str:
    """The latest message as a question: personal and application numbers pasted into it (masked
    first, so the typed placeholders go too) are left out, with the words that label them."""
    return without_pasted_numbers(latest_text(tracker))


def without_pasted_numbers(text: str) -> str:
    """`text` without the numbers pasted into it and without progress set aside ("先不管进度")."""
    from actions.dialogue.words import PASTED_NUMBER, PROGRESS_SET_ASIDE

    stripped = PROGRESS_SET_ASIDE.sub(" ", PASTED_NUMBER.sub(" ", mask_text(text)))
    if stripped == text:
        return text
    return " ".join(stripped.split()).strip(" ，,。;；、")


DISCUSSED_MAX = 6  # items a conversation points back to ("刚才那个…"); older ones are asked anew


def items_discussed(tracker: Tracker, limit: int = DISCUSSED_MAX) -> list[str]:
    """The items answered in this conversation, most recent first, each once: the values the
    `item_code` slot took (the tracker's events), so an earlier item can be pointed back to after
    another was discussed ("刚才那个身份证要好久" once 户口簿 was asked)."""
    seen: list[str] = []
    for event in reversed(tracker.events or []):
        if event.get("event") == "slot" and event.get("name") == "item_code" and event.get("value"):
            if event["value"] not in seen:
                seen.append(event["value"])
                if len(seen) >= limit:
                    break
    current = tracker.get_slot("item_code")
    if current and current not in seen[:1]:
        seen = [current] + [code for code in seen if code != current]
    return seen[:limit]


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
    """A 1-based choice from "2", "第二个", "选三", "最后一个"; None when it is not one.

    Kept for callers outside the guide; the one implementation is actions.dialogue.options."""
    from actions.dialogue.options import ordinal_of

    return ordinal_of(text, count)


def leading_ordinal(text: str, count: int) -> tuple[int, str] | None:
    """"第二个要什么材料" → (2, "要什么材料"): a pick followed by a question; None otherwise."""
    from actions.dialogue.options import LEADING_RE, _number
    from knowledge.normalize import compact

    match = LEADING_RE.match(compact(text))
    if not match:
        return None
    number = _number(match.group(1))
    return (number, match.group(2)) if 1 <= number <= count else None


def aspect_from_words(text: str, default: str = "overview") -> str:
    """The first aspect the words ask (the interpreter's families), else `default`."""
    from actions.dialogue.interpreter import aspects_in

    found = aspects_in(text)
    return found[0] if found else default




def asks_progress(text: str) -> bool:
    return any(word in text for word in PROGRESS_WORDS)
