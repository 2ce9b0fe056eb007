"""Metrics decided in the action server: fallbacks, handoffs, progress queries (docs/operations.md).

The action server's middleware (actions/server.py) reads each /webhook answer and counts
what the actions decided from their machine-readable payloads (custom type not_found,
handoff with its reason), so the actions themselves stay free of metrics code.
"""
from __future__ import annotations

import json
from typing import Any

from prometheus_client import Counter

ACTION_RUNS = Counter("yuban_action_runs_total", "Custom actions run, by action and HTTP status",
                      ["action", "status"])
FALLBACKS = Counter("yuban_fallbacks_total",
                    "Turns the assistant could not answer: nlu_unsure (action_not_understood ran), "
                    "not_found (no catalog item matched)", ["reason"])
HANDOFFS = Counter("yuban_handoffs_total", "Hand-offs to people (12345), by reason", ["reason"])
PROGRESS_QUERIES = Counter("yuban_progress_queries_total",
                           "Calls to the progress platform by kind (number, identity) and outcome",
                           ["kind", "outcome"])

NOT_UNDERSTOOD_ACTIONS = {"action_not_understood", "action_default_fallback"}


def record_action(action: str | None, status: int, body: bytes | None) -> None:
    """Counts one /webhook call from the action's name and the JSON it answered."""
    action = action or "unknown"
    ACTION_RUNS.labels(action, str(status)).inc()
    if action in NOT_UNDERSTOOD_ACTIONS:
        FALLBACKS.labels("nlu_unsure").inc()
    if status != 200 or not body:
        return
    try:
        answer = json.loads(body)
    except ValueError:
        return
    for message in answer.get("responses") or []:
        custom: Any = message.get("custom") if isinstance(message, dict) else None
        if not isinstance(custom, dict):
            continue
        if custom.get("type") == "not_found":
            FALLBACKS.labels("not_found").inc()
        elif custom.get("type") == "handoff":
            HANDOFFS.labels(str(custom.get("reason") or "unspecified")).inc()


def record_progress_query(path: str, outcome: str) -> None:
    PROGRESS_QUERIES.labels("identity" if path.rstrip("/").endswith("/applications") else "number", outcome).inc()
