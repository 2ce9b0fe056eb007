"""What the policies' past states cost at turn 1, 10, 100 and 500 of one conversation, with
Rasa's `DialogueStateTracker.past_states` and with bot/ops/incremental_states.py (same run),
and what `tracker.copy()` costs (Rasa's replay, bot/ops/tracker_copy.py).

  past_states  one call of `tracker.past_states(domain)` on a tracker that has just received
               a new turn (ours: the same tracker object as at the turn before, as the
               tracker store's cache hands it out)
  copy         one `tracker.copy()` (the processor's copy before each action), both ways
  request      RemoteAction's request for the guide action, built and encoded: Rasa's dicts
               trimmed afterwards and `json.dumps` (bot/ops/action_payload.py's first version),
               the trimmed events built directly and `json.dumps`, and as sent now (the events'
               dicts and texts kept per conversation, `encode_body`)
  prediction   the policies of the trained model (`--model`; Rasa's graph runner with
               Memoization and RulePolicy, as the processor runs it, logging at INFO as
               `rasa run`): the two predictions of a guide turn (after the user message,
               after the guide action); also with bot/ops/debug_log_args.py, and then with
               bot/ops/memoization_skip.py and bot/ops/rule_keys.py ("shortcuts")

Each figure is the median CPU time of this process (`time.process_time`: less disturbed by
other processes on a busy machine than the wall clock) over `--turns` turns appended to a
conversation of that length
(guide turns: user message, the ensemble's featurization event, action_answer_guide with its
slot events and a card of a few KB, action_listen). Rasa environment:

    .venvs/rasa/bin/python -m bench.states_bench [--turns 10] [--model models/yuban.tar.gz | --no-model]
"""
from __future__ import annotations

import argparse
import logging
import statistics
import time
from typing import Any, Callable

from bench.turn_fixtures import INTENTS, rasa_response
from tooling import services

LENGTHS = (1, 10, 100, 500)
GUIDE_INTENTS = [intent for intent in INTENTS if intent.startswith("ask_")]


def user_event(turn: int):
    from rasa.shared.core.events import UserUttered

    import numpy

    # intent names as our classifier gives them (numpy.str_, from its label encoder)
    ranking = [{"name": numpy.str_(name), "confidence": round(0.9 / (i + 1), 4)}
               for i, name in enumerate(GUIDE_INTENTS[turn % len(GUIDE_INTENTS):] + GUIDE_INTENTS)]
    text = f"第{turn}个问题"
    return UserUttered(text, ranking[0], [], {"intent": ranking[0], "entities": [], "intent_ranking": ranking,
                                              "text": text}, input_channel="rest", message_id=f"m{turn}")


