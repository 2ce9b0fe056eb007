"""Failures of the production profile's shared infrastructure, as the channels see them."""
from __future__ import annotations


class ConversationStoreUnavailable(BaseException):
    """The conversation database stayed unreachable for the whole retry budget.

    A BaseException on purpose: Rasa wraps every tracker store in `FailSafeTrackerStore`,
    which catches `Exception` and then carries on with an empty in-memory tracker — the
    user would get an answer without context and the turn would never reach the
    database. Deriving from BaseException lets the failure pass that wrapper; the
    channels' guard (channels/guard.py) turns it into a clear "try again" message.
    """

    def __init__(self, operation: str):
        super().__init__(f"conversation store unavailable during {operation}")
        self.operation = operation
