"""What the Rasa process sends the action server: every event, with the bulk only where it is read.

Rasa 3.6's `RemoteAction` posts `tracker.current_state(EventVerbosity.ALL)`: every event of
the session as Rasa stores it, each answer's card and each message's parse data included
(583 KB of JSON at turn 100 of a guide conversation, 2.9 MB at 500). Rasa serialises it for
every action call and the action server parses it, so both processes' cost grew with the
length of the conversation.

The contract (docs/performance.md, "The action call"): the request is Rasa's, except that in
`tracker.events`
- a bot message (`bot`) keeps `event`, `timestamp` and `text`: no `data` (the card,
  buttons, custom payload) and no `metadata`;
- a user message (`user`) other than the latest one keeps `event`, `timestamp`, `text`,
  `input_channel` and `message_id`: no `parse_data` and no `metadata`;
- every other event, and the latest user message, is Rasa's own dict, unchanged.
The number and order of the events do not change, so what rasa-sdk's `Tracker` derives from
them (`applied_events`, `get_last_event_for`, `events_after_latest_restart`,
`slots_to_validate`, `get_latest_input_channel`, the order of slot events our
`actions/progress.py` reads) is the same. `latest_message`, `slots`, `active_loop` and the
other fields of the tracker are Rasa's. An action that needs an earlier message's parse data
or an earlier answer's card must keep it in a slot instead.

The request is built with Rasa's own `_action_call_format`, handed a view of the tracker whose
`current_state` is Rasa's without events plus the trimmed events built directly from the event
objects (`event_dicts`): a bot message or an earlier user message of Rasa's own class becomes
its few kept fields without building the rest; any other event is Rasa's `as_dict()`, trimmed
by the same rule.
"""
from __future__ import annotations

from typing import Any

BOT_KEYS = ("event", "timestamp", "text")
EARLIER_USER_KEYS = ("event", "timestamp", "text", "input_channel", "message_id")

_state: dict[str, Any] = {"original": None}


def _trim(event: dict[str, Any], latest_user: bool) -> dict[str, Any]:
    """One event's dict as the action server receives it (`latest_user`: the latest user message)."""
    kind = event.get("event")
    if kind == "bot":
        return {key: event.get(key) for key in BOT_KEYS}
    if kind == "user" and not latest_user:
        return {key: event.get(key) for key in EARLIER_USER_KEYS}
    return event


def trim_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events as the action server receives them (the contract above); `events` is not changed."""
    latest_user = next((index for index in range(len(events) - 1, -1, -1) if events[index].get("event") == "user"), -1)
    return [_trim(event, index == latest_user) for index, event in enumerate(events)]


def event_dicts(events: list[Any]) -> list[dict[str, Any]]:
    """trim_events([event.as_dict() for event in events]), without building what is dropped."""
    from rasa.shared.core.events import BotUttered, UserUttered

    latest_user = next((index for index in range(len(events) - 1, -1, -1) if events[index].type_name == "user"), -1)
    dicts = []
    for index, event in enumerate(events):
        kind = type(event)
        if kind is BotUttered:
            dicts.append({"event": "bot", "timestamp": event.timestamp, "text": event.text})
        elif kind is UserUttered and index != latest_user:
            dicts.append({"event": "user", "timestamp": event.timestamp, "text": event.text,
                          "input_channel": getattr(event, "input_channel", None),
                          "message_id": getattr(event, "message_id", None)})
        else:
            dicts.append(_trim(event.as_dict(), index == latest_user))
    return dicts


class TrimmedEventsView:
    """A tracker whose `current_state` holds the trimmed events (everything else is the tracker's)."""

    def __init__(self, tracker: Any):
        self._tracker = tracker

    def current_state(self, event_verbosity: Any = None) -> dict[str, Any]:
        from rasa.shared.core.trackers import EventVerbosity

        state = self._tracker.current_state(EventVerbosity.NONE)
        state["events"] = event_dicts(list(self._tracker.events))
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

    return _state["original"] or RemoteAction._action_call_format


def action_call_format(self: Any, tracker: Any, domain: Any) -> dict[str, Any]:
    """As RemoteAction._action_call_format, with the events trimmed (the contract above)."""
    return rasa_action_call_format()(self, TrimmedEventsView(tracker), domain)


def install() -> None:
    """RemoteAction builds its request with Rasa's own function from the trimmed view (idempotent)."""
    if _state["original"] is not None:
        return
    from rasa.core.actions.action import RemoteAction

    _state["original"] = RemoteAction._action_call_format
    RemoteAction._action_call_format = action_call_format


def uninstall() -> None:
    """Rasa's own request again (for tests and benchmarks that compare both in one process)."""
    if _state["original"] is None:
        return
    from rasa.core.actions.action import RemoteAction

    RemoteAction._action_call_format = _state["original"]
    _state["original"] = None