def answer_events(turn: int) -> list:
    """What follows the user message until action_listen: the ensemble's event, the guide action."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, DefinePrevUserUtteredFeaturization, SlotSet

    response = rasa_response(turn)
    events = [DefinePrevUserUtteredFeaturization(False), ActionExecuted("action_answer_guide", policy="RulePolicy")]
    events += [SlotSet(event["name"], event["value"]) for event in response["events"]]
    message = response["responses"][0]
    return events + [BotUttered(message["text"], {"custom": message["custom"]})]


def conversation(domain, turns: int):
    from rasa.shared.core.events import ActionExecuted, SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker("bench", domain.slots)
    for event in [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen")]:
        tracker.update(event)
    for turn in range(turns):
        for event in [user_event(turn), *answer_events(turn), ActionExecuted("action_listen")]:
            tracker.update(event)
    return tracker


def timed_turns(tracker, start: int, count: int, at_user: Callable[[Any], None],
                at_action: Callable[[Any], None]) -> list[float]:
    """ms per turn of the calls made after the user message and after the guide action."""
    from rasa.shared.core.events import ActionExecuted

    figures = []
    at_user(tracker)  # warm: the first call on a tracker replays it (also with the memo)
    for turn in range(start, start + count):
        tracker.update(user_event(turn))
        began = time.process_time()
        at_user(tracker)
        spent = time.process_time() - began
        for event in answer_events(turn):
            tracker.update(event)
        began = time.process_time()
        at_action(tracker)
        figures.append((spent + time.process_time() - began) * 1000)
        tracker.update(ActionExecuted("action_listen"))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10, help="turns timed at each length")
    parser.add_argument("--model", default=str(services.ROOT / "models" / "yuban.tar.gz"))
    parser.add_argument("--no-model", action="store_true", help="only the past_states calls")
    parser.add_argument("--max-history", type=int, default=None, metavar="N",
                        help="also time the predictions with MemoizationPolicy's max_history set to N after loading "
                             "(cost only: the model was trained without it, so its predictions are not the trained ones)")
    args = parser.parse_args()
    from rasa.shared.core.domain import Domain

    from bot.ops import debug_log_args, incremental_states, memoization_skip, rule_keys, tracker_copy

    domain = Domain.load(str(services.ROOT / "bot" / "domain"))
    loadavg = " ".join(open("/proc/loadavg").read().split()[:3])
    print(f"median CPU ms per turn over {args.turns} turns; load average {loadavg}")

    def states_call(tracker):
        tracker.past_states(domain)

    def shortcuts(on: bool) -> None:
        for module in (memoization_skip, rule_keys):
            module.install() if on else module.uninstall()

    def rasa():
        incremental_states.uninstall()
        debug_log_args.uninstall()
        shortcuts(False)

    def incremental():
        incremental_states.install()
        debug_log_args.uninstall()
        shortcuts(False)

    def both():
        incremental()
        debug_log_args.install()

    def all_of_them():
        both()
        shortcuts(True)

    variants = (("Rasa", rasa), ("incremental", incremental))
    for length in LENGTHS:
        line = []
        for name, setup in variants:
            setup()
            figures = timed_turns(conversation(domain, length), length, args.turns, states_call, states_call)
            line.append(f"{name} {statistics.median(figures) / 2:7.2f}")
        print(f"  past_states, one call, turn {length:3}: " + " | ".join(line), flush=True)
    for length in LENGTHS:
        line = []
        for name, copy_of in (("Rasa", tracker_copy.rasa_copy), ("from the state", tracker_copy.copy_tracker)):
            figures = timed_turns(conversation(domain, length), length, args.turns, copy_of, copy_of)
            line.append(f"{name} {statistics.median(figures) / 2:7.3f}")
        print(f"  tracker.copy(), one call, turn {length:3}: " + " | ".join(line), flush=True)
    _request_lines(domain, args.turns)
    if args.no_model:
        return
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.INFO)  # as `rasa run` does: no debug output
    memoization_skip.install()  # before loading, as in `rasa run`: the graph keeps the function it finds
    rule_keys.install()  # likewise (RulePolicy's predict_action_probabilities)
    agent = Agent.load(args.model)
    processor = agent.processor

    def predict(tracker):
        processor._predict_next_with_tracker(tracker)

    def policies(label: str) -> None:
        for length in LENGTHS:
            line = []
            for name, setup in variants + (("+ debug args", both), ("+ shortcuts", all_of_them)):
                setup()
                figures = timed_turns(conversation(processor.domain, length), length, args.turns, predict, predict)
                line.append(f"{name} {statistics.median(figures):7.2f}")
            print(f"  {label}, two predictions, turn {length:3}: " + " | ".join(line), flush=True)

    policies("policies")
    if args.max_history is not None:
        _set_memoization_max_history(processor, args.max_history)
        policies(f"policies with MemoizationPolicy max_history {args.max_history}")

class _NoEvents:
    """A tracker whose current_state has no events (the request without them)."""

    def __init__(self, tracker):
        self.tracker = tracker

    def current_state(self, _verbosity=None):
        return self.tracker.current_state()

    def __getattr__(self, name):
        return getattr(self.tracker, name)


def _request_lines(domain, turns: int) -> None:
    import json

    from rasa.core.actions.action import RemoteAction

    from bot.ops import action_payload

    action = RemoteAction("action_answer_guide", None)
    rasa_format = action_payload.rasa_action_call_format()

    def trimmed_after(tracker):
        json.dumps(action_payload.trim_action_call(rasa_format(action, tracker, domain)))

    def direct(tracker):
        json.dumps(action_payload.event_dicts(list(tracker.events)))
        json.dumps(action_payload.trim_action_call(rasa_format(action, _NoEvents(tracker), domain)))

    def kept(tracker):
        action_payload.encode_body(action_payload.action_call_format(action, tracker, domain))

    for length in LENGTHS:
        line = []
        for name, build in (("Rasa's, trimmed", trimmed_after), ("built trimmed", direct), ("kept texts", kept)):
            figures = timed_turns(conversation(domain, length), length, turns, build, build)
            line.append(f"{name} {statistics.median(figures) / 2:7.3f}")
        print(f"  action request + json, turn {length:3}: " + " | ".join(line), flush=True)


def _set_memoization_max_history(processor, max_history: int) -> None:
    """MemoizationPolicy (not RulePolicy, its subclass) of the loaded graph, with `max_history`."""
    from rasa.core.policies.memoization import AugmentedMemoizationPolicy, MemoizationPolicy

    found = 0
    for node in processor.graph_runner._instantiated_nodes.values():
        component = getattr(node, "_component", None)
        if type(component) in (MemoizationPolicy, AugmentedMemoizationPolicy):
            component.config["max_history"] = max_history
            component.featurizer.max_history = max_history
            found += 1
    if not found:
        raise SystemExit("no MemoizationPolicy in the model's graph")


if __name__ == "__main__":
    main()
