"""RulePolicy reads only the states its rules can reach, and builds no key that cannot match.

1. **The rule search stops where no remaining rule can be ruled out.** Rasa 3.6's
   `RulePolicy._get_possible_keys` walks every state of the conversation from the latest back,
   keeping the rule keys that still apply at that turn. A rule whose states are all behind the
   walk applies whatever comes before (`_is_rule_applicable` returns True once `turn_index >=
   len(rule states)`), so the walk stops as soon as no key is left or every key left is no
   longer than the turns already walked: the same set of keys.
2. **Only the recent states are copied.** Each `_find_action_from_rules` call (two after a user
   message, one after an action) asked for the prediction states: a copy of every past state of
   the session, the latest user input chosen in it (`_choose_last_user_input`). With the walk
   above, the rule searches read at most the longest rule's number of states from the end, so a
   prediction gets those states only (`RecentStates`: the tail of the memo of
   bot/ops/incremental_states.py, copied and prepared by the featurizer's own function; each
   state's preparation depends on the state alone and on whether it is the last).
3. **No key that cannot be a rule's.** When no rule applies, Rasa returns the JSON of every state
   since the latest rule snippet as the prediction's source, and the source is only looked up
   in the rules not in stories (whether the turn is hidden); `predict_action_probabilities`
   drops it. A JSON list of n state dicts holds `}, {` at least n - 1 times (quotes kept, so
   text inside can only add some), so a key of more states than any entry of that list allows
   is not in it: the source is then None (Rasa's own source when there are no states), the
   lookup gives the same "not hidden". A key that could be there is Rasa's, from every state.

2 and 3 apply within `RulePolicy.predict_action_probabilities` only (training, which reads the
sources, is Rasa's), with the policy's featurizer as Rasa configures it (no slicing of rule
states by ML data, no text-only user turns), and only while RulePolicy's debug lines, which
print every state, are dropped. The graph keeps the function it found when the model was
loaded, so the replacement is installed before (bot/ops/rasa_speedups.py, with the tracker
store) and acts as Rasa's when not installed. Rasa environment only.
"""
from __future__ import annotations

import contextvars
import functools
import json
from typing import Any, Dict, List, Optional, Set, Text

from rasa.core.featurizers.tracker_featurizers import MaxHistoryTrackerFeaturizer
from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RULES_NOT_IN_STORIES, RulePolicy
from rasa.shared.core.domain import Domain, State
from rasa.shared.core.trackers import DialogueStateTracker

from bot.ops import debug_log_args, incremental_states, memoization_skip
from bot.ops.patching import Patch

# Rasa's graph nodes keep the function they found when the model was loaded.
RASA_PREDICT = RulePolicy.predict_action_probabilities
_predicting: contextvars.ContextVar[bool] = contextvars.ContextVar("yuban_rule_policy_predicting", default=False)
_state: Dict[str, Any] = {"installed": False}


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


def _kept(policy: RulePolicy, name: str, compute) -> int:
    """A figure of the policy's lookup, kept until the lookup object changes."""
    kept = policy.__dict__.setdefault("_yuban_rule_figures", {})
    found = kept.get(name)
    if found is None or found[0] is not policy.lookup:
        found = kept[name] = (policy.lookup, compute(policy.lookup))
    return found[1]


def longest_rule(policy: RulePolicy) -> int:
    """The most states of any rule the searches of `_find_action_from_rules` look at."""
    return _kept(policy, "longest", lambda lookup: max(
        (rule_length(key) for name in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH) for key in lookup.get(name, {})),
        default=0))


def most_source_states(policy: RulePolicy) -> int:
    """An upper bound on the states of a key equal to an entry of the rules not in stories."""
    return _kept(policy, "sources", lambda lookup: memoization_skip.most_states_in(lookup.get(RULES_NOT_IN_STORIES, [])))


