"""Rasa's policies build their debug-log arguments only when the line is written
(bot/ops/debug_log_args.py) (Rasa environment)."""
from __future__ import annotations

import ast
import inspect
import logging

import pytest

from bot.ops import debug_log_args


@pytest.fixture
def server_logging():
    """structlog as `rasa run` configures it, at INFO; DEBUG for one test on request."""
    import structlog
    from rasa.utils.log_utils import configure_structlog

    configured = structlog.is_configured()
    saved = structlog.get_config()
    levels = {name: logging.getLogger(name).level for name in (debug_log_args.MEMOIZATION, debug_log_args.RULE_POLICY)}
    configure_structlog(logging.INFO)
    for name in levels:
        logging.getLogger(name).setLevel(logging.INFO)
    debug_log_args.install()
    yield
    debug_log_args.uninstall()
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    if configured:
        structlog.configure(**saved)
    else:
        structlog.reset_defaults()


def test_every_copy_in_memoization_is_a_debug_log_argument():
    import rasa.core.policies.memoization as memoization

    tree = ast.parse(inspect.getsource(memoization))
    debug_arguments = set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "debug"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "structlogger"):
            debug_arguments.update(id(inner) for keyword in node.keywords for inner in ast.walk(keyword.value))
    uses = [node for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "copy"]
    assert uses and all(id(node) in debug_arguments for node in uses)


def test_format_tracker_states_is_used_for_the_debug_line_only():
    import rasa.core.policies.rule_policy as rule_policy

    source = inspect.getsource(rule_policy)
    assert source.count("format_tracker_states(") == 1
    block = ('current_states = self.format_tracker_states(states)\n        structlogger.debug(\n'
             '            "rule_policy.actions.find", current_states=copy.deepcopy(current_states)\n        )')
    assert block in source and source.count("current_states") == block.count("current_states")


def test_arguments_are_built_only_when_debug_is_on(server_logging):
    import rasa.core.policies.memoization as memoization
    from rasa.core.policies.policy import Policy

    states = [{"user": {"intent": "ask_fee"}, "prev_action": {"action_name": "action_listen"}}]
    assert memoization.copy.deepcopy(states) is states
    assert Policy.format_tracker_states(states) == ""
    logging.getLogger(debug_log_args.MEMOIZATION).setLevel(logging.DEBUG)
    logging.getLogger(debug_log_args.RULE_POLICY).setLevel(logging.DEBUG)
    copied = memoization.copy.deepcopy(states)
    assert copied == states and copied is not states and copied[0]["user"] is not states[0]["user"]
    assert Policy.format_tracker_states(states) == debug_log_args._state["format"](states) != ""


def test_unconfigured_structlog_gets_rasas_arguments():
    import structlog

    if structlog.is_configured():
        pytest.skip("structlog is configured in this process")
    assert debug_log_args.debug_dropped(debug_log_args.MEMOIZATION) is False
