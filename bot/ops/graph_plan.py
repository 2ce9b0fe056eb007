"""Rasa's graph runs with their plan made once (Rasa process only).

Every message runs the model's graph three times (NLU, then the two predictions of a guide
turn), and for each run Rasa 3.6's `DaskGraphRunner.run` prunes the schema to the targets
(a recursive walk), builds a new dask graph, sorts it topologically with dask and executes it
through dask's generic task interpreter; it also formats the run's inputs (the tracker and the
message) for a debug line the server drops. That is about 0.7 ms of CPU per run on this
machine against 1–4 ms for the components themselves (bench.nlu_bench).

The plan (pruned graph, the order in which dask's synchronous scheduler runs it, each node's
arguments) depends only on the targets and the names of the inputs, never on their values, so
it is made once per pair by Rasa's and dask's own functions and kept on the runner; a run then calls the same nodes, in the
same order, with the same arguments as `dask.get` would, and returns the same dict. The same
errors too: a target outside the graph is dask's KeyError, an input value that names a node
Rasa's GraphRunError, a RuntimeError in a node Rasa's GraphRunError. The debug line is written,
with Rasa's text, whenever the runner's logger is enabled for DEBUG.

Installed by bot/ops/rasa_speedups.py. Rasa environment only.
"""
from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Text, Tuple

from bot.ops.patching import Patch

RUNNER_LOGGER = "rasa.engine.runner.dask"
PLANS = "_yuban_graph_plans"  # attribute of a runner: (targets, input names) -> Plan


@dataclass(frozen=True)
class Plan:
    keys: frozenset  # every key of the run's dask graph: nodes and inputs
    nodes: frozenset  # the keys that are nodes
    steps: Tuple[Tuple[Text, Any, Tuple[Text, ...]], ...]  # (key, node, argument keys), in dask's order


def _dask_runner():
    from rasa.engine.runner.dask import DaskGraphRunner

    return DaskGraphRunner


def _traced(order: List[Text], key: Text, *_arguments: Any) -> Tuple[Text, None]:
    order.append(key)
    return key, None


def make_plan(runner: Any, targets: List[Text], input_names: Tuple[Text, ...]) -> Plan:
    """The run's dask graph as Rasa builds it, in the order `dask.get` executes it: found by
    running that very graph through `dask.get` once, each node replaced by a recorder."""
    import dask

    graph = runner._build_dask_graph(runner._graph_schema.minimal_graph_schema(targets))
    for name in input_names:
        graph[name] = (name, None)  # the value is data to dask: never a dependency
    order: List[Text] = []
    dask.get({key: task if key in input_names else (functools.partial(_traced, order, key), *task[1:])
              for key, task in graph.items()}, [target for target in targets if target in graph])
    steps = tuple((key, graph[key][0], tuple(graph[key][1:])) for key in order)
    return Plan(frozenset(graph), frozenset(graph) - set(input_names), steps)


def _plan(runner: Any, targets: List[Text], input_names: Tuple[Text, ...]) -> Plan:
    plans = runner.__dict__.setdefault(PLANS, {})
    key = (tuple(targets), input_names)
    if key not in plans:
        plans[key] = make_plan(runner, targets, input_names)
    return plans[key]


def run(self, inputs: Optional[Dict[Text, Any]] = None, targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
    """As DaskGraphRunner.run: the targets' outputs, from the kept plan."""
    from rasa.engine.exceptions import GraphRunError

    run_targets = targets if targets else self._graph_schema.target_names
    inputs = inputs or {}
    plan = _plan(self, run_targets, tuple(inputs))
    for index, value in enumerate(inputs.values()):
        # Rasa adds the inputs one by one, each checked against the nodes and the inputs before it
        if isinstance(value, str) and (value in plan.nodes or value in list(inputs)[:index]):
            raise GraphRunError(
                f"Input value '{value}' clashes with a node name. Make sure "
                f"that none of the input names passed to the `run` method are the "
                f"same as node names in the graph schema.")
    logger = logging.getLogger(RUNNER_LOGGER)
    if logger.isEnabledFor(logging.DEBUG):
        logger.debug(f"Running graph with inputs: {inputs}, targets: {targets} and {self._execution_context}.")
    for target in run_targets:
        if target not in plan.keys:
            raise KeyError(target)  # as dask.get (its synchronous scheduler) raises it
    done: Dict[Text, Any] = {name: (name, value) for name, value in inputs.items()}
    try:
        for key, node, arguments in plan.steps:
            done[key] = node(*(done[name] if name in done else name for name in arguments))
    except RuntimeError as e:
        raise GraphRunError("Error running runner.") from e
    return dict(done[target] for target in run_targets)


_patch = Patch(_dask_runner, "run", run)


def install() -> None:
    _patch.install()


def uninstall() -> None:
    _patch.uninstall()
