"""`past_states` extended by new events (bot/ops/incremental_states.py) gives exactly Rasa's
result, on the same tracker object called again as the conversation goes on (Rasa environment).

Each check compares with Rasa's own function on the same tracker, for the four ways the
policies call it (plain, `omit_unset_slots`, `ignore_rule_only_turns` with and without
rule-only data), after every step of scripted conversations (rewind, undo, restart, session
start, rule-only turns, slots set in actions, forms) and of generated ones (hypothesis).
"""
from __future__ import annotations

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.ops import incremental_states
from tooling import services

DOMAIN_YAML = """
version: "3.1"
intents: [greet, ask, inform, deny, stop]
entities:
  - place
  - number:
      roles: [from, to]
slots:
  place: {type: text, mappings: [{type: from_entity, entity: place}]}
  urgent: {type: bool, mappings: [{type: custom}]}
  level: {type: categorical, values: [low, high], mappings: [{type: custom}]}
  amount: {type: float, min_value: 0, max_value: 10, mappings: [{type: custom}]}
  picks: {type: list, mappings: [{type: custom}]}
  hidden_note: {type: text, influence_conversation: false, mappings: [{type: custom}]}
  number: {type: text, mappings: [{type: from_entity, entity: number}]}
forms:
  ask_form: {required_slots: [place, number]}
responses:
  utter_greet: [{text: hi}]
  utter_ask_place: [{text: where}]
  utter_ask_number: [{text: which}]
actions: [action_answer, action_pick, validate_ask_form]
"""
RULE_ONLY = {"rule_only_slots": ["urgent", "level"], "rule_only_loops": ["ask_form"]}
CALLS = ({}, {"omit_unset_slots": True}, {"ignore_rule_only_turns": True},
         {"ignore_rule_only_turns": True, "rule_only_data": RULE_ONLY},
         {"omit_unset_slots": True, "ignore_rule_only_turns": True, "rule_only_data": RULE_ONLY})


@pytest.fixture(scope="module")
def domain():
    from rasa.shared.core.domain import Domain

    return Domain.from_yaml(DOMAIN_YAML)


@pytest.fixture(scope="module")
def real_domain():
    from rasa.shared.core.domain import Domain

    return Domain.load(str(services.ROOT / "bot" / "domain"))


@pytest.fixture(autouse=True)
def installed():
    incremental_states.install()
    yield
    incremental_states.uninstall()


def assert_same_as_rasa(tracker, domain) -> None:
    """The applied events are Rasa's, every way of calling gives Rasa's states, and changing
    them does not change the next call."""
    rasa = incremental_states.rasa_past_states()
    applied = incremental_states.applied_events(tracker)
    theirs = incremental_states.rasa_applied_events(tracker)
    assert len(applied) == len(theirs)
    assert all(ours is rasas for ours, rasas in zip(applied, theirs))
    method = tracker.applied_events()  # the installed method: the same events in a list of its own
    assert method == theirs and method is not applied and all(a is b for a, b in zip(method, theirs))
    for options in CALLS:
        expected = rasa(tracker, domain, **copy.deepcopy(options))
        got = tracker.past_states(domain, **copy.deepcopy(options))
        assert got == expected, options
        for state in got:  # as Rasa's featurizers do to the states they are given
            state.clear()
        assert tracker.past_states(domain, **copy.deepcopy(options)) == expected, options


def user(intent: str, text: str = "", entities=None):
    from rasa.shared.core.events import UserUttered

    return UserUttered(text or f"text of {intent}", {"name": intent, "confidence": 1.0}, entities or [])


def action(name: str, hide: bool = False):
    from rasa.shared.core.events import ActionExecuted

    return ActionExecuted(name, hide_rule_turn=hide)


def slot(name: str, value):
    from rasa.shared.core.events import SlotSet

    return SlotSet(name, value)


def session_start():
    from rasa.shared.core.events import SessionStarted

    return [action("action_session_start"), SessionStarted(), action("action_listen")]


def form_turns():
    """A form asked, interrupted by a rule-only question, rejected once, filled and closed."""
    from rasa.shared.core.events import ActionExecutionRejected, ActiveLoop, BotUttered, LoopInterrupted

    return [user("ask"), action("ask_form"), ActiveLoop("ask_form"), slot("requested_slot", "place"),
            BotUttered("where"), action("action_listen"),
            user("greet"), action("ask_form"), ActionExecutionRejected("ask_form"), action("utter_greet", hide=True),
            LoopInterrupted(True), action("ask_form"), slot("requested_slot", "place"), action("action_listen"),
            user("inform", "in town", [{"entity": "place", "value": "town"}]), action("ask_form"),
            slot("place", "town"), slot("requested_slot", "number"), action("action_listen"),
            user("inform", "3 to 4", [{"entity": "number", "value": "3", "role": "from"},
                                      {"entity": "number", "value": "4", "role": "to"}]),
            action("ask_form"), slot("number", "3"), ActiveLoop(None), slot("requested_slot", None),
            action("action_answer"), action("action_listen")]


