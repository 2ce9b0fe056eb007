"""MemoizationPolicy's skip (bot/ops/memoization_skip.py) and RulePolicy's shorter rule search
(bot/ops/rule_keys.py) predict exactly what Rasa's own functions predict (Rasa environment).

Both policies are trained on stories and rules of the past-states tests' domain; every step
of scripted, long and generated conversations (the driver of test_incremental_states) is
predicted with Rasa's functions and with ours, for MemoizationPolicy as configured here (no
`max_history`), with a `max_history` and with compressed keys. The long conversations check
that the skip was taken, so the comparison covers it.
"""
from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, given, settings

from bot.ops import incremental_states, memoization_skip, rule_keys
from tests.channels.test_debug_log_args import server_logging  # noqa: F401 (a fixture: `rasa run`'s logging)
from tests.channels.test_incremental_states import (DOMAIN_YAML, action, generated_conversations, play,
                                                    scripted_steps, session_start, slot, user)

STORIES_YAML = """
version: "3.1"
stories:
  - story: ask and answer
    steps:
      - intent: greet
      - action: utter_greet
      - intent: ask
      - action: action_answer
  - story: ask, deny, pick
    steps:
      - intent: ask
      - action: action_answer
      - intent: deny
      - action: action_pick
      - slot_was_set:
          - level: high
      - intent: ask
      - action: action_answer
  - story: the form
    steps:
      - intent: inform
      - action: ask_form
      - active_loop: ask_form
      - active_loop: null
      - action: action_answer
rules:
  - rule: greet
    steps:
      - intent: greet
      - action: utter_greet
  - rule: ask
    steps:
      - intent: ask
      - action: action_answer
  - rule: stop at the start
    conversation_start: true
    steps:
      - intent: stop
      - action: utter_greet
  - rule: deny when urgent
    condition:
      - slot_was_set:
          - urgent: true
    steps:
      - intent: deny
      - action: action_pick
  - rule: activate the form
    steps:
      - intent: inform
      - action: ask_form
      - active_loop: ask_form
  - rule: submit the form
    condition:
      - active_loop: ask_form
    steps:
      - action: ask_form
      - active_loop: null
      - slot_was_set:
          - requested_slot: null
      - action: action_answer
"""
pytestmark = pytest.mark.usefixtures("server_logging")
MEMOIZATION_CONFIGS = {"as configured": {}, "max_history 2": {"max_history": 2},
                       "compressed keys": {"enable_feature_string_compression": True}}


@pytest.fixture(scope="module")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.from_yaml(DOMAIN_YAML)


@pytest.fixture(scope="module")
def policies(domain, tmp_path_factory):
    """name → a trained policy (RulePolicy and MemoizationPolicy in each of MEMOIZATION_CONFIGS)."""
    from rasa.core.policies.memoization import MemoizationPolicy
    from rasa.core.policies.rule_policy import RulePolicy
    from rasa.core.training import load_data
    from rasa.engine.graph import ExecutionContext, GraphSchema
    from rasa.engine.storage.local_model_storage import LocalModelStorage
    from rasa.engine.storage.resource import Resource

    folder = tmp_path_factory.mktemp("policies")
    (folder / "stories.yml").write_text(STORIES_YAML, encoding="utf-8")
    trackers = load_data(str(folder / "stories.yml"), domain, augmentation_factor=0)
    (folder / "storage").mkdir()
    storage = LocalModelStorage(folder / "storage")
    context = ExecutionContext(GraphSchema({}), "test")
    trained = {}
    kinds = [("rules", RulePolicy, {})] + [(name, MemoizationPolicy, config)
                                           for name, config in MEMOIZATION_CONFIGS.items()]
    for name, kind, config in kinds:
        policy = kind.create({**kind.get_default_config(), **config}, storage, Resource(name.replace(" ", "_")),
                             context)
        policy.train(trackers, domain)
        trained[name] = policy
    return trained


@pytest.fixture(autouse=True)
def installed():
    incremental_states.install()
    yield
    for module in (memoization_skip, rule_keys, incremental_states):
        module.uninstall()


def predictions(policies, tracker, domain) -> dict:
    """name → the policy's prediction, or the class of the error it raised (Rasa's featurizer
    fails on a tracker without any state, e.g. when every turn is a hidden rule turn)."""
    rule_only = policies["rules"]._get_rule_only_data()
    found = {}
    for name, policy in policies.items():
        try:
            found[name] = policy.predict_action_probabilities(tracker, domain, rule_only_data=rule_only)
        except IndexError as error:
            found[name] = type(error)
    return found


