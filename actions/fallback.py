"""When the NLU is unsure: the interpreter and the catalog still get the message."""
from __future__ import annotations

from actions.guide import TurnAction


class ActionNotUnderstood(TurnAction):
    def name(self) -> str:
        return "action_not_understood"
