"""MemoizationPolicy answers "nothing memorised" without building a key that cannot be in its lookup.

Rasa 3.6's MemoizationPolicy (config.yml: no `max_history`) turns every state of the session
into its key on each prediction: a copy of all the states, the featurizer's passes over them
and their JSON, a cost that grows with the conversation (docs/performance.md). A key is the
JSON of a list of states, so a conversation with more states than any key of the lookup holds
can never be found there, and its prediction is Rasa's "no memorised action" result: the
default probabilities.

The number of states in a key is bounded from above without parsing it: `json.dumps` writes
`}, {` between two states of the list (quotes are removed from keys, so a name can only add
occurrences, never remove one), so a key of n states holds at least n - 1 of them. The
number of states of the conversation is that of the policy's own prediction states (the
featurizer's past states without rule-only turns, less `action_unlikely_intent` turns, sliced
to `max_history`), counted on the memo of bot/ops/incremental_states.py without copying them,
from the latest state back and only until one more than the bound is found.
When it is larger than every key's bound, the prediction is the default one; otherwise, and
whenever the debug line with the states would be written, it is Rasa's own function.

Only MemoizationPolicy itself: AugmentedMemoizationPolicy also looks further back, RulePolicy
has its own prediction. Installed by bot/ops/rasa_speedups.py. Rasa environment only.
"""
from __future__ import annotations

import base64
import logging
import zlib
from typing import Any, Dict, Iterable, Optional, Text

from rasa.core.featurizers.tracker_featurizers import (MaxHistoryTrackerFeaturizer,
                                                      _is_prev_action_unlikely_intent_in_state)
from rasa.core.policies.memoization import MemoizationPolicy
from rasa.core.policies.policy import PolicyPrediction, SupportedData
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops import debug_log_args, incremental_states

SEPARATOR = "}, {"
BOUND = "_yuban_memoization_bound"

logger = logging.getLogger(debug_log_args.MEMOIZATION)
# Rasa's graph nodes keep the function they found when the model was loaded, so the
# replacement stays Rasa's own whenever it is not installed.
RASA_PREDICT = MemoizationPolicy.predict_action_probabilities
_state: dict[str, Any] = {"installed": False}


def key_text(policy: MemoizationPolicy, key: Text) -> Text:
    """A lookup key as the JSON text it was built from (undoing the optional compression)."""
    if policy.config.get("enable_feature_string_compression"):
        return zlib.decompress(base64.b64decode(key)).decode("utf-8")
    return key


def most_states_in(texts: Iterable[Text]) -> int:
    """An upper bound on the number of states of a JSON list of states equal to one of `texts`
    (such a list of n states holds SEPARATOR at least n - 1 times); 0 for no texts."""
    return max((text.count(SEPARATOR) + 1 for text in texts), default=0)


def most_states(policy: MemoizationPolicy) -> int:
    """An upper bound on the number of states in any key of the policy's lookup (kept per lookup)."""
    kept = policy.__dict__.get(BOUND)
    if kept is not None and kept[0] is policy.lookup and kept[1] == len(policy.lookup):
        return kept[2]
    bound = most_states_in(key_text(policy, key) for key in policy.lookup)
    policy.__dict__[BOUND] = (policy.lookup, len(policy.lookup), bound)
    return bound


def prediction_state_count(policy: MemoizationPolicy, tracker: DialogueStateTracker, domain: Domain,
                           rule_only_data: Optional[Dict[Text, Any]], at_most: Optional[int] = None) -> int:
    """len(policy._prediction_states(tracker, domain, rule_only_data=rule_only_data)), without them;
    with `at_most`, min(that, at_most): the states are then counted from the latest one and only
    until `at_most` of them are found, so the cost does not grow with the conversation."""
    ml_only = policy.supported_data() == SupportedData.ML_DATA
    states = incremental_states.past_states_view(tracker, domain, ignore_rule_only_turns=ml_only,
                                                 rule_only_data=rule_only_data)
    max_history = policy.featurizer.max_history
    limit = min([len(states)] + ([max_history] if max_history else []) + ([at_most] if at_most is not None else []))
    if not ml_only:
        return limit
    count = 0
    for state in reversed(states):  # the featurizer's _remove_action_unlikely_intent_from_states, counted
        if count >= limit:
            break
        if not _is_prev_action_unlikely_intent_in_state(state):
            count += 1
    return count


def can_skip(policy: Any, tracker: DialogueStateTracker, domain: Domain,
             rule_only_data: Optional[Dict[Text, Any]]) -> bool:
    """True when Rasa's prediction is surely the default one and its debug line is dropped."""
    return (type(policy) is MemoizationPolicy and type(policy.featurizer) is MaxHistoryTrackerFeaturizer
            and debug_log_args.debug_dropped(debug_log_args.MEMOIZATION)
            and prediction_state_count(policy, tracker, domain, rule_only_data, most_states(policy) + 1)
            > most_states(policy))


def predict_action_probabilities(self: MemoizationPolicy, tracker: DialogueStateTracker, domain: Domain,
                                 rule_only_data: Optional[Dict[Text, Any]] = None, **kwargs: Any) -> PolicyPrediction:
    """As MemoizationPolicy.predict_action_probabilities."""
    if _state["installed"] and can_skip(self, tracker, domain, rule_only_data):
        logger.debug("There is no memorised next action")
        return self._prediction(self._default_predictions(domain))
    return RASA_PREDICT(self, tracker, domain, rule_only_data=rule_only_data, **kwargs)


def install() -> None:
    MemoizationPolicy.predict_action_probabilities = predict_action_probabilities
    _state["installed"] = True


def uninstall() -> None:
    MemoizationPolicy.predict_action_probabilities = RASA_PREDICT
    _state["installed"] = False
