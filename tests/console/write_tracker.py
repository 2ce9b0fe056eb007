"""Writes handed-off and ordinary conversations with Rasa's own SQLTrackerStore.

Run in the Rasa environment (`.venvs/rasa/bin/python tests/console/write_tracker.py DB`), so
the console tests read exactly the rows Rasa 3.6 writes, not a hand-made imitation.
"""
from __future__ import annotations

import asyncio
import sys

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

T0 = 1_795_000_000.0  # 2026-11-18, a fixed moment so the listing order is known

CONVERSATIONS = {
    # sender: (channel, [(user text, intent, bot text, handoff reason or None)])
    "wx-openid-handoff-1": ("wechat", [
        ("开饭店要办什么证", "ask_materials", "【食品经营许可】所需材料…", None),
        ("我要找人工", "handoff", "好的，正在为您转接人工服务，请稍候。", "user_request"),
    ]),
    "app-user-complaint-2": ("app", [
        ("窗口办事太慢了我要投诉", "complaint", "您反映的情况我们已收到。", "complaint"),
    ]),
    "rest-ordinary-3": ("rest", [
        ("上户口要什么材料", "ask_materials", "【户口登记】所需材料…", None),
    ]),
}


async def write(path: str) -> None:
    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=path)
    for offset, (sender, (channel, turns)) in enumerate(CONVERSATIONS.items()):
        tracker = DialogueStateTracker(sender, slots=[])
        at = T0 + offset * 600
        for text, intent, bot_text, handoff in turns:
            tracker.update(UserUttered(text, {"name": intent, "confidence": 0.9}, input_channel=channel, timestamp=at))
            tracker.update(ActionExecuted("action_handoff" if handoff else "action_answer", timestamp=at + 1))
            data = {"custom": {"type": "handoff", "reason": handoff}} if handoff else {}
            tracker.update(BotUttered(bot_text, data, timestamp=at + 2))
            at += 60
        await store.save(tracker)


if __name__ == "__main__":
    asyncio.run(write(sys.argv[1]))
