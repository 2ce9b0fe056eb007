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
"""
from __future__ import annotations

from typing import Any

BOT_KEYS = ("event", "timestamp", "text")
EARLIER_USER_KEYS = ("event", "timestamp", "text", "input_channel", "message_id")

_state: dict[str, Any] = {"original": None}


def trim_events(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events as the action server receives them (the contract above); `events` is not changed."""
    latest_user = next((index for index in range(len(events) - 1, -1, -1) if events[index].get("event") == "user"), -1)
    trimmed = []
    for index, event in enumerate(events):
        kind = event.get("event")
        if kind == "bot":
            trimmed.append({key: event.get(key) for key in BOT_KEYS})
        elif kind == "user" and index != latest_user:
            trimmed.append({key: event.get(key) for key in EARLIER_USER_KEYS})
        else:
            trimmed.append(event)
    return trimmed


def trim_action_call(body: dict[str, Any]) -> dict[str, Any]:
    """An action call's JSON body with its tracker's events trimmed (in place; returned)."""
    tracker = body.get("tracker")
    if isinstance(tracker, dict) and isinstance(tracker.get("events"), list):
        tracker["events"] = trim_events(tracker["events"])
    return body


def _action_call_format(self: Any, tracker: Any, domain: Any) -> dict[str, Any]:
    return trim_action_call(_state["original"](self, tracker, domain))


def install() -> None:
    """RemoteAction builds its request with Rasa's own function, then trims the events (idempotent)."""
    if _state["original"] is not None:
        return
    from rasa.core.actions.action import RemoteAction

    _state["original"] = RemoteAction._action_call_format
    RemoteAction._action_call_format = _action_call_format


def uninstall() -> None:
    """Rasa's own request again (for tests and benchmarks that compare both in one process)."""
    if _state["original"] is None:
        return
    from rasa.core.actions.action import RemoteAction

    RemoteAction._action_call_format = _state["original"]
    _state["original"] = None
