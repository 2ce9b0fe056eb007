"""Debug-log arguments of Rasa's policies built only when the debug line is written.

Rasa 3.6's MemoizationPolicy (and RulePolicy, its subclass) passes `copy.deepcopy(states)` of
every state of the conversation to `structlogger.debug(...)` on each prediction, and
RulePolicy formats all states as text (`Policy.format_tracker_states`) for another debug
line; Python builds both arguments before the logger drops the line, so at turn 100 they
cost several milliseconds per prediction and grow with the conversation
(docs/performance.md). The server configures structlog with the standard library's loggers
and `filter_by_level`, so a debug line is dropped exactly when the policy module's standard
logger is not enabled for DEBUG; then (and only then) the argument is not built: the deep
copy hands the object itself, the formatting gives "". With `rasa run --debug` (or
structlog not configured that way) both are Rasa's own. Every `copy.` use in
rasa/core/policies/memoization.py is such a debug argument (a test checks it).

Installed by bot/ops/rasa_speedups.py. Rasa environment only.
"""
from __future__ import annotations

import copy
import logging
from typing import Any, Dict, List, Text

MEMOIZATION = "rasa.core.policies.memoization"
RULE_POLICY = "rasa.core.policies.rule_policy"

_state: dict[str, Any] = {"installed": False, "format": None}


def debug_dropped(logger_name: str) -> bool:
    """True when a structlog debug line of the module `logger_name` is surely not written."""
    import structlog

    if not structlog.is_configured():
        return False
    return (structlog.stdlib.filter_by_level in structlog.get_config()["processors"]
            and not logging.getLogger(logger_name).isEnabledFor(logging.DEBUG))


class DebugOnlyCopy:
    """The `copy` module for a module that deep-copies only debug-log arguments."""

    def __init__(self, logger_name: str):
        self.logger_name = logger_name

    def deepcopy(self, value: Any, *args: Any) -> Any:
        if debug_dropped(self.logger_name):
            return value
        return copy.deepcopy(value, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(copy, name)


def format_tracker_states(states: List[Dict]) -> Text:
    """As Policy.format_tracker_states, or "" when RulePolicy's debug line is dropped."""
    if debug_dropped(RULE_POLICY):
        return ""
    return _state["format"](states)


def install() -> None:
    if _state["installed"]:
        return
    import rasa.core.policies.memoization as memoization
    from rasa.core.policies.policy import Policy

    memoization.copy = DebugOnlyCopy(MEMOIZATION)
    _state["format"] = Policy.format_tracker_states
    Policy.format_tracker_states = staticmethod(format_tracker_states)
    _state["installed"] = True


def uninstall() -> None:
    if not _state["installed"]:
        return
    import rasa.core.policies.memoization as memoization
    from rasa.core.policies.policy import Policy

    memoization.copy = copy
    Policy.format_tracker_states = staticmethod(_state["format"])
    _state["installed"] = False
