"""The progress form: number and phone digits from any message, the lookup, and its questions.

Every user turn while the form runs (and the message that starts it) goes through
`ValidateProgressForm`: the number and the digits are taken from wherever they are in
the text (actions/progress_extract.py), only what is still missing is asked, and once
both are known the application is looked up right here. A wrong factor does not end
the form: the user is told once and can type the right digits (or another number),
within the lockout rule of actions/verification_lock.py, whose reservation is taken
before the platform is asked. The form's questions are custom ask actions so each
turn prints exactly one prompt, with the hint the last answer needed folded into it.
"""
from __future__ import annotations

import asyncio
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction

from actions import context
from actions.deps import default_lock, default_progress
from actions.guide import CatalogAction
from actions.guide_flow import named_item
from actions.progress import (TERMINAL, default_identity_key, failure_text, progress_message,
                              route)
from actions.progress_client import InvalidQuery, NotFoundOrUnverified, ProgressError, end_user_id
from actions.dialogue.words import CANCEL_CUES, RETRACTION
from actions.progress_extract import _NO_NUMBER, extract
from answers.templates import say
from actions.reminders import offer_reminder

# The form's prompts under their former constant names (answers/templates.yml holds the text;
# read on first use, see __getattr__).
TEXTS = {"ASK_NUMBER": "progress.ask_number", "ASK_FACTOR": "progress.ask_factor", "BAD_NUMBER": "progress.bad_number",
         "BAD_FACTOR": "progress.bad_factor", "RETRY": "progress.retry", "LOCKED": "progress.locked",
         "NOT_FOUND": "progress.not_found"}


class ValidateProgressForm(FormValidationAction, CatalogAction):
    def __init__(self, catalog=None, lock=None, client=None, identity_key: bytes | None = None):
        CatalogAction.__init__(self, catalog)
        self._lock, self._client, self._key = lock, client, identity_key

    def name(self) -> str:
        return "validate_progress_form"

    @property
    def lock(self):
        return self._lock or default_lock()

    @property
    def key(self) -> bytes | None:
        return self._key if self._key is not None else default_identity_key()

    async def required_slots(self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker,
                             domain: dict) -> list[str]:
        if tracker.get_slot("progress_outcome") in TERMINAL:
            return []
        return domain_slots if route(tracker, self.catalog, self.lock, self.key) == "ask" else []

    async def extract_application_number(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                         domain: dict) -> dict[str, Any]:
        """Always a value (even the unchanged one), so the turn is validated as a whole."""
        if context.latest_intent(tracker) == "stop":
            return {}  # nothing taken: the form is rejected and the "leave the form" rule runs
        found = extract(context.latest_text(tracker))
        return {"application_number": found.number or tracker.get_slot("application_number")}

    async def validate_application_number(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                          domain: dict) -> dict[str, Any]:
        """The whole turn: what the message gave, what is missing, and the lookup when nothing is."""
        text = context.latest_text(tracker)
        asked = tracker.get_slot("requested_slot")
        found = extract(text, factor_asked=asked == "verification_factor")
        number = value or None
        factor = found.factor or tracker.get_slot("verification_factor")
        if found.number:  # a new number: digits typed for another one do not carry over
            factor = found.factor
        if number is None:
            if found.no_number and asked and named_item(self.catalog, _without_no_number(text)) is not None:
                # "编号我找不到了 算了 先问下居住证要带啥": the number given up, a guide question asked instead
                return {"application_number": None, "verification_factor": None, "progress_outcome": "guide"}
            if found.no_number:
                return {"application_number": None, "verification_factor": factor, "progress_outcome": "no_number"}
            if asked and not found.factor and not found.malformed_number \
                    and named_item(self.catalog, text) is not None:
                return {"application_number": None, "verification_factor": None, "progress_outcome": "guide"}
            hint = "bad_number" if asked == "application_number" or found.malformed_number else None
            return {"application_number": None, "verification_factor": factor, "progress_outcome": hint}
        if self.lock.is_locked(tracker.sender_id, number):
            return {"application_number": None, "verification_factor": None, "progress_outcome": "locked"}
        if factor is None:
            hint = "bad_factor" if asked == "verification_factor" and not found.number else None
            return {"application_number": number, "verification_factor": None, "progress_outcome": hint}
        return await self._look_up(dispatcher, tracker, number, factor)

    async def _look_up(self, dispatcher: CollectingDispatcher, tracker: Tracker, number: str,
                       factor: str) -> dict[str, Any]:
        reservation = await asyncio.to_thread(self.lock.reserve, tracker.sender_id, number)
        if reservation is None:
            return {"application_number": None, "verification_factor": None, "progress_outcome": "locked"}
        try:
            application = await (self._client or default_progress()).lookup(number, factor, end_user_id(tracker.sender_id))
        except (NotFoundOrUnverified, InvalidQuery):
            # The reservation stays counted as the failure it turned out to be.
            if await asyncio.to_thread(self.lock.is_locked, tracker.sender_id, number):
                return {"application_number": None, "verification_factor": None, "progress_outcome": "locked"}
            return {"application_number": number, "verification_factor": None, "progress_outcome": "retry"}
        except ProgressError as error:
            await asyncio.to_thread(self.lock.succeeded, reservation)  # not the user's failure
            dispatcher.utter_message(text=failure_text(error))
            return {"application_number": None, "verification_factor": None, "progress_outcome": "unavailable"}
        await asyncio.to_thread(self.lock.succeeded, reservation)
        progress_message(dispatcher, application)
        await offer_reminder(dispatcher, tracker, application)
        return {"application_number": None, "verification_factor": None, "progress_outcome": "answered"}

    async def validate_verification_factor(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                           domain: dict) -> dict[str, Any]:
        # Decided by validate_application_number in the same turn (it runs first).
        return {"verification_factor": tracker.get_slot("verification_factor")}


class ActionAskApplicationNumber(Action):
    def name(self) -> str:
        return "action_ask_application_number"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=say("progress.bad_number" if tracker.get_slot("progress_outcome") == "bad_number"
                                     else "progress.ask_number"))
        return []


class ActionAskVerificationFactor(Action):
    def name(self) -> str:
        return "action_ask_verification_factor"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        hint = tracker.get_slot("progress_outcome")
        dispatcher.utter_message(text=say("progress.retry" if hint == "retry" else "progress.bad_factor"
                                     if hint == "bad_factor" else "progress.ask_factor"))
        return []


def _without_no_number(text: str) -> str:
    """The message without its clauses saying the number is not at hand (and a retraction after them)."""
    clauses = [c for c in re.split(r"[，,。；;！!？?\s]+", text) if c]
    kept = [c for c in clauses if not _NO_NUMBER.search(c) and c not in CANCEL_CUES and not RETRACTION.fullmatch(c)]
    return "，".join(kept) if len(kept) < len(clauses) else ""


def __getattr__(name: str) -> str:
    """ASK_NUMBER, RETRY, … : the form's prompts, read from the templates on first use."""
    if name in TEXTS:
        return say(TEXTS[name])
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["ActionAskApplicationNumber", "ActionAskVerificationFactor", "ValidateProgressForm"]
