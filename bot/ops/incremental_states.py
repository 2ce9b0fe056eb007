"""`DialogueStateTracker.past_states` computed once per event prefix and extended by new events.

Rasa 3.6's `past_states(domain, ...)` (through `Domain.states_for_tracker_history`) replays
every applied event of the session into a fresh tracker and builds the state of every turn,
on every call: MemoizationPolicy, RulePolicy and their featurizers call it several times per
prediction, and the cost grows with the conversation (1.3 ms at turn 1, 15.6 ms at turn 100;
docs/performance.md). The tracker store keeps tracker objects between messages
(bot/ops/tracker_cache.py), so a memo kept on the tracker object carries across turns.

The memo (`_Run`) is Rasa's own loop stopped after the last applied event: the replayed
tracker, the states built so far and the loop's two variables. A call takes the tracker's
applied events (`applied_events` below: Rasa's list, extended by new events that Rasa's loop
would simply append), and when the memo's events are a prefix of them (the very same event
objects, in order) it feeds only the new ones through the same loop;
otherwise (a rewind, an undo, a restart or new session, a form's loop execution undone, a
trimmed history, another domain, other rule-only data, a changed slot set) it starts again
from the beginning. Two events change an earlier event object when applied: the latest user
message, which states read (`DefinePrevUserUtteredFeaturization`, which the policy ensemble
appends after every user message, and `EntitiesAdded`). Rasa's replay reads that message as
it is now; a state the memo built in an earlier call read it as it was then. So when such an
event comes while the latest user message is the one the memo's last state read, the call
gives Rasa's own function and the memo starts again next time. In a usual turn the event
follows a new user message that no kept state has read.
Callers may change the states they get (Rasa's featurizers delete keys), so each call hands
out a copy that keeps the sharing between the states that Rasa's own result has.

One memo per (domain, omit_unset_slots, ignore_rule_only_turns) on each tracker; the
replayed tracker holds the same event objects, so a memo costs the states and one tracker.
The same applied events also replace `DialogueStateTracker.applied_events` (a new list per
call, as Rasa's): the processor asks for them twice per message (whether the session is new
or expired), and Rasa's loop over the whole session (an ABC `isinstance` per event) was the
largest cost left that grows with a long conversation.

Installed by bot/ops/rasa_speedups.py. Rasa environment only.
"""
from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Text

from rasa.shared.core import constants
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.events import (ActionExecuted, ActionReverted, ActiveLoop, DefinePrevUserUtteredFeaturization,
                                     EntitiesAdded, Event, Restarted, SessionStarted, UserUtteranceReverted)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops.event_prefix import Prefix, edits

MEMO = "_yuban_states_memo"
APPLIED = "_yuban_applied_memo"
_REWINDING_EVENTS = (Restarted, SessionStarted, ActionReverted, UserUtteranceReverted)
# Events whose apply_to changes another event object (the latest user message).
_CHANGE_EARLIER_EVENTS = (DefinePrevUserUtteredFeaturization, EntitiesAdded)
# Values a state shares with its events instead of copying them (Rasa's own states share them
# too); subclasses included: our classifier names intents with numpy.str_.
_IMMUTABLE = (str, int, float, type(None))

_state: dict[str, Any] = {"installed": False, "original": None, "original_applied": None}


