"""Constant work Rasa 3.6 repeats on every message, done once (Rasa process only).

Found by profiling the Rasa process under load (docs/performance.md); Rasa offers no
setting for any of them, so `install()` replaces these functions with ones that give the same
results. It is called when the tracker store is created (bot/ops/tracker_store.py), the
one module of ours that Rasa always loads in the server process before any message.

1. Action responses: `RemoteAction._validate_action_result` calls
   `jsonschema.validate(response, schema)`, which checks the constant schema against the
   JSON Schema meta-schema and builds a new validator and reference resolver on every
   call. Here the validator is built once from the very same schema: the same checks and
   the same `ValidationError` (best match, with Rasa's hint appended). Each event must match
   exactly one of 23 sub-schemas (`oneOf`), and each sub-schema fixes the `event` name with
   `const`, so only the one of the event's own name can match: a valid response is
   recognised by checking each event against that one; anything else goes through the full
   validator, which finds the same errors.
2. Event deserialisation: `Event.resolve_by_type` walks every subclass of `Event`
   recursively, calling `inspect.isabstract` on each, for every event it deserialises: about
   80% of loading a conversation from the tracker store, and it grows with its length.
   Here the first class of that same walk with the type name is looked up in a table;
   a name the table does not know rebuilds it (a class defined later) and then falls back
   to Rasa's own function, which also raises its own errors.
3. Past states: `DialogueStateTracker.past_states` replays the whole session on every call,
   several times per prediction; bot/ops/incremental_states.py keeps the states per tracker
   and extends them by the new events (the same result).
4. Debug-log arguments: Memoization and RulePolicy deep-copy and format every state for debug
   lines that the server drops; bot/ops/debug_log_args.py builds them only when written.
5. The action call: RemoteAction sends every event of the session with every card and parse
   data; bot/ops/action_payload.py sends the events the actions read in full and the others
   without their bulk (a contract, documented there and in docs/performance.md).
6. Start: skops' import (the classifier's model format) named every ufunc by trying each loaded
   module with a formatted error per miss, 5 s with TensorFlow loaded; bot/ops/skops_start.py.
7. Tracker copies: the processor copies the tracker before every action, and Rasa's
   `copy()` replays every event of the session; bot/ops/tracker_copy.py copies the state
   instead (the same tracker; Rasa's own copy where it could differ).
8. Policies in a long conversation: MemoizationPolicy builds a key of every state of the
   session although no key of its lookup holds that many (bot/ops/memoization_skip.py), and
   RulePolicy walks every state although no rule reaches that far back (bot/ops/rule_keys.py);
   both stop where the result can no longer change (the same predictions).
9. The action call's connection and encoding: Rasa opens a new connection for every call and
   encodes the whole session's events each time; bot/ops/action_session.py keeps connections
   per event loop and sends the body encoded from the texts bot/ops/action_payload.py keeps
   per conversation (the same bytes).
10. Graph runs: each message runs the model's graph three times, and Rasa prunes the schema,
   builds a dask graph and lets dask schedule it every time; bot/ops/graph_plan.py keeps the
   plan per targets and runs the same nodes in the same order.
"""
from __future__ import annotations

import functools
from typing import Any, Dict, Optional, Text, Type

_state: dict[str, Any] = {"installed": False, "original_resolve": None, "original_validate": None, "classes": {}}


@functools.lru_cache(maxsize=None)
def compiled_validator() -> Any:
    """The validator of RemoteAction's response schema, checked and built once per process."""
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


@functools.lru_cache(maxsize=None)
def _event_validators() -> dict[str, Any]:
    """event name → a validator of EVENT_SCHEMA restricted to the one `oneOf` branch of that name."""
    from jsonschema.validators import validator_for
    from rasa.shared.utils.schemas.events import EVENT_SCHEMA

    validators = {}
    for branch in EVENT_SCHEMA["oneOf"]:
        schema = {key: value for key, value in EVENT_SCHEMA.items() if key != "oneOf"}
        schema["allOf"] = [branch]
        validators[branch["properties"]["event"]["const"]] = validator_for(schema)(schema)
    return validators


def _surely_valid(result: Any) -> bool:
    """True only when the full schema accepts `result` (False: let the full validator decide)."""
    if not isinstance(result, dict):
        return False
    events, responses = result.get("events", []), result.get("responses", [])
    if not isinstance(events, list) or not isinstance(responses, list):
        return False
    if not all(isinstance(response, dict) for response in responses):
        return False
    validators = _event_validators()
    for event in events:
        name = event.get("event") if isinstance(event, dict) else None
        validator = validators.get(name) if isinstance(name, str) else None
        if validator is None or not validator.is_valid(event):
            return False
    return True


def validate_action_result(_action: Any, result: Dict[Text, Any]) -> bool:
    """As RemoteAction._validate_action_result: True, or the best-matching ValidationError."""
    from jsonschema.exceptions import best_match
    from rasa.shared.constants import DOCS_BASE_URL

    if _surely_valid(result):
        return True
    validator = compiled_validator()
    if validator.is_valid(result):
        return True
    error = best_match(validator.iter_errors(result))
    error.message += (". Failed to validate Action server response from API, make sure your response from the "
                      f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions")
    raise error


def _event_classes() -> dict[str, type]:
    """type_name → the first class Rasa's own subclass walk finds with it."""
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    classes: dict[str, type] = {}
    for cls in rasa.shared.utils.common.all_subclasses(Event):
        classes.setdefault(cls.type_name, cls)
    return classes


def resolve_event_type(type_name: Text, default: Optional[Type[Any]] = None) -> Optional[Type[Any]]:
    """As Event.resolve_by_type, from a table instead of walking the class tree."""
    found = _state["classes"].get(type_name)
    if found is not None:
        return found
    _state["classes"] = _event_classes()
    found = _state["classes"].get(type_name)
    if found is not None:
        return found
    return _state["original_resolve"](type_name, default)


def install() -> None:
    """Install the replacements (idempotent)."""
    if _state["installed"]:
        return
    from bot.ops import (action_payload, action_session, debug_log_args, graph_plan, incremental_states,
                         memoization_skip, rule_keys, skops_start, tracker_copy)
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    skops_start.install()
    compiled_validator()
    _event_validators()
    _state["original_validate"] = RemoteAction._validate_action_result
    RemoteAction._validate_action_result = validate_action_result
    _state["original_resolve"] = Event.resolve_by_type
    _state["classes"] = _event_classes()
    Event.resolve_by_type = staticmethod(resolve_event_type)
    incremental_states.install()
    debug_log_args.install()
    action_payload.install()
    tracker_copy.install()
    memoization_skip.install()
    rule_keys.install()
    action_session.install()
    graph_plan.install()
    _state["installed"] = True


def uninstall() -> None:
    """Rasa's own functions again (for benchmarks that compare both in one process)."""
    if not _state["installed"]:
        return
    from bot.ops import (action_payload, action_session, debug_log_args, graph_plan, incremental_states,
                         memoization_skip, rule_keys, tracker_copy)
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    RemoteAction._validate_action_result = _state["original_validate"]
    Event.resolve_by_type = staticmethod(_state["original_resolve"])
    incremental_states.uninstall()
    debug_log_args.uninstall()
    action_payload.uninstall()
    tracker_copy.uninstall()
    memoization_skip.uninstall()
    rule_keys.uninstall()
    action_session.uninstall()
    graph_plan.uninstall()
    _state["installed"] = False
