"""Where the action server's time goes per guide message, early and late in one conversation
(issue #13: the action server's share of latency).

Starts our stack from this tree, sends one conversation of `--turns` guide questions (the
development questions, read at run time) and samples the action server with py-spy during two
windows of turns (default 11-30, after the search index's warm-up, and 81-100). Each sample's stack is put in the first matching
category (request parsing, rasa_sdk Tracker, our dialogue code, search, card rendering,
response encoding, metrics/logging, ...); the table gives the samples of each per turn
(py-spy's rate, default 1000 Hz: one sample is about 1 ms of wall time while busy).

    .venvs/actions/bin/python -m bench.actions_profile [--turns 100] [--rate 1000] [--keep DIR]

`--keep DIR` also writes the collapsed stacks of each window there (for a flame graph).
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import os
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import aiohttp

from bench import stacks, traffic
from tooling import services
from tooling.cli.eval_cmd import EVAL_DIR

OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))

# A sample goes to the category of its innermost frame that matches one ("function (file:line)").
CATEGORIES = (
    ("request parsing", ("load_json (sanic/request", "json/decoder", "zlib")),
    ("response encoding", ("json/encoder", "dumps (", "sanic/response")),
    ("metrics/logging", ("monitoring/", "actions/metrics.py", "prometheus_client", "logging/")),
    ("catalog/db", ("sqlalchemy", "sqlite3", "knowledge/store", "knowledge/db", "knowledge/catalog")),
    ("search", ("knowledge/", "jieba", "opencc", "pypinyin", "rapidfuzz")),
    ("card rendering", ("answers/", "yaml/")),
    ("our dialogue state", ("actions/dialogue/", "actions/turn.py", "actions/context.py")),
    ("rasa_sdk Tracker", ("rasa_sdk/interfaces.py", "rasa_sdk/events.py")),
    ("our actions (other)", ("actions/",)),
    ("rasa_sdk executor/endpoint", ("rasa_sdk/",)),
    ("sanic/asyncio", ("sanic/", "asyncio/", "uvloop", "httptools")),
)
IDLE = ("_worker (concurrent/futures/thread.py:81)", "serve (sanic/server/runners.py:155)")


def category(stack: str) -> str:
    for frame in reversed(stack.split(";")):
        for name, needles in CATEGORIES:
            if any(needle in frame for needle in needles):
                return name
    return "other"


def _loadavg() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def _record(pid: int, rate: int, out: Path) -> subprocess.Popen:
    spy = services.VENVS / "actions" / "bin" / "py-spy"
    return subprocess.Popen([str(spy), "record", "--pid", str(pid), "--rate", str(rate), "--format", "raw",
                             "--output", str(out), "--nonblocking"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)


def _stop(recorder: subprocess.Popen) -> None:
    recorder.send_signal(2)  # SIGINT: py-spy writes its output and exits
    recorder.wait(timeout=30)


async def _conversation(url: str, messages: list[str], turns: int, windows, pid: int, rate: int,
                        folder: Path) -> list[float]:
    cpu, recorder = [], None
    async with aiohttp.ClientSession() as session:
        sender = f"profile-{uuid.uuid4().hex[:8]}"
        for turn in range(1, turns + 1):
            for index, (first, last) in enumerate(windows):
                if turn == first:
                    recorder = _record(pid, rate, folder / f"window{index}.txt")
                    time.sleep(1.0)  # py-spy attaches
            before = stacks.cpu_seconds(pid)
            async with session.post(url, json={"sender": sender, "message": messages[turn % len(messages)]}) as reply:
                await reply.read()
                if reply.status != 200:
                    raise RuntimeError(f"turn {turn}: HTTP {reply.status}")
            cpu.append((stacks.cpu_seconds(pid) - before) * 1000)
            for first, last in windows:
                if turn == last and recorder is not None:
                    time.sleep(0.2)
                    _stop(recorder)
                    recorder = None
    return cpu


def _table(path: Path, turns: int) -> dict[str, float]:
    counts: collections.Counter = collections.Counter()
    for line in path.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or stack.rsplit(";", 1)[-1].startswith(IDLE):
            continue  # idle: the event loop or a pool thread waiting
        counts[category(stack)] += int(number)
    return {name: counts[name] / turns for name in counts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=100)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    windows = ((11, 30), (args.turns - 19, args.turns))  # after the index's warm-up
    questions, source = traffic.guide_questions(EVAL_DIR)
    print(f"{source}; load average {_loadavg()}", flush=True)
    url = f"http://127.0.0.1:{5205 + OFFSET}/webhooks/rest/webhook"
    with tempfile.TemporaryDirectory(prefix="yuban-actions-profile-") as name:
        folder = args.keep or Path(name)
        folder.mkdir(parents=True, exist_ok=True)
        with stacks.yuban_stack(services.ROOT, 5205 + OFFSET, 5255 + OFFSET, 8205 + OFFSET) as pids:
            cpu = asyncio.run(_conversation(url, questions, args.turns, windows, pids["actions"], args.rate, folder))
        tables = [_table(folder / f"window{i}.txt", last - first + 1) for i, (first, last) in enumerate(windows)]
    print(f"load average after: {_loadavg()}")
    header = " | ".join(f"turns {first}-{last}" for first, last in windows)
    print(f"| samples per turn | {header} |")
    names = sorted({n for t in tables for n in t}, key=lambda n: -max(t.get(n, 0) for t in tables))
    for name in names:
        print(f"| {name} | " + " | ".join(f"{t.get(name, 0):.1f}" for t in tables) + " |")
    print("| total busy | " + " | ".join(f"{sum(t.values()):.1f}" for t in tables) + " |")
    for first, last in windows:
        part = cpu[first - 1:last]
        print(f"action server CPU (/proc) turns {first}-{last}: mean {sum(part) / len(part):.1f} ms")


if __name__ == "__main__":
    main()
