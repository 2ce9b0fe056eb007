"""One long conversation, before and after alternately (issue #13: turn 100 against turn 1).

Each round starts one stack per tree, one at a time (an exported copy of `--baseline COMMIT`,
then this tree; the same model, this tree's models/), sends one conversation of `--turns`
guide questions (the development questions, read at run time) and records, per turn, the
latency and the CPU time of the Rasa process and of the action server (/proc, 10 ms ticks:
read them as means over ten turns). Rounds alternate the trees so both meet the same load.

    .venvs/actions/bin/python -m bench.long_bench --baseline 6e6371e [--after COMMIT] [--turns 100] [--rounds 2]

`--after COMMIT` runs an exported copy of that commit instead of this tree (so that the tree
can change while the bench runs).
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
WINDOWS = ((1, 10), (6, 15), (91, 100))


def _loadavg() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


async def _conversation(url: str, messages: list[str], turns: int, pids: dict) -> list[dict]:
    rows = []
    async with aiohttp.ClientSession() as session:
        sender = f"long-{uuid.uuid4().hex[:8]}"
        for turn in range(turns):
            cpu = {key: stacks.cpu_seconds(pids[key]) for key in ("rasa", "actions")}
            began = time.perf_counter()
            async with session.post(url, json={"sender": sender, "message": messages[turn % len(messages)]}) as reply:
                await reply.read()
                ok = reply.status == 200
            rows.append({"ms": (time.perf_counter() - began) * 1000, "ok": ok,
                         **{key: (stacks.cpu_seconds(pids[key]) - value) * 1000 for key, value in cpu.items()}})
    return rows


def _window(rows: list[dict], first: int, last: int) -> str:
    part = rows[first - 1:last]
    if not part:
        return "-"
    return (f"turns {first}-{last}: Rasa {statistics.mean(r['rasa'] for r in part):.1f} ms, actions "
            f"{statistics.mean(r['actions'] for r in part):.1f} ms, p50 {statistics.median(r['ms'] for r in part):.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, metavar="COMMIT")
    parser.add_argument("--after", metavar="COMMIT", help="an exported commit instead of this tree")
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    questions, source = traffic.guide_questions(EVAL_DIR)
    print(f"{source}; load average {_loadavg()}", flush=True)
    url = f"http://127.0.0.1:{5205 + OFFSET}/webhooks/rest/webhook"
    with tempfile.TemporaryDirectory(prefix="yuban-long-bench-") as folder:
        for round_number, name, pids in stacks.alternating_stacks(args.baseline, args.after, args.rounds, Path(folder),
                                                                  (5205 + OFFSET, 5255 + OFFSET, 8205 + OFFSET)):
            rows = asyncio.run(_conversation(url, questions, args.turns, pids))
            failed = sum(not r["ok"] for r in rows)
            print(f"round {round_number}, {name}: " + " | ".join(_window(rows, a, b) for a, b in WINDOWS)
                  + (f" | {failed} failed" if failed else "") + f" | load average {_loadavg()}", flush=True)


if __name__ == "__main__":
    main()
