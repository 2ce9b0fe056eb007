"""What the Rasa process sends the action server: every event, with the bulk only where it is read.

Rasa 3.6's `RemoteAction` posts `tracker.current_state(EventVerbosity.ALL)`: every event of
the session as Rasa stores it, each answer's card and each message's parse data included
(583 KB of JSON at turn 100 of a guide conversation, 2.9 MB at 500). Rasa serialises it for
every action call and the action server parses it, so both processes' cost grew with the
length of the conversation.

The contract (docs/performance.md, "The action call" and "Sixth session"): the request is
Rasa's, except `tracker.events`, which is a window of the session's events, trimmed:

- **The window.** Every event from the action event (`action`, normally `action_listen`) that
  precedes the `WINDOW_TURNS`-th latest user message to the end (the message being answered and
  the turns before it). Before that event only these are sent, in their original order: for
  each slot, its latest `slot` event and its latest `slot` event with a truthy value; the latest
  `session_started` and the latest `restart`. A session with fewer user messages, or without an
  action event before that one, is sent whole.
- **Trimmed.** A bot message (`bot`) keeps `event`, `timestamp` and `text`: no `data` (the card,
  buttons, custom payload) and no `metadata`; a user message (`user`) other than the latest one
  keeps `event`, `timestamp`, `text`, `input_channel` and `message_id`: no `parse_data` and no
  `metadata`; every other event, and the latest user message, is Rasa's own dict, unchanged.

So the request no longer grows with the conversation (about the same size at turn 500 as at
turn 5), and what the actions read is the same as on the full events:
- the order of the latest (truthy) `slot` event of any two slots (actions/progress.py
  `_set_later`), `tracker.slots`, `latest_message`, `active_loop` and the other fields (Rasa's);
- everything rasa-sdk's `Tracker` derives from the latest turns: `get_latest_input_channel`,
  `slots_to_validate`, `get_last_event_for` and `applied_events` within the window (a rewind or
  undo reaches back at most `WINDOW_TURNS` - 1 user messages and stops at the window's first
  action event), `events_after_latest_restart` when the restart is in the window.
What differs: the number and positions of the events, and anything before the window other
than the events kept above (earlier actions, user and bot messages, superseded slot values).
An action that needs more of the past must keep it in a slot instead. tests/actions/
test_action_payload.py plays the scripted dialogues as one long conversation and answers every
turn from the full and the windowed events (same replies, same returned events, same readings).

The request is built with Rasa's own `_action_call_format`, handed a view of the tracker whose
`current_state` is Rasa's without events plus the trimmed events built directly from the event
objects (`event_dicts`, which does not window): a bot message or an earlier user message of
Rasa's own class becomes its few kept fields without building the rest; any other event is
Rasa's `as_dict()`, trimmed by the same rule.

Each event's trimmed dict and its JSON are also kept per conversation (`EventsMemo`, the
latest `MEMO_SIZE` senders), so a long conversation does not build and encode its whole
session for every action call; it also keeps, as events are added, where each user message's
window would start and the latest slot events of each slot before it, so a call costs the same
at turn 500 as at turn 5. The events come as `EncodedEvents`, the list of dicts with its JSON text, and `encode_body` (used by bot/ops/action_session.py to send the request) writes
exactly `json.dumps(body)` with that text spliced in. A kept entry is used only for the very
same event objects in the same order (the processor's copy of the tracker holds the same
objects; a rewind, restart or a tracker loaded again starts anew), and only for events that
are not the latest user message, whose full dict is built every time. This relies on Rasa
not changing an event object once it is in a tracker, except the latest user message
(`DefinePrevUserUtteredFeaturization`, `EntitiesAdded`); the kept dicts are shared between
requests: read them, do not change them.
"""
from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from bot.ops.event_prefix import Prefix, edits
from bot.ops.patching import Patch

BOT_KEYS = ("event", "timestamp", "text")
EARLIER_USER_KEYS = ("event", "timestamp", "text", "input_channel", "message_id")

MEMO_SIZE = 128
WINDOW_TURNS = 3  # user messages sent in full: the one being answered and the two before it
KEPT_MARKS = ("session_started", "restart")  # before the window, the latest of each is sent

_memos: OrderedDict[Any, "EventsMemo"] = OrderedDict()


def _trim(event: dict[str, Any], latest_user: bool) -> dict[str, Any]:
    """One event's dict as the action server receives it (`latest_user`: the latest user message)."""
    kind = event.get("event")
    if kind == "bot":
        return {key: event.get(key) for key in BOT_KEYS}
    if kind == "user" and not latest_user:
        return {key: event.get(key) for key in EARLIER_USER_KEYS}
    return event


