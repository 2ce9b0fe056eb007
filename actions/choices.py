"""Picking one of the offered items by number, ordinal or name (actions.dialogue.options)."""
from __future__ import annotations

from actions.guide import TurnAction


class ActionChooseOption(TurnAction):
    def name(self) -> str:
        return "action_choose_option"
