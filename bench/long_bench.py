"""One long conversation, before and after alternately (issue #13: turn 100 against turn 1).

Each round starts one stack per tree, one at a time (an exported copy of `--baseline COMMIT`,
then this tree; the same model, this tree's models/), sends one conversation of `--turns`
guide questions (the development questions, read at run time) and records, per turn, the
latency and the CPU time of the Rasa process and of the action server (/proc, 10 ms ticks:
read them as means over ten turns). Rounds alternate the trees so both meet the same load.

    .venvs/actions/bin/python -m bench.long_bench --baseline 6e6371e [--after COMMIT] [--turns 100] [--rounds 2] [--interleaved]

`--after COMMIT` runs an exported copy of that commit instead of this tree (so that the tree
can change while the bench runs).

`--interleaved` starts both stacks at once (the second on ports + 20) and sends each turn to
both, one right after the other (which one first alternates by turn), one conversation per
round on each: on a machine shared with other work both trees meet the same load turn by turn,
which stacks run one after the other do not (the load moves within minutes).
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

from bench import stacks, traffic
from tooling import services
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


async def _interleaved(urls: dict[str, str], messages: list[str], turns: int, pids: dict[str, dict]) -> dict:
    """One conversation on each stack, each turn sent to both in alternating order: rows per tree."""
    rows: dict[str, list[dict]] = {name: [] for name in urls}
    names = list(urls)
    async with aiohttp.ClientSession() as session:
        sender = f"long-{uuid.uuid4().hex[:8]}"
        for turn in range(turns):
            for name in (names if turn % 2 == 0 else names[::-1]):
                cpu = {key: stacks.cpu_seconds(pids[name][key]) for key in ("rasa", "actions")}
                began = time.perf_counter()
                async with session.post(urls[name], json={"sender": sender,
                                                          "message": messages[turn % len(messages)]}) as reply:
                    await reply.read()
                    ok = reply.status == 200
                rows[name].append({"ms": (time.perf_counter() - began) * 1000, "ok": ok,
                                   **{key: (stacks.cpu_seconds(pids[name][key]) - value) * 1000
                                      for key, value in cpu.items()}})
    return rows


def _print_round(round_number: int, name: str, rows: list[dict]) -> None:
    failed = sum(not r["ok"] for r in rows)
    first, last = statistics.median(r["ms"] for r in rows[:10]), statistics.median(r["ms"] for r in rows[-10:])
    print(f"round {round_number}, {name}: " + " | ".join(_window(rows, a, b) for a, b in _windows(len(rows)))
          + f" | last ten ÷ first ten p50 {last / first:.2f}×" + (f" | {failed} failed" if failed else "")
          + f" | load average {_loadavg()}", flush=True)


def _run_interleaved(args, questions: list[str], folder: Path) -> None:
    trees = {f"before ({args.baseline})": stacks.export_commit(args.baseline, folder / "base"),
             f"after ({args.after or 'this tree'})": stacks.export_commit(args.after, folder / "after") if args.after
             else services.ROOT}
    ports = {name: (5205 + OFFSET + 20 * i, 5255 + OFFSET + 20 * i, 8205 + OFFSET + 20 * i)
             for i, name in enumerate(trees)}
    urls = {name: f"http://127.0.0.1:{ports[name][0]}/webhooks/rest/webhook" for name in trees}
    with contextlib.ExitStack() as running:
        pids = {name: running.enter_context(stacks.yuban_stack(root, *ports[name])) for name, root in trees.items()}
        ratios: dict[str, list[float]] = {name: [] for name in trees}
        for round_number in range(1, args.rounds + 1):
            rows = asyncio.run(_interleaved(urls, questions, args.turns, pids))
            for name in trees:
                _print_round(round_number, name, rows[name])
                ratios[name].append(statistics.median(r["ms"] for r in rows[name][-10:])
                                    / statistics.median(r["ms"] for r in rows[name][:10]))
    for name, values in ratios.items():
        print(f"{name}: last ten ÷ first ten p50 per round " + ", ".join(f"{v:.2f}×" for v in values)
              + f" (median {statistics.median(values):.2f}×)", flush=True)


def _windows(turns: int) -> tuple:
    """WINDOWS, and the last ten turns when the conversation is longer than 100."""
    return WINDOWS + (((turns - 9, turns),) if turns > WINDOWS[-1][1] else ())


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
    parser.add_argument("--interleaved", action="store_true", help="both stacks at once, each turn sent to both")
    args = parser.parse_args()
    questions, source = traffic.guide_questions(EVAL_DIR)
    print(f"{source}; load average {_loadavg()}", flush=True)
    url = f"http://127.0.0.1:{5205 + OFFSET}/webhooks/rest/webhook"
    if args.interleaved:
        with tempfile.TemporaryDirectory(prefix="yuban-long-bench-") as folder:
            _run_interleaved(args, questions, Path(folder))
        return
    with tempfile.TemporaryDirectory(prefix="yuban-long-bench-") as folder:
        for round_number, name, pids in stacks.alternating_stacks(args.baseline, args.after, args.rounds, Path(folder),
                                                                  (5205 + OFFSET, 5255 + OFFSET, 8205 + OFFSET)):
            rows = asyncio.run(_conversation(url, questions, args.turns, pids))
            failed = sum(not r["ok"] for r in rows)
            print(f"round {round_number}, {name}: " + " | ".join(_window(rows, a, b) for a, b in _windows(len(rows)))
                  + (f" | {failed} failed" if failed else "") + f" | load average {_loadavg()}", flush=True)


if __name__ == "__main__":
    main()
