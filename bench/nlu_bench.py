"""Rasa's NLU per message on the trained model of this tree, component by component (issue #13:
Rasa CPU per guide message). Rasa environment, no server:

    .venvs/rasa/bin/python -m bench.nlu_bench [--model models/yuban.tar.gz] [--rounds 20]

The model is loaded as the server loads it (bot.ops.rasa_server: no TensorFlow). Each message
is parsed through the processor (`parse_message`, the graph runner included) and the CPU
(`time.process_time`) of every graph node is summed; "graph runner" is what the run costs
beyond its nodes (schema pruning, the dask graph, dask's scheduler).  The messages are our own guide questions
(not evaluation data), each parsed `--rounds` times; medians per message in ms. Then the first
policy prediction after that message ("prediction", Rasa's own policies: bot/ops speedups
are not installed here). `--compare` alternates rounds with Rasa's graph runner and with bot/ops/graph_plan.py (the rounds of the
latter marked "kept plan").
"""
from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import time
from collections import defaultdict
from pathlib import Path

MESSAGES = [
    "注册个体工商户需要带哪些证件", "驾照快到期了怎么换", "公积金怎么提出来买房", "新生儿落户去哪里办",
    "办结婚证要准备什么", "渝北区出国护照怎么申请", "开饭馆要办哪些许可", "退休了养老金怎么领",
    "残疾证补办需要多久", "二手房过户交多少钱", "你好", "谢谢",
]


def _load(model: Path):
    from bot.ops import rasa_server

    rasa_server.prepare()
    import logging

    from rasa.core.agent import Agent
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.INFO)  # as `rasa run` does by default (no debug lines)
    configure_structlog(logging.INFO)

    return Agent.load(str(model))


def _timed_nodes(spent: dict[str, float]):
    """Sum each graph node's CPU into `spent` while installed (Rasa's GraphNode.__call__ wrapped)."""
    from rasa.engine.graph import GraphNode

    original = GraphNode.__call__

    def call(self, *inputs):
        start = time.process_time()
        try:
            return original(self, *inputs)
        finally:
            spent[self._node_name] += time.process_time() - start

    GraphNode.__call__ = call
    return lambda: setattr(GraphNode, "__call__", original)


def measure(agent, rounds: int, compare: bool = False) -> dict[str, list[float]]:
    from rasa.core.channels.channel import UserMessage
    from rasa.shared.core.events import UserUttered

    from bot.ops import graph_plan

    processor = agent.processor
    figures: dict[str, list[float]] = defaultdict(list)

    def timed(label: str, call) -> object:
        """Run `call`, adding its CPU and its nodes' CPU to the figures under `label`."""
        spent: dict[str, float] = defaultdict(float)
        undo = _timed_nodes(spent)
        try:
            start = time.process_time()
            result = call()
            total = time.process_time() - start
        finally:
            undo()
        if label == "nlu":
            for node, cpu in spent.items():
                figures[f"nlu: {node}{suffix}"].append(cpu * 1000)
        figures[f"{label}: graph runner{suffix}"].append((total - sum(spent.values())) * 1000)
        figures[f"{label}: total{suffix}"].append(total * 1000)
        return result

    async def parse(text: str, tracker) -> dict:
        return await processor.parse_message(UserMessage(text), tracker)

    loop = asyncio.new_event_loop()
    suffix = ""
    for round_ in range(rounds):
        kept = compare and round_ % 2 == 1
        (graph_plan.install if kept else graph_plan.uninstall)()
        suffix = " (kept plan)" if kept else ""
        for text in MESSAGES:
            tracker = loop.run_until_complete(processor.get_tracker(f"nlu-bench-{text}"))
            parsed = timed("nlu", functools.partial(loop.run_until_complete, parse(text, tracker)))
            tracker.update(UserUttered(text, parsed["intent"], parsed["entities"], parsed))
            timed("prediction", functools.partial(processor.predict_next_with_tracker_if_should, tracker))
    graph_plan.uninstall()
    loop.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=Path, default=Path("models/yuban.tar.gz"))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--compare", action="store_true",
                        help="alternate rounds with Rasa's graph runner and the kept plan (bot/ops/graph_plan.py)")
    args = parser.parse_args()
    agent = _load(args.model)
    measure(agent, 2, args.compare)  # warm-up: jieba's dictionary, first-call imports
    figures = measure(agent, args.rounds, args.compare)
    load = " ".join(open("/proc/loadavg").read().split()[:3])
    print(f"Rasa NLU CPU per message, median ms (load average {load}, {time.strftime('%H:%M:%S')} UTC, "
          f"{len(MESSAGES)} messages × {args.rounds})")
    for name, values in sorted(figures.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"{statistics.median(values):8.3f}  {name}")


if __name__ == "__main__":
    main()
