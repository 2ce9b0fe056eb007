"""Personal data out of stored and streamed conversation events (rasa-free, dict level).

`protect(event)` is what is written to the tracker store and sent to the event broker:
every string in the event is masked (core.personal_data) — user texts, parse data, entity
values, bot texts and payloads, metadata, slot values — except the slots the
conversation still needs (the progress form's application number and verification
factor), which are sealed (bot.ops.sealing). `reveal(event)` opens sealed slots when a
tracker is read back, so Rasa and the actions see the real value for the next turn.
"""
from __future__ import annotations

import logging
from typing import Any, Iterable

from core.personal_data import mask_value
from bot.ops.sealing import SealError, Sealer

logger = logging.getLogger(__name__)

SEALED_SLOTS = ("application_number", "verification_factor")


class EventProtector:
    def __init__(self, sealer: Sealer, sealed_slots: Iterable[str] = SEALED_SLOTS):
        self.sealer = sealer
        self.sealed_slots = frozenset(sealed_slots)

    def protect(self, event: dict[str, Any]) -> dict[str, Any]:
        event = dict(event)
        sealed = None
        if event.get("event") == "slot" and event.get("name") in self.sealed_slots \
                and isinstance(event.get("value"), str) and not Sealer.is_sealed(event["value"]):
            sealed = self.sealer.seal(event["value"])
            event["value"] = None
        event = mask_value(event)
        if sealed is not None:
            event["value"] = sealed
        return event

    def reveal(self, event: dict[str, Any]) -> dict[str, Any]:
        if event.get("event") != "slot" or not Sealer.is_sealed(event.get("value")):
            return event
        try:
            return {**event, "value": self.sealer.unseal(event["value"])}
        except SealError:
            # Another key sealed it (a rotated key): the slot is forgotten, the form asks again.
            logger.warning("a sealed slot could not be opened with the current key; it is cleared")
            return {**event, "value": None}
