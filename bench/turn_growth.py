"""What still grows with a conversation's length (issue #13: turn 100 against turn 1), per turn at
1, 100, 300 and 500, in both processes.

Starts our stack (this tree, or an exported `--commit`), sends one conversation of `--turns` guide
questions (the development questions, read at run time) and, during windows of 20 turns ending at
turns 30, 110, 310 and 500 (those beyond `--turns` are skipped), samples the Rasa process and the
action server with py-spy (`--rate` Hz, raw stacks). Printed per window: the latency p50 and the
mean CPU per turn of each process (/proc, 10 ms ticks), then samples per turn by category (the
categories of bench.profile_rasa for Rasa, bench.actions_profile for the action server) and the
frames whose samples per turn grew most from the first window to the last (a frame counts once
per sample: inclusive).

    .venvs/actions/bin/python -m bench.turn_growth [--commit 43dcb68] [--turns 500] [--rate 500] [--keep DIR]
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import os
import statistics
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

from bench import actions_profile, profile_rasa, stacks, traffic
from tooling import services
from tooling.cli.eval_cmd import EVAL_DIR

OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))
WINDOW_ENDS = (30, 110, 310, 500)
PROCESSES = ("rasa", "actions")


def _record(pid: int, rate: int, out: Path) -> subprocess.Popen:
    return subprocess.Popen([str(profile_rasa.PY_SPY), "record", "--pid", str(pid), "--rate", str(rate), "--format",
                             "raw", "--output", str(out), "--nonblocking"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


async def _conversation(url: str, messages: list[str], turns: int, windows, pids: dict, rate: int,
                        folder: Path) -> list[dict]:
    rows, recorders = [], []
    async with aiohttp.ClientSession() as session:
        sender = f"growth-{uuid.uuid4().hex[:8]}"
        for turn in range(1, turns + 1):
            for index, (first, _last) in enumerate(windows):
                if turn == first:
                    recorders = [_record(pids[key], rate, folder / f"{key}{index}.txt") for key in PROCESSES]
                    time.sleep(1.0)  # py-spy attaches
            cpu = {key: stacks.cpu_seconds(pids[key]) for key in PROCESSES}
            began = time.perf_counter()
            async with session.post(url, json={"sender": sender, "message": messages[turn % len(messages)]}) as reply:
                await reply.read()
                if reply.status != 200:
                    raise RuntimeError(f"turn {turn}: HTTP {reply.status}")
            rows.append({"ms": (time.perf_counter() - began) * 1000,
                         **{key: (stacks.cpu_seconds(pids[key]) - value) * 1000 for key, value in cpu.items()}})
            if any(turn == last for _first, last in windows):
                time.sleep(0.2)
                for recorder in recorders:
                    recorder.send_signal(2)  # SIGINT: py-spy writes its output and exits
                    recorder.wait(timeout=30)
                recorders = []
    return rows


def _busy_stacks(path: Path) -> list[tuple[list[str], int]]:
    result = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit() or stack.rsplit(";", 1)[-1].startswith(actions_profile.IDLE) \
                or "select (selectors.py" in stack.rsplit(";", 1)[-1] or "_run_once" in stack.rsplit(";", 1)[-1]:
            continue
        result.append((stack.split(";"), int(number)))
    return result


def _categories(key: str, samples: list[tuple[list[str], int]]) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    for frames, number in samples:
        if key == "rasa":
            name = next((name for name, needles in profile_rasa.CATEGORIES
                         if any(needle in frame for frame in frames for needle in needles)), "other")
        else:
            name = actions_profile.category(";".join(frames))
        counts[name] += number
    return counts


def _frames(samples: list[tuple[list[str], int]]) -> collections.Counter:
    counts: collections.Counter = collections.Counter()
    for frames, number in samples:
        for frame in set(frames):
            counts[frame] += number
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", help="an exported copy of this commit instead of the tree")
    parser.add_argument("--turns", type=int, default=500)
    parser.add_argument("--rate", type=int, default=500)
    parser.add_argument("--top", type=int, default=25, help="growing frames listed per process")
    parser.add_argument("--keep", type=Path, help="keep the raw stacks of each window in this folder")
    args = parser.parse_args()
    windows = [(last - 19, last) for last in WINDOW_ENDS if last <= args.turns]
    questions, source = traffic.guide_questions(EVAL_DIR)
    print(f"{args.commit or 'this tree'}; {source}; load average {' '.join(open('/proc/loadavg').read().split()[:3])}",
          flush=True)
    url = f"http://127.0.0.1:{5225 + OFFSET}/webhooks/rest/webhook"
    with tempfile.TemporaryDirectory(prefix="yuban-turn-growth-") as name:
        folder = args.keep or Path(name)
        folder.mkdir(parents=True, exist_ok=True)
        root = stacks.export_commit(args.commit, Path(name) / "tree") if args.commit else services.ROOT
        with stacks.yuban_stack(root, 5225 + OFFSET, 5275 + OFFSET, 8225 + OFFSET) as pids:
            rows = asyncio.run(_conversation(url, questions, args.turns, windows, pids, args.rate, folder))
        samples = {(key, i): _busy_stacks(folder / f"{key}{i}.txt") for key in PROCESSES for i in range(len(windows))}
    turns = [last - first + 1 for first, last in windows]
    print("| window | p50 ms | Rasa CPU ms | actions CPU ms |")
    for (first, last) in windows:
        part = rows[first - 1:last]
        print(f"| turns {first}-{last} | {statistics.median(r['ms'] for r in part):.1f} | "
              f"{statistics.mean(r['rasa'] for r in part):.1f} | {statistics.mean(r['actions'] for r in part):.1f} |")
    header = " | ".join(f"{first}-{last}" for first, last in windows)
    for key in PROCESSES:
        tables = [_categories(key, samples[key, i]) for i in range(len(windows))]
        print(f"\n{key}: py-spy samples per turn at {args.rate} Hz | {header} |")
        for category in sorted({c for t in tables for c in t}, key=lambda c: -tables[-1].get(c, 0)):
            print(f"| {category} | " + " | ".join(f"{t.get(category, 0) / n:.1f}" for t, n in zip(tables, turns)) + " |")
        print("| total busy | " + " | ".join(f"{sum(t.values()) / n:.1f}" for t, n in zip(tables, turns)) + " |")
        frames = [_frames(samples[key, i]) for i in range(len(windows))]
        busy = sum(tables[-1].values())
        growth = sorted((f for f in frames[-1] if frames[-1][f] < 0.5 * busy),  # not the server's own loop
                        key=lambda f: -(frames[-1][f] / turns[-1] - frames[0].get(f, 0) / turns[0]))
        print(f"{key}: frames grown most (samples per turn, first window → last; frames under half the samples)")
        for frame in growth[:args.top]:
            print(f"  {frames[0].get(frame, 0) / turns[0]:6.1f} → {frames[-1][frame] / turns[-1]:6.1f}  {frame}")


if __name__ == "__main__":
    main()