def scripted_steps():
    """Conversations as lists of steps (each a list of events appended before the check)."""
    from rasa.shared.core.events import (ActionReverted, AllSlotsReset, BotUttered, FollowupAction, Restarted,
                                         UserUtteranceReverted)

    guide_turn = [user("ask"), action("action_answer"), slot("picks", ["a", "b"]), slot("amount", 3.0),
                  slot("hidden_note", "x"), BotUttered("answer", {"custom": {"card": [1, 2]}}), action("action_listen")]
    rule_turn = [user("greet"), action("utter_greet", hide=True), action("action_listen", hide=True)]
    return {
        "guide turns": [session_start()] + [guide_turn] * 6,
        "rule-only turns": [session_start(), guide_turn, rule_turn, guide_turn, rule_turn, rule_turn],
        "slots set in actions": [session_start(), [user("inform"), action("action_pick"), slot("urgent", True),
                                                   slot("level", "high"), action("action_listen")],
                                 [user("deny"), action("action_pick"), slot("level", "other"), slot("urgent", None),
                                  action("action_listen")], [AllSlotsReset()], guide_turn],
        "rewind": [session_start(), guide_turn, [user("ask")], [UserUtteranceReverted()], guide_turn,
                   [user("deny"), action("action_pick")], [UserUtteranceReverted()], guide_turn],
        "undo": [session_start(), guide_turn, [user("ask"), action("action_pick")], [ActionReverted()],
                 [action("action_answer"), action("action_listen")], guide_turn],
        "restart": [session_start(), guide_turn, guide_turn, [Restarted()], [action("action_listen")], guide_turn],
        "session start": [session_start(), guide_turn, guide_turn, session_start(), guide_turn],
        "followup": [session_start(), [user("ask"), action("action_pick"), FollowupAction("action_answer")],
                     [action("action_answer"), action("action_listen")], guide_turn],
        "form": [session_start(), guide_turn] + [[event] for event in form_turns()] + [guide_turn],
        "no session start": [[action("action_listen")], guide_turn, guide_turn],
    }


@pytest.mark.parametrize("name", sorted(scripted_steps()))
def test_scripted_conversations_give_rasas_states_at_every_step(domain, name):
    play(domain, [[step] for step in scripted_steps()[name]], lambda tracker: assert_same_as_rasa(tracker, domain))


def test_the_real_domain_and_a_tracker_without_slots(real_domain, domain):
    from rasa.shared.core.events import ActiveLoop
    from rasa.shared.core.trackers import DialogueStateTracker

    for tracker in (DialogueStateTracker("user", real_domain.slots), DialogueStateTracker("user", None)):
        for step in [session_start(), [user("ask_materials"), action("action_guide"), slot("item_code", "5"),
                                       slot("progress_listed", True), action("action_listen")],
                     [user("ask_progress"), action("progress_form"), ActiveLoop("progress_form"),
                      slot("requested_slot", "application_number"), action("action_listen")],
                     [user("inform"), action("progress_form"), slot("application_number", "1"), ActiveLoop(None),
                      action("action_progress_answer"), action("action_listen")]]:
            for event in step:
                tracker.update(copy.deepcopy(event))
            assert_same_as_rasa(tracker, real_domain)
            assert_same_as_rasa(tracker, domain)  # another domain: its own memo


def test_events_that_change_an_earlier_message_use_rasas_function(domain):
    from rasa.shared.core.events import DefinePrevUserUtteredFeaturization, EntitiesAdded
    from rasa.shared.core.trackers import DialogueStateTracker

    # each changes the latest user message after a kept state read it (both only right after
    # action_listen); the usual turn (the event right after the message) keeps the memo
    start = session_start() + [user("ask"), action("action_answer"), action("action_listen"), user("inform")]
    for steps in ([start, [action("action_listen")], [DefinePrevUserUtteredFeaturization(True)],
                   [action("action_answer")]],
                  [start, [action("action_listen")], [EntitiesAdded([{"entity": "place", "value": "x"}])],
                   [action("action_pick")]],
                  [start, [DefinePrevUserUtteredFeaturization(True)], [action("action_pick")],
                   [action("action_listen"), user("deny")], [DefinePrevUserUtteredFeaturization(False)]]):
        tracker = DialogueStateTracker("user", domain.slots)
        for step in steps:
            for event in step:
                tracker.update(copy.deepcopy(event))
            assert_same_as_rasa(tracker, domain)


