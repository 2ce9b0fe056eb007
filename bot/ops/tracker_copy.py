"""`DialogueStateTracker.copy()` without replaying the session (Rasa process only).

Rasa 3.6's `copy()` (`travel_back_in_time(inf)`) builds a fresh tracker (`init_copy`) and
applies every event of the conversation to it again. The processor copies the tracker before
every action it runs (`MessageProcessor._run_action`), so the cost grows with the
conversation: the largest part of the Rasa process's time that still did (docs/performance.md).

The tracker's state is, by Rasa's own rule, what its events make of it. So when every event
is one whose `apply_to` only sets the tracker's state from the event (or is idempotent on
the latest user message: DefinePrevUserUtteredFeaturization, EntitiesAdded) the copy is
`init_copy()` with the same events and the original's state: each slot's value and
"has been set" flag, the latest message, action and bot utterance, the follow-up action, the
pause flag and a copy of the active loop. Objects that the replay would share with the
original (events, slot values, the latest user message and bot utterance when they are
events) are shared; the ones the replay creates anew (the latest action's dict, the active
loop and its trigger message, the empty message of a reset) are copied.

Rasa's own `copy()` runs instead when the result could differ: a tracker with a maximum
event history (its earliest events may be gone while their state stays), an event whose
timestamp is not `<= inf` (Rasa's loop stops there), an event class whose `apply_to` is not
one of the known ones (a custom event, StoryExported writing a file), or a tracker of
another class.

Installed by bot/ops/rasa_speedups.py. Rasa environment only.
"""
from __future__ import annotations

import copy
import itertools
import operator
import time
from typing import Any

from rasa.shared.core import events as rasa_events
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops.patching import Patch

_STATE_EVENTS = (
    rasa_events.UserUttered, rasa_events.DefinePrevUserUtteredFeaturization, rasa_events.EntitiesAdded,
    rasa_events.BotUttered, rasa_events.SlotSet, rasa_events.Restarted, rasa_events.UserUtteranceReverted,
    rasa_events.AllSlotsReset, rasa_events.ActionReverted, rasa_events.FollowupAction,
    rasa_events.ConversationPaused, rasa_events.ConversationResumed, rasa_events.ActionExecuted,
    rasa_events.ActiveLoop, rasa_events.LoopInterrupted, rasa_events.ActionExecutionRejected,
    rasa_events.SessionStarted, rasa_events.Event,
)
# The apply_to functions as Rasa 3.6.21 defines them (a subclass that overrides one is unknown).
KNOWN_APPLY = frozenset(cls.__dict__["apply_to"] for cls in _STATE_EVENTS if "apply_to" in cls.__dict__)
INFINITY = float("inf")
CHECKED = "_yuban_copy_checked"  # on a tracker: (its events found plain,)

def _replays_plainly(tracker: DialogueStateTracker) -> bool:
    """True when replaying the tracker's events gives the tracker's own state.

    The events found plain are kept on the tracker (CHECKED); a later call checks only the
    events after them when they are still the first ones (the very same objects, in order).
    Their timestamps are not read again: Rasa 3.6 sets an event's timestamp only to
    `time.time()` (`update_with_events`, the two-stage fallback's clarification), which keeps
    it `<= inf`; a timestamp set in place to NaN or a non-number on an event already checked
    would go unnoticed (before the sixth session every call compared all of them: 0.07 ms per
    copy at turn 100, 0.5 ms at 500, two or more copies per message).
    """
    if type(tracker) is not DialogueStateTracker or tracker._max_event_history is not None:
        return False
    events = tracker.events
    checked = tracker.__dict__.get(CHECKED)
    start = 0
    if checked is not None and len(events) >= len(checked[0]) and all(map(operator.is_, checked[0], events)):
        start = len(checked[0])
    known = KNOWN_APPLY
    new_events = list(itertools.islice(events, start, None))
    try:
        for event in new_events:
            if not event.timestamp <= INFINITY or type(event).apply_to not in known:
                return False
    except TypeError:  # a timestamp that is not a number: Rasa's copy raises its own error
        return False
    if checked is None or start == 0:
        tracker.__dict__[CHECKED] = ([],)
        checked = tracker.__dict__[CHECKED]
    checked[0].extend(new_events)
    return True


def replace_bot_message(tracker: DialogueStateTracker, old: Any, new: Any) -> None:
    """After the tracker store replaced the bot message `old` by `new` in `tracker.events`: the
    events found plain hold `new` in its place when it is plain too (else they are dropped)."""
    checked = tracker.__dict__.get(CHECKED)
    if checked is None:
        return
    kept = checked[0]
    for index in range(len(kept) - 1, -1, -1):
        if kept[index] is old:
            try:
                plain = new.timestamp <= INFINITY and type(new).apply_to in KNOWN_APPLY
            except TypeError:
                plain = False
            if plain:
                kept[index] = new
            else:
                tracker.__dict__.pop(CHECKED, None)
            return


def _is_an_event(tracker: DialogueStateTracker, candidate: Any) -> bool:
    """True when `candidate` is one of the tracker's events (searched from the latest)."""
    return any(event is candidate for event in reversed(tracker.events))


def _shared_or_new(tracker: DialogueStateTracker, message: Any) -> Any:
    """The message itself when it is one of the events, else (the empty one of a reset) a new one
    made now, as the replay's reset makes it."""
    if message is None or _is_an_event(tracker, message):
        return message
    made = copy.deepcopy(message)
    made.timestamp = time.time()
    return made


def copy_tracker(self: DialogueStateTracker) -> DialogueStateTracker:
    """As DialogueStateTracker.copy(): the same tracker, from the state instead of a replay."""
    if not _replays_plainly(self):
        return _patch.original(self)
    duplicate = self.init_copy()
    duplicate.events.extend(self.events)
    for name, slot in self.slots.items():
        target = duplicate.slots.get(name)
        if target is not None:
            target._value = slot._value
            target._has_been_set = slot._has_been_set
    duplicate._paused = self._paused
    duplicate.followup_action = self.followup_action
    duplicate.latest_action = dict(self.latest_action) if self.latest_action is not None else None
    duplicate.latest_message = _shared_or_new(self, self.latest_message)
    duplicate.latest_bot_utterance = _shared_or_new(self, self.latest_bot_utterance)
    duplicate.active_loop = copy.deepcopy(self.active_loop)
    return duplicate


def rasa_copy(tracker: DialogueStateTracker) -> DialogueStateTracker:
    """Rasa's own copy (also while the replacement is installed)."""
    return (_patch.original or DialogueStateTracker.copy)(tracker)


_patch = Patch(lambda: DialogueStateTracker, "copy", copy_tracker)


def install() -> None:
    _patch.install()


def uninstall() -> None:
    _patch.uninstall()
