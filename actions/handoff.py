"""Handing over to people: the 12345 hotline and complaints (only on complaint cues)."""
from __future__ import annotations

from actions.guide import TurnAction


class ActionHandoff(TurnAction):
    def name(self) -> str:
        return "action_handoff"


class ActionComplaint(TurnAction):
    """Complaints and suggestions go to 12345 and, for an item, its supervision phone; a
    question filed here ("来电人反映…，咨询…") is answered as a question."""

    def name(self) -> str:
        return "action_complaint"