def assert_same_predictions(policies, tracker, domain) -> int:
    """Rasa's and our predictions of every policy are equal; the number of memoization skips."""
    rasas = predictions(policies, tracker, domain)
    memoization_skip.install()
    rule_keys.install()
    try:
        ours = predictions(policies, tracker, domain)
        rule_only = policies["rules"]._get_rule_only_data()
        skips = sum(memoization_skip.can_skip(policy, tracker, domain, rule_only)
                    for name, policy in policies.items() if name != "rules")
        for name, policy in policies.items():
            if name != "rules" and type(policy).__name__ == "MemoizationPolicy":
                try:
                    full = len(policy._prediction_states(tracker, domain, rule_only_data=rule_only))
                except IndexError:  # no state at all: Rasa's featurizer fails (see `predictions`)
                    continue
                assert memoization_skip.prediction_state_count(policy, tracker, domain, rule_only) == full
                for at_most in (0, 1, 3, full, full + 5):  # counted only as far as needed, the same answer
                    assert memoization_skip.prediction_state_count(policy, tracker, domain, rule_only, at_most) \
                        == min(full, at_most), (name, at_most)
    finally:
        memoization_skip.uninstall()
        rule_keys.uninstall()
    for name, prediction in rasas.items():
        assert ours[name] == prediction, name
        assert getattr(ours[name], "action_metadata", None) == getattr(prediction, "action_metadata", None), name
    return skips


def test_the_policies_predict_something(policies, domain):
    """The comparison below is not between two default results: the policies were trained."""
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("user", domain.slots)
    for event in session_start() + [user("greet")]:
        tracker.update(event)
    got = predictions(policies, tracker, domain)
    greet = domain.index_for_action("utter_greet")
    assert got["rules"].probabilities[greet] == 1.0
    assert got["as configured"].probabilities[greet] == 1.0
    assert memoization_skip.most_states(policies["as configured"]) >= 4


@pytest.mark.parametrize("name", sorted(scripted_steps()))
def test_scripted_conversations_predict_as_rasa(policies, domain, name):
    play(domain, [[step] for step in scripted_steps()[name]],
         lambda tracker: assert_same_predictions(policies, tracker, domain))


def test_long_conversations_skip_and_predict_as_rasa(policies, domain):
    turns = [[user("ask"), action("action_answer"), slot("picks", ["a"]), action("action_listen")],
             [user("greet"), action("utter_greet", hide=True), action("action_listen", hide=True)],
             [user("deny"), action("action_pick"), slot("urgent", True), action("action_listen")],
             [user("inform"), action("ask_form")]]
    skips = []
    play(domain, [[session_start()]] + [[turns[index % len(turns)]] for index in range(60)],
         lambda tracker: skips.append(assert_same_predictions(policies, tracker, domain)))
    assert skips[:2] == [0, 0] and sum(skips[-10:]) == 20  # not at the start; late, both memoizations without max_history


def test_debug_logging_keeps_rasas_prediction(policies, domain):
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("user", domain.slots)
    for event in session_start() + [user("ask"), action("action_answer"), action("action_listen")] * 20:
        tracker.update(event)
    policy = policies["as configured"]
    logger = logging.getLogger(memoization_skip.debug_log_args.MEMOIZATION)
    level = logger.level
    try:
        logger.setLevel(logging.DEBUG)
        assert not memoization_skip.can_skip(policy, tracker, domain, None)
    finally:
        logger.setLevel(level)


def test_the_rule_search_stops_early_with_the_same_keys(policies, domain):
    """Rasa's walk and ours give the same keys, and ours looks at no more states than the longest rule."""
    from rasa.core.policies.rule_policy import RULES

    policy = policies["rules"]
    lookup = policy.lookup[RULES]
    longest = max(map(rule_keys.rule_length, lookup))
    states = [{"prev_action": {"action_name": "action_listen"}, "user": {"intent": "ask"}}] * 50
    seen = []

    class Counting(list):
        def __reversed__(self):
            for state in super().__reversed__():
                seen.append(state)
                yield state

    assert rule_keys.get_possible_keys(policy, lookup, Counting(states)) == policy._get_possible_keys(lookup, states)
    assert 0 < len(seen) <= longest + 1


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=generated_conversations())
def test_generated_conversations_predict_as_rasa(policies, domain, steps):
    play(domain, steps, lambda tracker: assert_same_predictions(policies, tracker, domain))