def trim_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events as the action server receives them (the contract above: the window, trimmed);
    `events` is not changed."""
    return trim_all(window_events(events))


def trim_all(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every one of the events trimmed (no window); `events` is not changed."""
    latest_user = next((index for index in range(len(events) - 1, -1, -1) if events[index].get("event") == "user"), -1)
    return [_trim(event, index == latest_user) for index, event in enumerate(events)]


def window_start(events: list[dict[str, Any]]) -> int:
    """Where the window of these event dicts starts: the action event before the WINDOW_TURNS-th
    latest user message (0: the whole session is sent)."""
    users = [index for index, event in enumerate(events) if event.get("event") == "user"]
    if len(users) < WINDOW_TURNS:
        return 0
    return next((index for index in range(users[-WINDOW_TURNS] - 1, -1, -1) if events[index].get("event") == "action"), 0)


@dataclass
class KeptBefore:
    """What is sent of the events before the window, found by reading them once, in order."""

    read: int = 0  # events read so far
    latest: dict = field(default_factory=dict)  # slot name -> index of its latest slot event
    truthy: dict = field(default_factory=dict)  # slot name -> index of its latest truthy slot event
    marks: dict = field(default_factory=dict)  # "session_started" / "restart" -> index of the latest

    def read_until(self, events: list[dict[str, Any]], end: int) -> None:
        for index in range(self.read, end):
            event = events[index]
            kind = event.get("event")
            if kind == "slot":
                self.latest[event.get("name")] = index
                if event.get("value"):
                    self.truthy[event.get("name")] = index
            elif kind in KEPT_MARKS:
                self.marks[kind] = index
        self.read = max(self.read, end)

    def indices(self) -> list[int]:
        return sorted({*self.latest.values(), *self.truthy.values(), *self.marks.values()})