@dataclass
class _Run:
    """Domain.states_for_tracker_history's loop, stopped after `applied` (Rasa 3.6.21)."""

    domain: Domain
    omit_unset_slots: bool
    ignore_rule_only_turns: bool
    rule_only_data: Optional[Dict[Text, Any]]
    slot_names: tuple
    is_rule_tracker: bool
    applied: List[Event]
    replay: DialogueStateTracker
    states: List[State]
    last_ml_action_sub_state: Optional[Dict[Text, Any]] = None
    turn_was_hidden: bool = False
    last_read: Optional[Event] = None  # the latest user message when the last kept state was built
    flat: set = field(default_factory=set)  # ids of kept sub-states whose values cannot change
    prefix: Prefix = field(default_factory=Prefix)  # the applied list `applied` was last found to start

    @classmethod
    def start(cls, tracker: DialogueStateTracker, domain: Domain, omit_unset_slots: bool,
              ignore_rule_only_turns: bool, rule_only_data: Optional[Dict[Text, Any]]) -> "_Run":
        return cls(domain, omit_unset_slots, ignore_rule_only_turns, copy.deepcopy(rule_only_data),
                   tuple(tracker.slots), tracker.is_rule_tracker, [], tracker.init_copy(), [])

    def fits(self, tracker: DialogueStateTracker, domain: Domain, rule_only_data: Optional[Dict[Text, Any]],
             applied: List[Event]) -> bool:
        """True when `applied` extends this run's events and everything else is as at its start."""
        if (self.domain is not domain or self.rule_only_data != rule_only_data
                or self.is_rule_tracker != tracker.is_rule_tracker or self.slot_names != tuple(tracker.slots)
                or len(applied) < len(self.applied)):
            return False
        return self.prefix.of(self.applied, applied)

    def feed(self, events: List[Event]) -> bool:
        """As the loop over generate_all_prior_trackers, for events after the run's end.

        False (the run is then unusable) when an event changes the user message that states
        kept from an earlier call read.
        """
        read_before = self.last_read
        for event in events:
            if (isinstance(event, _CHANGE_EARLIER_EVENTS) and read_before is not None
                    and self.replay.latest_message is read_before):
                return False
            if isinstance(event, ActionExecuted):
                self._step(event.hide_rule_turn, self.states)
                self.last_read = self.replay.latest_message
            self.replay.update(event)
            self.applied.append(event)
        return True

    def view(self) -> List[State]:
        """The kept states themselves (read them, do not change them) and the final state after
        the last event, as Rasa returns them."""
        last_ml, hidden = self.last_ml_action_sub_state, self.turn_was_hidden
        final: List[State] = []
        self._step(False, final)
        self.last_ml_action_sub_state, self.turn_was_hidden = last_ml, hidden
        return self.states + final

    def _step(self, hide_rule_turn: bool, out: List[State]) -> None:
        """The body of Domain.states_for_tracker_history's loop for one prior tracker."""
        domain, tr = self.domain, self.replay
        if self.ignore_rule_only_turns:
            if not self.turn_was_hidden:
                self.last_ml_action_sub_state = domain._get_prev_action_sub_state(tr)
            if not tr.followup_action and not tr.latest_action_name == tr.active_loop_name:
                self.turn_was_hidden = hide_rule_turn
            if self.turn_was_hidden:
                return
        state = domain.get_active_state(tr, omit_unset_slots=self.omit_unset_slots)
        if self.ignore_rule_only_turns:
            domain._remove_rule_only_features(state, self.rule_only_data)
            if self.states:  # `out` is either these states or, for the final state, empty
                domain._substitute_rule_only_user_input(state, self.states[-1])
            if self.last_ml_action_sub_state:
                state[constants.PREVIOUS_ACTION] = self.last_ml_action_sub_state
        state = domain._clean_state(state)
        if out is self.states:
            self.flat.update(id(sub_state) for sub_state in state.values() if _is_flat(sub_state))
        out.append(state)


def _is_flat(sub_state: Any) -> bool:
    """True for a dict whose values cannot change (strings, numbers, tuples of them)."""
    if type(sub_state) is not dict:
        return False
    for value in sub_state.values():
        if not isinstance(value, _IMMUTABLE) and not (type(value) is tuple
                                                       and all(isinstance(item, _IMMUTABLE) for item in value)):
            return False
    return True


def _copy_states(states: List[State], flat: set) -> List[State]:
    """New state dicts and sub-states (one level for those whose id is in `flat`, else deeply);
    a sub-state shared by several states stays shared, as in Rasa's result."""
    copies: dict[int, Any] = {}
    result = []
    for state in states:
        new_state = {}
        for key, sub_state in state.items():
            ident = id(sub_state)
            copied = copies.get(ident)
            if copied is None:
                copied = copies[ident] = dict(sub_state) if ident in flat or _is_flat(sub_state) \
                    else copy.deepcopy(sub_state)
            new_state[key] = copied
        result.append(new_state)
    return result


def copy_states(states: List[State]) -> List[State]:
    """States as past_states hands them out (callers may change them) for some of a view's states."""
    return _copy_states(states, set())


@dataclass
class _Applied:
    """A tracker's events as last seen (the same objects), what applied_events() gave for them,
    and the names of the loops they activate."""

    events: List[Event]
    applied: List[Event]
    loop_names: set
    prefix: Prefix = field(default_factory=Prefix)  # the events deque `events` was last found to start


def _extends_plainly(event: Event, loop_names: set) -> bool:
    """True when Rasa's applied_events would append `event` and treat every earlier one as before."""
    if isinstance(event, _REWINDING_EVENTS):
        return False
    if isinstance(event, ActiveLoop):
        return not event.name or event.name in loop_names
    return not (isinstance(event, ActionExecuted) and event.action_name in loop_names)


def applied_events(tracker: DialogueStateTracker) -> List[Event]:
    """As tracker.applied_events(), extended when only events that Rasa simply appends were added.

    Rasa's loop appends an event unless it restarts, rewinds or undoes, or is the execution of
    a loop (a form) named in any ActiveLoop event of the tracker; a new loop name changes how
    earlier loop executions count, so it also means Rasa's full loop. The list returned is
    the memo's: read it, do not change it.
    """
    events = tracker.events
    memo = tracker.__dict__.get(APPLIED)
    if memo is not None and memo.prefix.of(memo.events, events, edits(tracker)):
        new_events = list(itertools.islice(events, len(memo.events), None))
        if all(_extends_plainly(event, memo.loop_names) for event in new_events):
            memo.events.extend(new_events)
            memo.applied.extend(new_events)
            return memo.applied
    applied = rasa_applied_events(tracker)
    loop_names = {event.name for event in events if isinstance(event, ActiveLoop) and event.name}
    tracker.__dict__[APPLIED] = _Applied(list(events), list(applied), loop_names)
    return tracker.__dict__[APPLIED].applied


