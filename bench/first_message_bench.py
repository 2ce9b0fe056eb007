"""Single-user guide messages, each opening a new conversation, before and after alternately
(issue #13: single-user p50 and Rasa CPU per guide message).

Each round starts one stack per tree, one at a time (an exported copy of `--baseline COMMIT`,
then this tree or `--after COMMIT`; the same model, this tree's models/), and sends the
development questions (read at run time) one by one, each from a new sender, twice: "first
pass" (every text new to the processes) and "again" (the same texts once more, from new
senders). Per pass: p50 latency, and mean CPU per message of the Rasa process and of the action
server (/proc, 10 ms ticks over the whole pass). With `--users N`, then N closed-loop users
× 6 messages (the same questions; saturation): throughput and CPU per message.
Rounds alternate the trees so both meet the
same load; the load average is printed with every line.

    .venvs/actions/bin/python -m bench.first_message_bench --baseline main [--after COMMIT] [--count 60] [--rounds 2] [--users 50]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

from bench import stacks, traffic
from tooling.cli.eval_cmd import EVAL_DIR

OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))


def _loadavg() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


async def _pass(session: aiohttp.ClientSession, url: str, messages: list[str], pids: dict) -> str:
    latencies, failed = [], 0
    cpu = {key: stacks.cpu_seconds(pids[key]) for key in ("rasa", "actions")}
    for text in messages:
        began = time.perf_counter()
        async with session.post(url, json={"sender": f"first-{uuid.uuid4().hex[:10]}", "message": text}) as reply:
            await reply.read()
            failed += reply.status != 200
        latencies.append((time.perf_counter() - began) * 1000)
    spent = {key: (stacks.cpu_seconds(pids[key]) - value) * 1000 / len(messages) for key, value in cpu.items()}
    return (f"p50 {statistics.median(latencies):.0f} ms, CPU per message Rasa {spent['rasa']:.1f} ms, "
            f"actions {spent['actions']:.1f} ms" + (f", {failed} failed" if failed else ""))


async def _measure(url: str, messages: list[str], pids: dict, users: int) -> str:
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"sender": "warm-up", "message": "你好"}) as reply:
            await reply.read()
        first = await _pass(session, url, messages, pids)
        again = await _pass(session, url, messages, pids)
    figures = f"first pass: {first} | again: {again}"
    if users:
        cpu = {key: stacks.cpu_seconds(pids[key]) for key in ("rasa", "actions")}
        run = await traffic.closed_loop(url, messages, users, 6)
        spent = {key: (stacks.cpu_seconds(pids[key]) - value) * 1000 / max(1, len(run.latencies))
                 for key, value in cpu.items()}
        figures += (f" | {users} closed-loop users × 6: {run.throughput:.1f} msg/s, CPU per message Rasa "
                    f"{spent['rasa']:.1f} ms, actions {spent['actions']:.1f} ms"
                    + (f", {run.errors} failed" if run.errors else ""))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, metavar="COMMIT")
    parser.add_argument("--after", metavar="COMMIT", help="an exported commit instead of this tree")
    parser.add_argument("--count", type=int, default=60, help="questions per pass")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--users", type=int, default=0,
                        help="then this many closed-loop users × 6 messages (saturation): CPU per message")
    args = parser.parse_args()
    questions, source = traffic.guide_questions(EVAL_DIR)
    messages = questions[:args.count]
    print(f"{source}, {len(messages)} per pass; load average {_loadavg()}", flush=True)
    url = f"http://127.0.0.1:{5205 + OFFSET}/webhooks/rest/webhook"
    with tempfile.TemporaryDirectory(prefix="yuban-first-bench-") as folder:
        for round_number, name, pids in stacks.alternating_stacks(args.baseline, args.after, args.rounds, Path(folder),
                                                                  (5205 + OFFSET, 5255 + OFFSET, 8205 + OFFSET)):
            figures = asyncio.run(_measure(url, messages, pids, args.users))
            print(f"round {round_number}, {name}: {figures} | load average {_loadavg()} | "
                  f"{time.strftime('%H:%M:%S')} UTC", flush=True)


if __name__ == "__main__":
    main()