def window_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events of the window and those kept before it (the contract above), untrimmed."""
    start = window_start(events)
    if not start:
        return list(events)
    kept = KeptBefore()
    kept.read_until(events, start)
    return [events[index] for index in kept.indices()] + events[start:]


def _latest_user(events: list[Any]) -> int:
    return next((index for index in range(len(events) - 1, -1, -1) if events[index].type_name == "user"), -1)


def _event_dict(event: Any, latest_user: bool) -> dict[str, Any]:
    """_trim(event.as_dict(), latest_user), without building what is dropped."""
    from rasa.shared.core.events import BotUttered, UserUttered

    kind = type(event)
    if kind is BotUttered:
        return {"event": "bot", "timestamp": event.timestamp, "text": event.text}
    if kind is UserUttered and not latest_user:
        return {"event": "user", "timestamp": event.timestamp, "text": event.text,
                "input_channel": getattr(event, "input_channel", None),
                "message_id": getattr(event, "message_id", None)}
    return _trim(event.as_dict(), latest_user)


def event_dicts(events: list[Any]) -> list[dict[str, Any]]:
    """trim_all([event.as_dict() for event in events]), without building what is dropped."""
    latest_user = _latest_user(events)
    return [_event_dict(event, index == latest_user) for index, event in enumerate(events)]


class EncodedEvents(list):
    """The trimmed events (a list of their dicts) and `json_text`, exactly json.dumps of the list
    as long as the list is not changed (a change of its length is noticed by `encode_body`)."""

    def __init__(self, dicts: list[dict[str, Any]], json_text: str):
        super().__init__(dicts)
        self.json_text = json_text
        self.length = len(dicts)


@dataclass
class EventsMemo:
    """One conversation's events as last sent: the event objects, each one's dict and JSON as it
    is sent when it is not the latest user message."""

    events: list = field(default_factory=list)
    dicts: list = field(default_factory=list)
    texts: list = field(default_factory=list)
    window_starts: list = field(default_factory=list)  # per user message: the latest action event before it, or 0
    last_action: int = 0
    before: KeptBefore = field(default_factory=KeptBefore)
    prefix: Prefix = field(default_factory=Prefix)  # what `events` was last found to start (event_prefix)

    def extend(self, events: Any, edit_count: int = 0) -> None:
        """Keep `events` (a list, or a tracker's deque and its event_prefix.edits), reusing what
        was kept for the same objects at the start."""
        kept = len(self.events)
        if not self.prefix.of(self.events, events, edit_count):
            self.events, self.dicts, self.texts, kept = [], [], [], 0
            self.window_starts, self.last_action, self.before = [], 0, KeptBefore()
            self.prefix = Prefix()
            self.prefix.of(self.events, events, edit_count)
        for event in itertools.islice(events, kept, None):
            self.events.append(event)
            self.dicts.append(_event_dict(event, False))
            self.texts.append(json.dumps(self.dicts[-1]))
            kind = self.dicts[-1].get("event")
            if kind == "user":
                self.window_starts.append(self.last_action)
            elif kind == "action":
                self.last_action = len(self.events) - 1

    def window(self) -> list[int]:
        """The indices of the events sent (window_events, from what was kept)."""
        start = self.window_starts[-WINDOW_TURNS] if len(self.window_starts) >= WINDOW_TURNS else 0
        if not start:
            return list(range(len(self.events)))
        if start < self.before.read:  # not for events only ever appended; read again to be sure
            self.before = KeptBefore()
        self.before.read_until(self.dicts, start)
        return self.before.indices() + list(range(start, len(self.events)))

    def encoded(self) -> EncodedEvents:
        """The events as sent: the window and what is kept before it, the latest user message in full."""
        indices = self.window()
        dicts, texts = [self.dicts[index] for index in indices], [self.texts[index] for index in indices]
        latest_user = _latest_user(self.events)
        if latest_user >= 0:
            full = _event_dict(self.events[latest_user], True)
            position = len(indices) - (len(self.events) - latest_user)  # the window holds it and all after it
            dicts[position], texts[position] = full, json.dumps(full)
        return EncodedEvents(dicts, "[" + ", ".join(texts) + "]")


def encoded_events(sender_id: Any, events: Any, edit_count: int = 0) -> EncodedEvents:
    """event_dicts(events) as EncodedEvents, from this sender's kept memo where it holds them
    (`events`: a list, or a tracker's deque and its event_prefix.edits)."""
    memo = _memos.pop(sender_id, None) or EventsMemo()
    memo.extend(events, edit_count)
    _memos[sender_id] = memo
    while len(_memos) > MEMO_SIZE:
        _memos.popitem(last=False)
    return memo.encoded()


def replace_bot_message(sender_id: Any, old: Any, new: Any) -> None:
    """After the tracker store replaced the bot message `old` by `new` in the sender's tracker:
    the memo holds `new` and its texts in its place, as a memo built from the new events would."""
    memo = _memos.get(sender_id)
    if memo is None:
        return
    for index in range(len(memo.events) - 1, -1, -1):
        if memo.events[index] is old:
            memo.events[index] = new
            memo.dicts[index] = _event_dict(new, False)
            memo.texts[index] = json.dumps(memo.dicts[index])
            return


def encode_body(body: Any) -> str:
    """json.dumps(body), with the text of an action call's EncodedEvents instead of encoding them."""
    tracker = body.get("tracker") if type(body) is dict else None
    events = tracker.get("events") if type(tracker) is dict else None
    if not isinstance(events, EncodedEvents) or len(events) != events.length \
            or not all(type(key) is str for key in (*body, *tracker)):
        return json.dumps(body)

    def items(mapping: dict[str, Any]) -> str:
        return "{" + ", ".join(f"{json.dumps(key)}: {value_text(value)}" for key, value in mapping.items()) + "}"

    def value_text(value: Any) -> str:
        if value is tracker:
            return items(tracker)
        return events.json_text if value is events else json.dumps(value)

    return items(body)


class TrimmedEventsView:
    """A tracker whose `current_state` holds the trimmed events (everything else is the tracker's)."""

    def __init__(self, tracker: Any):
        self._tracker = tracker

    def current_state(self, event_verbosity: Any = None) -> dict[str, Any]:
        from rasa.shared.core.trackers import EventVerbosity

        state = self._tracker.current_state(EventVerbosity.NONE)
        state["events"] = encoded_events(self._tracker.sender_id, self._tracker.events, edits(self._tracker))
        return state

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tracker, name)


def trim_action_call(body: dict[str, Any]) -> dict[str, Any]:
    """An action call's JSON body with its tracker's events trimmed (in place; returned)."""
    tracker = body.get("tracker")
    if isinstance(tracker, dict) and isinstance(tracker.get("events"), list):
        tracker["events"] = trim_events(tracker["events"])
    return body


def rasa_action_call_format() -> Any:
    """Rasa's own RemoteAction._action_call_format (also while the replacement is installed)."""
    from rasa.core.actions.action import RemoteAction

    return _patch.original or RemoteAction._action_call_format


def action_call_format(self: Any, tracker: Any, domain: Any) -> dict[str, Any]:
    """As RemoteAction._action_call_format, with the events trimmed (the contract above)."""
    return rasa_action_call_format()(self, TrimmedEventsView(tracker), domain)


def _remote_action() -> type:
    from rasa.core.actions.action import RemoteAction

    return RemoteAction


_patch = Patch(_remote_action, "_action_call_format", action_call_format)


def install() -> None:
    """RemoteAction builds its request with Rasa's own function from the trimmed view (idempotent)."""
    _patch.install()


def uninstall() -> None:
    """Rasa's own request again (for tests and benchmarks that compare both in one process)."""
    _patch.uninstall()