def test_a_long_conversation_gives_rule_policy_only_its_recent_states(policies, domain):
    """Within a prediction RulePolicy gets the last states (Rasa's, prepared alike) and no key
    that no rule-only source can equal; its findings are Rasa's."""
    from rasa.core.policies.policy import Policy
    from rasa.core.policies.rule_policy import RULES_NOT_IN_STORIES
    from rasa.shared.core.trackers import DialogueStateTracker

    policy = policies["rules"]
    rule_only = policy._get_rule_only_data()
    tracker = DialogueStateTracker("user", domain.slots)
    for event in session_start() + [user("ask"), action("action_answer"), action("action_listen")] * 40 + [user("ask")]:
        tracker.update(event)
    rasa_found = {use_text: policy._find_action_from_rules(tracker, domain, use_text) for use_text in (True, False)}
    rule_keys.install()
    token = rule_keys._predicting.set(True)
    try:
        for use_text in (True, False):
            everything = Policy._prediction_states(policy, tracker, domain, use_text, rule_only_data=rule_only)
            recent = policy._prediction_states(tracker, domain, use_text, rule_only_data=rule_only)
            assert isinstance(recent, rule_keys.RecentStates)
            assert len(recent) == rule_keys.longest_rule(policy) < len(everything) and recent == everything[-len(recent):]
            assert recent.all_states() == everything
            found = policy._find_action_from_rules(tracker, domain, use_text)
            assert found[0::2] == rasa_found[use_text][0::2]
            if found[1] != rasa_found[use_text][1]:  # a key no source can equal, not built
                assert found[1] is None and rasa_found[use_text][1] not in policy.lookup[RULES_NOT_IN_STORIES]
                assert len(everything) > rule_keys.most_source_states(policy)
        assert rasa_found[True][0] is None and rasa_found[True][1].startswith("[")  # the text search found no rule
        assert policy._find_action_from_rules(tracker, domain, True)[1] is None
    finally:
        rule_keys._predicting.reset(token)
        rule_keys.uninstall()
    assert policy._find_action_from_rules(tracker, domain, True) == rasa_found[True]  # Rasa's own again


def test_the_trained_model_predicts_as_rasa_through_a_long_conversation():
    """The project's model (both shortcuts installed before it loads, as in the server): 120 turns
    of intents drawn from its domain, each predicted action taken until it listens; every
    prediction equals Rasa's."""
    import random

    from rasa.core.agent import Agent
    from rasa.shared.core.events import ActionExecuted, DefinePrevUserUtteredFeaturization, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    from tooling import services

    if not services.MODEL.exists():
        pytest.fail("no trained model: run `./yuban train`")
    memoization_skip.install()
    rule_keys.install()
    processor = Agent.load(str(services.MODEL)).processor
    domain = processor.domain
    rng = random.Random(7)
    intents = sorted(domain.intents)
    tracker = DialogueStateTracker("long", domain.slots)
    for event in session_start():
        tracker.update(event)
    compared = 0
    for turn in range(120):
        intent = rng.choice(intents)
        tracker.update(UserUttered(f"第{turn}句", {"name": intent, "confidence": 0.9}))
        tracker.update(DefinePrevUserUtteredFeaturization(False))
        for _ in range(3):
            ours = processor._predict_next_with_tracker(tracker)
            memoization_skip.uninstall()
            rule_keys.uninstall()
            try:
                rasas = processor._predict_next_with_tracker(tracker)
            finally:
                memoization_skip.install()
                rule_keys.install()
            assert ours == rasas and ours.action_metadata == rasas.action_metadata, (turn, intent)
            compared += 1
            name = domain.action_names_or_texts[ours.max_confidence_index]
            tracker.update(ActionExecuted(name, policy=ours.policy_name, confidence=ours.max_confidence))
            if name == "action_listen":
                break
    assert compared >= 240  # the late rule searches built no key:
    assert len(tracker.past_states(domain)) > rule_keys.most_source_states(_rule_policy(processor))


def _rule_policy(processor):
    """The RulePolicy instance of a loaded model's graph."""
    from rasa.core.policies.rule_policy import RulePolicy

    nodes = processor.graph_runner._instantiated_nodes
    return next(node._component for node in nodes.values() if isinstance(getattr(node, "_component", None), RulePolicy))
