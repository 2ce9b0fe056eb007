"""Simulated users for the REST benchmarks: closed-loop, with think time, one long conversation.

Loopback only and bounded (a number of messages or a duration). Latency is measured per
request in ms; errors (HTTP errors, timeouts, empty answers) are counted, not timed.
"""
from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.stats import percentile

# Our own guide questions, used when the development set is not there.
OWN_QUESTIONS = ["开公司要什么材料", "驾驶证到期了怎么换", "公积金怎么提取", "补办身份证要带啥", "结婚登记在哪办",
                 "失业金怎么领", "二手房过户流程", "新车上牌要多久"]
# The moodbot's messages (what `rasa init` is trained on).
MOODBOT_MESSAGES = ["hi", "I am sad", "yes", "great", "hello there", "very bad", "no", "goodbye", "are you a bot?"]


def guide_questions(eval_dir: Path) -> tuple[list[str], str]:
    """The development set's guide questions when present (read, never copied), else ours."""
    path = eval_dir / "dev_questions.jsonl"
    if path.exists():
        questions = [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        if questions:
            return questions, f"{len(questions)} dev questions"
    return OWN_QUESTIONS, f"{len(OWN_QUESTIONS)} built-in questions (no dev set)"


@dataclass
class Run:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def p(self, q: float) -> float:
        return percentile(self.latencies, q) if self.latencies else float("nan")


async def send(session: aiohttp.ClientSession, url: str, sender: str, text: str, run: Run) -> None:
    began = time.perf_counter()
    try:
        async with session.post(url, json={"sender": sender, "message": text}) as response:
            body = await response.json(content_type=None)
            if response.status != 200 or not body:
                run.errors += 1
                return
    except (aiohttp.ClientError, asyncio.TimeoutError, ValueError):
        run.errors += 1
        return
    run.latencies.append((time.perf_counter() - began) * 1000)


def _session(limit: int) -> aiohttp.ClientSession:
    return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=limit),
                                 timeout=aiohttp.ClientTimeout(total=60))


async def single_user(url: str, messages: list[str], count: int) -> Run:
    """One user, a new conversation for every message."""
    run = Run()
    async with _session(1) as session:
        await send(session, url, "warmup", messages[0], Run())
        began = time.perf_counter()
        for index in range(count):
            await send(session, url, f"single-{uuid.uuid4().hex[:8]}", messages[index % len(messages)], run)
        run.elapsed = time.perf_counter() - began
    return run


async def long_conversation(url: str, messages: list[str], turns: int) -> list[float]:
    """One user, `turns` messages in one conversation; the latency of each turn in order."""
    run = Run()
    async with _session(1) as session:
        sender = f"long-{uuid.uuid4().hex[:8]}"
        for turn in range(turns):
            before = len(run.latencies)
            await send(session, url, sender, messages[turn % len(messages)], run)
            if len(run.latencies) == before:
                run.latencies.append(float("nan"))
    return run.latencies


async def closed_loop(url: str, messages: list[str], users: int, per_user: int) -> Run:
    """`users` users, each sending its next message as soon as the answer came (saturation)."""
    run = Run()
    async with _session(users) as session:
        async def user(index: int) -> None:
            sender = f"load-{index}-{uuid.uuid4().hex[:6]}"
            for turn in range(per_user):
                await send(session, url, sender, messages[(index * 7 + turn) % len(messages)], run)

        began = time.perf_counter()
        await asyncio.gather(*(user(i) for i in range(users)))
        run.elapsed = time.perf_counter() - began
    return run


async def with_think_time(url: str, messages: list[str], conversations: int, duration: float,
                          think: tuple[float, float] = (3.0, 7.0), seed: int = 13) -> Run:
    """`conversations` concurrent users who think `think` seconds between messages, for `duration` s."""
    run = Run()
    rng = random.Random(seed)
    async with _session(conversations) as session:
        deadline = time.perf_counter() + duration

        async def user(index: int) -> None:
            sender = f"think-{index}-{uuid.uuid4().hex[:6]}"
            await asyncio.sleep(rng.uniform(0, think[1]))  # users arrive spread out
            turn = 0
            while time.perf_counter() < deadline:
                await send(session, url, sender, messages[(index * 5 + turn) % len(messages)], run)
                turn += 1
                await asyncio.sleep(rng.uniform(*think))

        began = time.perf_counter()
        await asyncio.gather(*(user(i) for i in range(conversations)))
        run.elapsed = time.perf_counter() - began
    return run
