"""The wording of progress reminders: the offer after a verified answer, the replies to
"提醒我" / "取消提醒" / "我的提醒", and the notice the notifier sends (answers/templates.yml,
section `reminders`)."""
from __future__ import annotations

from datetime import datetime

from answers.templates import say


def offer() -> str:
    return say("reminders.offer")


def subscribed(item: str, number: str, channel: str, already: bool) -> str:
    if already:
        return say("reminders.already", item=item, number=number)
    by_wechat = channel == "wechat"  # one consent, one message: the wording says so
    return say("reminders.subscribed_wechat" if by_wechat else "reminders.subscribed", item=item, number=number)


def nothing_to_subscribe() -> str:
    return say("reminders.nothing_to_subscribe")


def channel_unsupported() -> str:
    return say("reminders.channel_unsupported")


def cancelled(count: int) -> str:
    return say("reminders.cancelled", count=count) if count else say("reminders.none")


def listing(entries: list[tuple[str, str]]) -> str:
    """(item name, masked number) of each subscription."""
    if not entries:
        return say("reminders.none")
    lines = [say("reminders.list_header", count=len(entries))]
    lines += [say("reminders.list_line", index=index, item=item, number=number)
              for index, (item, number) in enumerate(entries, 1)]
    lines.append(say("reminders.list_footer"))
    return "\n".join(lines)


def notice(item: str, number: str, stage: str, completed: bool, at: datetime) -> str:
    """One change as a sentence (the app callback's text and the held news)."""
    when = at.strftime("%m-%d %H:%M")
    if completed:
        return say("reminders.notice_completed", item=item, number=number, when=when)
    return say("reminders.notice", item=item, number=number, stage=stage, when=when)
