"""REST-channel benchmark of the assistant against a plain `rasa init` bot.

For each bot: server start time, single-user p50/p95 of a guide question, p50/p95 and
throughput with 50 concurrent conversations, resident memory of each process; then the
ratios. Traffic goes to 127.0.0.1 only, bounded in count.

    .venvs/actions/bin/python -m bench.rest_bench [--requests 200] [--concurrency 50]
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import time
import uuid
from pathlib import Path

import aiohttp

from bench.stats import percentile
from tooling import services

INIT_DIR = services.ROOT / "build" / "bench" / "initbot"
QUESTIONS = ["开公司要什么材料", "驾驶证到期了怎么换", "公积金怎么提取", "补办身份证要带啥", "结婚登记在哪办",
             "失业金怎么领", "二手房过户流程", "新车上牌要多久"]


def rss_mb(pid: int) -> float:
    """Resident memory of one process (Rasa and the action server each run in one)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def one(session: aiohttp.ClientSession, url: str, sender: str, text: str) -> float:
    start = time.perf_counter()
    async with session.post(url, json={"sender": sender, "message": text}) as response:
        await response.read()
        response.raise_for_status()
    return (time.perf_counter() - start) * 1000


async def single_user(url: str, count: int) -> list[float]:
    async with aiohttp.ClientSession() as session:
        await one(session, url, "warmup", QUESTIONS[0])
        return [await one(session, url, f"single-{i}", QUESTIONS[i % len(QUESTIONS)]) for i in range(count)]


async def concurrent(url: str, users: int, per_user: int) -> tuple[list[float], float]:
    timings: list[float] = []
    connector = aiohttp.TCPConnector(limit=users)
    async with aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=120)) as session:
        async def conversation(index: int) -> None:
            sender = f"load-{index}-{uuid.uuid4().hex[:6]}"
            for turn in range(per_user):
                timings.append(await one(session, url, sender, QUESTIONS[(index + turn) % len(QUESTIONS)]))
        start = time.perf_counter()
        await asyncio.gather(*(conversation(i) for i in range(users)))
        elapsed = time.perf_counter() - start
    return timings, len(timings) / elapsed


def prepare_init_bot() -> float:
    """Create and train the `rasa init` bot once; returns its training time (0 when reused)."""
    if (INIT_DIR / "models").exists() and any((INIT_DIR / "models").glob("*.tar.gz")):
        return 0.0
    INIT_DIR.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    subprocess.run([str(services.VENVS / "rasa" / "bin" / "rasa"), "init", "--no-prompt", "--init-dir", str(INIT_DIR)],
                   cwd=INIT_DIR, env=services.base_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def start_init_bot(port: int) -> tuple[subprocess.Popen, float]:
    model = sorted((INIT_DIR / "models").glob("*.tar.gz"))[-1]
    start = time.perf_counter()
    process = subprocess.Popen([str(services.VENVS / "rasa" / "bin" / "rasa"), "run", "--model", str(model), "--port", str(port),
                                "--interface", "127.0.0.1"], cwd=INIT_DIR, env=services.base_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    services.wait_http(f"http://127.0.0.1:{port}/webhooks/rest/", 240, process)
    return process, time.perf_counter() - start


def measure(name: str, url: str, pids: dict[str, int], args) -> dict[str, float]:
    single = asyncio.run(single_user(url, args.requests))
    loaded, throughput = asyncio.run(concurrent(url, args.concurrency, args.turns))
    figures = {
        "p50": statistics.median(single), "p95": percentile(single, 0.95),
        "load_p50": statistics.median(loaded), "load_p95": percentile(loaded, 0.95), "throughput": throughput,
    }
    memory = ", ".join(f"{proc} {rss_mb(pid):.0f} MB" for proc, pid in pids.items())
    print(f"{name}: single-user p50 {figures['p50']:.0f} ms, p95 {figures['p95']:.0f} ms; "
          f"{args.concurrency} concurrent: p50 {figures['load_p50']:.0f} ms, p95 {figures['load_p95']:.0f} ms, "
          f"{figures['throughput']:.1f} msg/s; memory: {memory}", flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--turns", type=int, default=4, help="messages per concurrent conversation")
    args = parser.parse_args()

    start = time.perf_counter()
    trained = services.train_if_changed(force=True, log=lambda *_: None)
    print(f"yuban training time: {time.perf_counter() - start:.0f} s (trained={trained})", flush=True)
    stack = services.Stack(rasa_port=5205, actions_port=5255)
    start = time.perf_counter()
    stack.start(log=lambda *_: None)
    print(f"yuban server start (actions + Rasa ready): {time.perf_counter() - start:.0f} s", flush=True)
    try:
        ours = measure("yuban", "http://127.0.0.1:5205/webhooks/rest/webhook",
                       {"rasa": stack.processes["rasa"].pid, "actions": stack.processes["actions"].pid}, args)
    finally:
        stack.stop()

    init_training = prepare_init_bot()
    if init_training:
        print(f"rasa init bot: created and trained in {init_training:.0f} s", flush=True)
    process, started = start_init_bot(5305)
    print(f"rasa init bot server start: {started:.0f} s", flush=True)
    try:
        plain = measure("rasa init bot", "http://127.0.0.1:5305/webhooks/rest/webhook", {"rasa": process.pid}, args)
    finally:
        process.terminate()
        process.wait(timeout=30)
    print(f"ratios yuban/plain: single-user p50 {ours['p50'] / plain['p50']:.2f}× (target ≤ 1.5), "
          f"throughput at {args.concurrency} users {ours['throughput'] / plain['throughput']:.2f}× (target ≥ 1.0)")


if __name__ == "__main__":
    main()