class RecentStates(list):
    """The last prediction states (prepared as Rasa's), and how to get all of them."""

    def __init__(self, states: List[State], view: List[State], policy: RulePolicy, tracker: DialogueStateTracker,
                 domain: Domain, use_text: bool, rule_only_data: Optional[Dict[Text, Any]]):
        super().__init__(states)
        self.view, self.policy, self.tracker, self.domain = view, policy, tracker, domain
        self.use_text, self.rule_only_data = use_text, rule_only_data

    def all_states(self) -> List[State]:
        """Rasa's prediction states: every state."""
        return Policy._prediction_states(self.policy, self.tracker, self.domain, self.use_text,
                                         rule_only_data=self.rule_only_data)

    def states_since_snippet(self, limit: int) -> int:
        """The number of states Rasa's key would hold, counted up to `limit` + 1."""
        count = 0
        for state in reversed(self.view):
            if RulePolicy._is_rule_snippet_state(state) or count > limit:
                break
            count += 1
        return count


def _shortcut_applies(policy: RulePolicy) -> bool:
    featurizer = policy.featurizer
    return (_predicting.get() and type(policy) is RulePolicy and type(featurizer) is MaxHistoryTrackerFeaturizer
            and policy.supported_data() != SupportedData.ML_DATA
            and debug_log_args.debug_dropped(debug_log_args.RULE_POLICY))


def prediction_states(self: RulePolicy, tracker: DialogueStateTracker, domain: Domain,
                      use_text_for_last_user_input: bool = False,
                      rule_only_data: Optional[Dict[Text, Any]] = None) -> List[State]:
    """As Policy._prediction_states; within a prediction, the states the rule searches read."""
    if not _shortcut_applies(self):
        return Policy._prediction_states(self, tracker, domain, use_text_for_last_user_input,
                                         rule_only_data=rule_only_data)
    view = incremental_states.past_states_view(tracker, domain, rule_only_data=rule_only_data)
    view = MaxHistoryTrackerFeaturizer.slice_state_history(view, self.featurizer.max_history)
    if not view:  # Rasa's featurizer raises on no states; let it
        return Policy._prediction_states(self, tracker, domain, use_text_for_last_user_input,
                                         rule_only_data=rule_only_data)
    recent = incremental_states.copy_states(view[-max(longest_rule(self), 1):])
    self.featurizer._choose_last_user_input([recent], use_text_for_last_user_input)
    return RecentStates(recent, view, self, tracker, domain, use_text_for_last_user_input, rule_only_data)


def create_feature_key(self: RulePolicy, states: List[State]) -> Optional[Text]:
    """As RulePolicy._create_feature_key; None for recent states whose key no source can equal."""
    if isinstance(states, RecentStates):
        limit = most_source_states(self)
        if states.states_since_snippet(limit) > limit:
            return None
        states = states.all_states()
    return _patches["_create_feature_key"].original(self, states)


def predict_action_probabilities(self: RulePolicy, tracker: DialogueStateTracker, domain: Domain,
                                 rule_only_data: Optional[Dict[Text, Any]] = None, **kwargs: Any) -> PolicyPrediction:
    """As RulePolicy.predict_action_probabilities (its source is dropped)."""
    if not _state["installed"]:
        return RASA_PREDICT(self, tracker, domain, rule_only_data=rule_only_data, **kwargs)
    token = _predicting.set(True)
    try:
        return RASA_PREDICT(self, tracker, domain, rule_only_data=rule_only_data, **kwargs)
    finally:
        _predicting.reset(token)


_patches = {name: Patch(lambda: RulePolicy, name, replacement) for name, replacement in (
    ("_get_possible_keys", get_possible_keys), ("_prediction_states", prediction_states),
    ("_create_feature_key", create_feature_key), ("predict_action_probabilities", predict_action_probabilities))}


def install() -> None:
    for patch in _patches.values():
        patch.install()
    _state["installed"] = True


def uninstall() -> None:
    _state["installed"] = False
    for patch in _patches.values():
        patch.uninstall()
