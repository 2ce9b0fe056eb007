"""有用 / 没用: usefulness feedback on the last answer — only when the message is just that.

"不对 我想问的是收费" or "没用 我要的是办理地址" is a correction, answered as such
(actions.dialogue.interpreter decides).
"""
from __future__ import annotations

from actions.guide import TurnAction


class ActionFeedback(TurnAction):
    def __init__(self, store=None, catalog=None):
        super().__init__(catalog)
        self._store = store

    def name(self) -> str:
        return "action_feedback"