def _replace_last(items: List[Any], old: Any, new: Any) -> None:
    for index in range(len(items) - 1, -1, -1):
        if items[index] is old:
            items[index] = new
            return


def replace_bot_message(tracker: DialogueStateTracker, old: Event, new: Event) -> None:
    """After the tracker store replaced the bot message `old` in `tracker.events` by `new` (the
    same message as a load gives it): the memos hold `new` in its place instead of starting again.

    A bot message's apply_to sets only the latest bot utterance, which no state reads, so the
    states kept are those Rasa's replay builds from the new events; the replayed tracker gets
    the new message too.
    """
    memo = tracker.__dict__.get(APPLIED)
    if memo is not None:
        _replace_last(memo.events, old, new)
        _replace_last(memo.applied, old, new)
    for run in tracker.__dict__.get(MEMO, {}).values():
        _replace_last(run.applied, old, new)
        _replace_last(run.replay.events, old, new)
        if run.replay.latest_bot_utterance is old:
            run.replay.latest_bot_utterance = new


def past_states(self: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                ignore_rule_only_turns: bool = False,
                rule_only_data: Optional[Dict[Text, Any]] = None) -> List[State]:
    """As DialogueStateTracker.past_states; only events new since the last call are replayed."""
    run = _extended_run(self, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    if run is None:
        return rasa_past_states()(self, domain, omit_unset_slots=omit_unset_slots,
                                  ignore_rule_only_turns=ignore_rule_only_turns, rule_only_data=rule_only_data)
    return _copy_states(run.view(), run.flat)


def past_states_view(tracker: DialogueStateTracker, domain: Domain, omit_unset_slots: bool = False,
                     ignore_rule_only_turns: bool = False,
                     rule_only_data: Optional[Dict[Text, Any]] = None) -> List[State]:
    """The states past_states gives, without the copy: the memo's own state dicts, to read only
    (for callers that need their number or a look at them, not states they may change)."""
    run = _extended_run(tracker, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    if run is None:
        return rasa_past_states()(tracker, domain, omit_unset_slots=omit_unset_slots,
                                  ignore_rule_only_turns=ignore_rule_only_turns, rule_only_data=rule_only_data)
    return run.view()


def _extended_run(tracker: DialogueStateTracker, domain: Domain, omit_unset_slots: bool,
                  ignore_rule_only_turns: bool, rule_only_data: Optional[Dict[Text, Any]]) -> Optional[_Run]:
    """The tracker's memo for these options, fed with the new events (None: use Rasa's function)."""
    applied = applied_events(tracker)
    memos = tracker.__dict__.setdefault(MEMO, {})
    key = (id(domain), bool(omit_unset_slots), bool(ignore_rule_only_turns))
    run = memos.get(key)
    if run is not None and run.fits(tracker, domain, rule_only_data, applied):
        new_events = applied[len(run.applied):]
    else:
        run = _Run.start(tracker, domain, omit_unset_slots, ignore_rule_only_turns, rule_only_data)
        new_events = applied
    if not run.feed(new_events):
        memos.pop(key, None)
        return None
    memos[key] = run
    return run


def rasa_applied_events(tracker: DialogueStateTracker) -> List[Event]:
    """Rasa's own DialogueStateTracker.applied_events (also while the replacement is installed)."""
    return (_state["original_applied"] or DialogueStateTracker.applied_events)(tracker)


def _applied_events_method(self: DialogueStateTracker) -> List[Event]:
    """As DialogueStateTracker.applied_events: a new list the caller may change."""
    return list(applied_events(self))


def rasa_past_states() -> Callable[..., List[State]]:
    """Rasa's own DialogueStateTracker.past_states (also while the replacement is installed)."""
    return _state["original"] or DialogueStateTracker.past_states


def install() -> None:
    if _state["installed"]:
        return
    _state["original"] = DialogueStateTracker.past_states
    _state["original_applied"] = DialogueStateTracker.applied_events
    DialogueStateTracker.past_states = past_states
    DialogueStateTracker.applied_events = _applied_events_method
    _state["installed"] = True


def uninstall() -> None:
    if not _state["installed"]:
        return
    DialogueStateTracker.past_states = _state["original"]
    DialogueStateTracker.applied_events = _state["original_applied"]
    _state["original_applied"] = None
    _state["installed"] = False
