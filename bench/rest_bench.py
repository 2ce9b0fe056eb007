"""REST benchmark (issue #13): our assistant against a plain `rasa init` bot, in one run.

For each bot, one Rasa process (ours with its action server and progress service, the
embedded profile), one after the other on this machine:
  - single user, a new conversation per message: p50/p95 (ours: guide questions of the
    development set, read at run time; the plain bot: the moodbot's messages);
  - one user, `--long` turns in one conversation: p50 of the first and last ten turns;
  - saturation: `--users` closed-loop users × `--turns` messages: throughput, p50/p95,
    and CPU per message of each process (from /proc: user + system time over the run);
  - `--conversations` concurrent conversations with 3-7 s think time for `--duration` s: p99;
  - resident memory (and the private part: without shared library pages), server start
    (every process ready) and, with `--train`, training time.
With `--baseline COMMIT` an exported copy of that commit is measured too (before/after in
the same run), with this tree's model or the one given as `--baseline COMMIT=MODEL` (the
model that commit trains); `--baseline` can be repeated. Ports: 5205… + YUBAN_TEST_PORT_OFFSET; loopback only, bounded in count and
time. This machine is shared: compare figures of one run only.

    .venvs/actions/bin/python -m bench.rest_bench [--baseline 3660945[=path/to/model.tar.gz]]... [--train]
"""
from __future__ import annotations

import argparse
import asyncio
import math
import os
import statistics
import tempfile
import time
from pathlib import Path

from bench import stacks, traffic
from tooling import services
from tooling.cli.eval_cmd import EVAL_DIR

OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))


def measure(name: str, url: str, pids: dict, messages: list[str], args) -> dict:
    figures: dict = {"start_s": pids["start_s"]}
    single = asyncio.run(traffic.single_user(url, messages, args.requests))
    figures.update(p50=single.p(0.5), p95=single.p(0.95))
    long = asyncio.run(traffic.long_conversation(url, messages, args.long))
    first, last = [x for x in long[:10] if not math.isnan(x)], [x for x in long[-10:] if not math.isnan(x)]
    figures.update(first=statistics.median(first) if first else math.nan,
                   last=statistics.median(last) if last else math.nan)
    processes = {key: pid for key, pid in pids.items() if key in ("rasa", "actions")}
    cpu_before = {key: stacks.cpu_seconds(pid) for key, pid in processes.items()}
    saturated = asyncio.run(traffic.closed_loop(url, messages, args.users, args.turns))
    cpu = {key: (stacks.cpu_seconds(pid) - cpu_before[key]) * 1000 / max(1, len(saturated.latencies))
           for key, pid in processes.items()}
    figures.update(throughput=saturated.throughput, load_p50=saturated.p(0.5), load_p95=saturated.p(0.95), cpu=cpu)
    think = asyncio.run(traffic.with_think_time(url, messages, args.conversations, args.duration))
    figures.update(think_p50=think.p(0.5), think_p99=think.p(0.99), think_rate=think.throughput)
    figures["rss"] = {key: stacks.rss_mb(pid) for key, pid in processes.items()}
    figures["private"] = {key: stacks.rss_mb(pid, "RssAnon") for key, pid in processes.items()}
    errors = single.errors + saturated.errors + think.errors
    print(f"{name}: start {figures['start_s']:.1f} s | single user p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms"
          f" | one conversation: turns 1-10 p50 {figures['first']:.0f} ms, turns {args.long - 9}-{args.long} p50 "
          f"{figures['last']:.0f} ms | {args.users} closed-loop users: {figures['throughput']:.1f} msg/s, p50 "
          f"{figures['load_p50']:.0f} ms, p95 {figures['load_p95']:.0f} ms, CPU per message "
          + ", ".join(f"{key} {value:.1f} ms" for key, value in cpu.items())
          + f" | {args.conversations} conversations with think time: {figures['think_rate']:.1f} msg/s, p50 "
          f"{figures['think_p50']:.0f} ms, p99 {figures['think_p99']:.0f} ms | memory "
          + ", ".join(f"{key} {value:.0f} MB (private {figures['private'][key]:.0f} MB)"
                      for key, value in figures["rss"].items())
          + (f" | errors {errors}" if errors else "")
          + f" | load average {' '.join(open('/proc/loadavg').read().split()[:3])}", flush=True)
    return figures


def ratios(name: str, ours: dict, plain: dict) -> None:
    print(f"ratios {name}/plain: single-user p50 {ours['p50'] / plain['p50']:.2f}× (target ≤ 1.0), saturated "
          f"throughput {ours['throughput'] / plain['throughput']:.2f}× (target ≥ 2.0), turn {'100'} vs turn 1 "
          f"{ours['last'] / ours['first']:.2f}× (plain {plain['last'] / plain['first']:.2f}×; target ≤ 1.1), Rasa CPU "
          f"per message {ours['cpu']['rasa'] / plain['cpu']['rasa']:.2f}×, p99 with think time "
          f"{ours['think_p99'] / plain['think_p99']:.2f}×, Rasa memory {ours['rss']['rasa'] / plain['rss']['rasa']:.2f}×",
          flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100, help="single-user messages")
    parser.add_argument("--long", type=int, default=100, help="turns of the one long conversation")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--turns", type=int, default=6, help="messages per closed-loop user")
    parser.add_argument("--conversations", type=int, default=200)
    parser.add_argument("--duration", type=float, default=40, help="seconds of the think-time run")
    parser.add_argument("--baseline", action="append", default=[], metavar="COMMIT[=MODEL]",
                        help="also measure this commit (exported copy), e.g. 3660945, with this tree's model or "
                             "MODEL (the one that commit trains); repeatable")
    parser.add_argument("--train", action="store_true", help="time training (ours and the plain bot)")
    args = parser.parse_args()
    questions, source = traffic.guide_questions(EVAL_DIR)
    print(f"ours answers {source}; the plain bot the moodbot's messages; this machine is shared, so compare "
          f"within this run only; load average {' '.join(open('/proc/loadavg').read().split()[:3])}", flush=True)

    if args.train:
        began = time.perf_counter()
        services.train_if_changed(force=True, log=lambda *_: None)
        print(f"training: ours {time.perf_counter() - began:.0f} s", flush=True)
    created = stacks.prepare_init_bot()
    if created:
        print(f"rasa init bot created and trained in {created:.0f} s", flush=True)
    if args.train:
        print(f"training: plain rasa init bot {stacks.train_init_bot():.0f} s", flush=True)

    results = {}
    with stacks.init_bot(5305 + OFFSET) as pids:
        results["plain"] = measure("plain rasa init", f"http://127.0.0.1:{5305 + OFFSET}/webhooks/rest/webhook", pids,
                                   traffic.MOODBOT_MESSAGES, args)
    trees = [("yuban", services.ROOT)]
    with tempfile.TemporaryDirectory(prefix="yuban-bench-baseline-") as folder:
        for number, baseline in enumerate(args.baseline):
            commit, _, model = baseline.partition("=")
            label = f"yuban@{commit}" + (f" ({Path(model).name})" if model else "")
            trees.insert(number, (label, stacks.export_commit(commit, Path(folder) / str(number),
                                                              Path(model) if model else None)))
        for name, root in trees:
            with stacks.yuban_stack(root, 5205 + OFFSET, 5255 + OFFSET, 8205 + OFFSET) as pids:
                results[name] = measure(name, f"http://127.0.0.1:{5205 + OFFSET}/webhooks/rest/webhook", pids,
                                        questions, args)
    for name, _root in trees:
        ratios(name, results[name], results["plain"])


if __name__ == "__main__":
    main()
