"""An action package for tests/ops: one action that fails with personal data in its error."""
from __future__ import annotations

from rasa_sdk import Action


class ActionThatFails(Action):
    def name(self) -> str:
        return "action_that_fails"

    async def run(self, dispatcher, tracker, domain):
        raise ValueError(f"cannot handle {tracker.latest_message.get('text')}")