def test_the_usual_turn_keeps_the_memo(domain):
    from rasa.shared.core.events import DefinePrevUserUtteredFeaturization
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("user", domain.slots)
    for event in session_start() + [user("ask"), DefinePrevUserUtteredFeaturization(False), action("action_answer"),
                                    action("action_listen")]:
        tracker.update(event)
    tracker.past_states(domain)
    run = tracker.__dict__[incremental_states.MEMO][(id(domain), False, False)]
    replay, fed = run.replay, len(run.applied)
    tracker.update(user("deny"))
    tracker.past_states(domain)  # the prediction after the message
    for event in [DefinePrevUserUtteredFeaturization(False), action("action_pick"), action("action_listen")]:
        tracker.update(event)
    assert_same_as_rasa(tracker, domain)
    assert tracker.__dict__[incremental_states.MEMO][(id(domain), False, False)] is run
    assert run.replay is replay and len(run.replay.events) == fed + 4


# Generated conversations: any sequence of these steps, checked after each.
def _steps():
    from rasa.shared.core.events import (ActionExecutionRejected, ActionReverted, ActiveLoop, AllSlotsReset,
                                         BotUttered, DefinePrevUserUtteredFeaturization, EntitiesAdded, FollowupAction, LoopInterrupted, Restarted, SessionStarted,
                                         UserUtteranceReverted)

    entities = st.lists(st.sampled_from([{"entity": "place", "value": "a"},
                                         {"entity": "number", "value": "1", "role": "from"},
                                         {"entity": "number", "value": "2", "role": "to"}]), max_size=2)
    values = {"place": st.sampled_from(["a", None]), "urgent": st.sampled_from([True, False, None]),
              "level": st.sampled_from(["low", "high", "other", None]), "amount": st.sampled_from([0.0, 4.0, 12.0, None]),
              "picks": st.sampled_from([["a"], [], None]), "hidden_note": st.just("n"),
              "number": st.sampled_from(["1", None]), "requested_slot": st.sampled_from(["place", "number", None])}
    actions = st.sampled_from(["action_listen", "action_answer", "action_pick", "utter_greet", "ask_form"])
    return st.one_of(
        st.builds(lambda i, e: [user(i, entities=e)], st.sampled_from(["greet", "ask", "inform", "deny"]), entities),
        st.builds(lambda name, hide: [action(name, hide)], actions, st.booleans()),
        st.sampled_from(sorted(values)).flatmap(lambda name: values[name].map(lambda v: [slot(name, v)])),
        st.sampled_from([[ActiveLoop("ask_form")], [ActiveLoop(None)], [ActionExecutionRejected("ask_form")],
                         [LoopInterrupted(True)], [FollowupAction("action_answer")], [BotUttered("b")],
                         [UserUtteranceReverted()], [ActionReverted()], [Restarted()], [AllSlotsReset()],
                         [DefinePrevUserUtteredFeaturization(True)], [DefinePrevUserUtteredFeaturization(False)],
                         [EntitiesAdded([{"entity": "place", "value": "b"}])],
                         [action("action_session_start"), SessionStarted()]]),
    )


def generated_conversations():
    """Conversations of up to 12 groups of 1–4 steps (_steps), for play."""
    return st.lists(st.lists(_steps(), min_size=1, max_size=4), min_size=1, max_size=12)


def play(domain, steps, check) -> None:
    """Apply a conversation (groups of steps, each a list of events) to a new tracker, calling
    `check(tracker)` after each group."""
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("user", domain.slots)
    for group in steps:
        for step in group:
            for event in step:
                tracker.update(copy.deepcopy(event))
        check(tracker)


# derandomize: the same examples on every run. Rasa's own past_states is not idempotent on some
# rare sequences (DefinePrevUserUtteredFeaturization after a loop re-activated by its own
# action: replaying mutates the shared UserUttered's featurization flag, so Rasa's second call
# differs from its first), and a random search finds one now and then: a reference that moves
# is no reference. To explore more, drop `derandomize` locally and raise max_examples.
@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=generated_conversations())
def test_generated_conversations_give_rasas_states_at_every_step(domain, steps):
    play(domain, steps, lambda tracker: assert_same_as_rasa(tracker, domain))


def test_intent_names_of_a_string_subclass_are_shared_not_deep_copied(domain):
    """Our classifier names intents with numpy.str_: still Rasa's states, without a deep copy each."""
    import numpy
    from rasa.shared.core.trackers import DialogueStateTracker

    from rasa.shared.core.events import UserUttered

    tracker = DialogueStateTracker("user", domain.slots)
    for event in session_start() + [UserUttered("t", {"name": numpy.str_("ask"), "confidence": 1.0}),
                                    action("action_answer"), action("action_listen")]:
        tracker.update(event)
    assert_same_as_rasa(tracker, domain)
    assert incremental_states._is_flat({"intent": numpy.str_("ask"), "entities": (numpy.str_("place"),)})
    assert not incremental_states._is_flat({"entities": [numpy.str_("place")]})
