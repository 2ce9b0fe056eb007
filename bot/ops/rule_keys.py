"""RulePolicy's search for applicable rules stops where no remaining rule can be ruled out.

Rasa 3.6's `RulePolicy._get_possible_keys` walks every state of the conversation from the
latest back, keeping the rule keys that still apply at that turn. A rule whose states are
all behind the walk applies whatever comes before (`_is_rule_applicable` returns True once
`turn_index >= len(rule states)`), yet the walk goes on to the session's first state, so each
prediction costs more as the conversation grows (docs/performance.md). Here the walk stops as
soon as no key is left or every key left is no longer than the turns already walked: the same
set of keys, since nothing further could remove one.

Installed by bot/ops/rasa_speedups.py. Rasa environment only.
"""
from __future__ import annotations

import functools
import json
from typing import Dict, List, Set, Text

from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.domain import State

from bot.ops.patching import Patch



@functools.lru_cache(maxsize=None)
def rule_length(rule_key: Text) -> int:
    """The number of states of a rule key (as len(RulePolicy._rule_key_to_state(rule_key)))."""
    return len(json.loads(rule_key))


def get_possible_keys(self: RulePolicy, lookup: Dict[Text, Text], states: List[State]) -> Set[Text]:
    """As RulePolicy._get_possible_keys: the keys of `lookup` whose rules apply to `states`."""
    possible_keys = set(lookup.keys())
    for turn_index, state in enumerate(reversed(states)):
        if not possible_keys or turn_index >= max(map(rule_length, possible_keys)):
            break
        possible_keys = {key for key in possible_keys if self._is_rule_applicable(key, turn_index, state)}
    return possible_keys


_patch = Patch(lambda: RulePolicy, "_get_possible_keys", get_possible_keys)


def install() -> None:
    _patch.install()


def uninstall() -> None:
    _patch.uninstall()
