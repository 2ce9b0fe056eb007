"""bot/ops/graph_plan.py: a graph run from the kept plan calls the same nodes in the same order
with the same arguments as Rasa's DaskGraphRunner, returns the same outputs and raises the
same errors; on the trained model (when this tree has one) NLU parses are identical."""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Dict, Text

import pytest
from rasa.engine.exceptions import GraphComponentException, GraphRunError
from rasa.engine.graph import ExecutionContext, GraphComponent, GraphSchema, SchemaNode
from rasa.engine.runner.dask import DaskGraphRunner
from rasa.engine.storage.local_model_storage import LocalModelStorage

from bot.ops import graph_plan

CALLS: list = []
MODEL = Path(__file__).resolve().parents[2] / "models" / "yuban.tar.gz"


class Step(GraphComponent):
    """Records its call and returns its name with what it received."""

    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage, resource, execution_context) -> Step:
        return cls(config)

    def __init__(self, config: Dict[Text, Any]):
        self.name = config["name"]

    def run(self, **received: Any) -> tuple:
        CALLS.append((self.name, tuple(sorted(received))))
        if self.name == "fails" and received.get("a") == "boom":
            raise RuntimeError("boom")
        return self.name, tuple(sorted((k, repr(v)) for k, v in received.items()))


def node(name: str, needs: dict, target: bool = False) -> SchemaNode:
    return SchemaNode(needs=needs, uses=Step, constructor_name="create", fn="run", config={"name": name},
                      is_target=target)


SCHEMA = GraphSchema({
    "a": node("a", {"message": "__message__"}),
    "b": node("b", {"first": "a", "tracker": "__tracker__"}),
    "c": node("c", {"first": "a"}),
    "d": node("d", {"left": "b", "right": "c", "missing": "not_a_node"}, target=True),
    "e": node("e", {"left": "c"}, target=True),
    "unused": node("unused", {"x": "a"}),
    "fails": node("fails", {"a": "__message__"}, target=True),
})


def both(tmp_path, **run) -> tuple:
    """(Rasa's result and calls, the plan's result and calls) of one run on fresh runners."""
    outcomes = []
    for install in (False, True):
        (graph_plan.install if install else graph_plan.uninstall)()
        try:
            runner = DaskGraphRunner(SCHEMA, LocalModelStorage(tmp_path / str(install)), ExecutionContext(SCHEMA, "t"))
            CALLS.clear()
            for _ in range(2):  # the second run uses the kept plan
                try:
                    result: Any = runner.run(**run)
                except Exception as error:  # noqa: BLE001 — compared below
                    result = (type(error), str(error), type(error.__cause__))
            outcomes.append((result, list(CALLS)))
        finally:
            graph_plan.uninstall()
    return outcomes


@pytest.mark.parametrize("targets", [["d"], ["e", "d"], ["a"], None])
def test_a_run_calls_and_returns_what_dasks_does(tmp_path, targets):
    rasa_s, ours = both(tmp_path, inputs={"__message__": ["text"], "__tracker__": {"sender": 1}}, targets=targets)
    assert ours == rasa_s and rasa_s[1]


def test_errors_are_rasas(tmp_path):
    for run in ({"inputs": {"__message__": "a"}, "targets": ["d"]},  # an input value naming a node
                {"inputs": {"__message__": ["x"]}, "targets": ["nowhere"]},  # a target outside the graph
                {"inputs": {"__message__": "a"}, "targets": ["nowhere"]},  # both: Rasa checks the inputs first
                {"inputs": {"__message__": "__tracker__", "__tracker__": 1}, "targets": ["d"]},  # a later input's name
                {"inputs": {"__tracker__": 1, "__message__": "__tracker__"}, "targets": ["d"]},  # an earlier one's
                {"inputs": {"__message__": "boom"}, "targets": ["fails"]}):  # an error in a node
        rasa_s, ours = both(tmp_path, **run)
        assert ours == rasa_s and isinstance(rasa_s[0], tuple) and isinstance(rasa_s[0][0], type)
    assert both(tmp_path, inputs={"__message__": "a"}, targets=["d"])[0][0][0] is GraphRunError
    assert both(tmp_path, inputs={"__message__": "boom"}, targets=["fails"])[0][0][0] is GraphComponentException


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model in this tree (./yuban train)")
def test_the_trained_models_parses_are_identical():
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage

    agent = Agent.load(str(MODEL))
    texts = ["注册个体工商户要带什么", "渝北区护照怎么办", "驾照到期换证多少钱", "你好", "谢谢啦", "阿巴阿巴", "第二个", "人工"]

    async def parses() -> list:
        out = []
        for text in texts:
            tracker = await agent.processor.get_tracker(f"plan-{text}")
            out.append(await agent.processor.parse_message(UserMessage(text), tracker))
        return out

    graph_plan.uninstall()
    rasa_s = asyncio.run(parses())
    graph_plan.install()
    try:
        ours, again = asyncio.run(parses()), asyncio.run(parses())
    finally:
        graph_plan.uninstall()
    assert ours == rasa_s == again
    assert {p["intent"]["name"] for p in rasa_s} >= {"greet"}
