"""Agent-assist API latency: p50/p95 at 1 and 20 concurrent agents (target p95 <= 100 ms).

Starts the console as `make run` does (a subprocess) on a fresh copy of the demonstration
catalog, logs in one agent account per simulated agent and sends the questions callers
ask, each with a district, to GET /api/assist/search (top 5 with complete guides and
answer texts). While the 20 agents search, /health is timed too: it shows whether the
event loop stays responsive while searches run. Loopback only.

    .venvs/actions/bin/python -m bench.assist_bench [--requests 400] [--port 8319]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.stats import percentile
from tooling import services

QUESTIONS = [
    "开公司要什么材料", "上户口", "退休金怎么领", "身份证丢了怎么办", "开饭店要办什么证", "食品经营许可", "生娃儿了要办啥子",
    "营业执照变更", "社保卡补办", "结婚登记要带什么", "护照怎么办", "驾驶证到期换证", "公积金提取", "养狗要登记吗",
    "残疾证怎么办", "医保异地备案", "失业金怎么领", "药店开办许可", "建筑施工许可证", "户口迁到渝北", "出生证明",
    "居住证办理", "新生儿医保", "低保申请", "企业注销", "个体户注册", "道路运输许可", "烟草专卖零售许可", "二手房过户",
    "门面装修要审批吗",
]
DISTRICTS = ["渝北区", "江北区", "渝中区", "九龙坡区", "沙坪坝区", "万州区", "两江新区", ""]
PASSWORD = "bench-agent-password"


def prepare(folder: Path, agents: int) -> str:
    from console.accounts import AccountStore
    from knowledge.db import get_engine, session_factory
    from knowledge.importer import import_catalog
    from knowledge.store import CatalogStore

    url = f"sqlite:///{folder / 'catalog.db'}"
    engine = get_engine(url)
    sessions = session_factory(engine)
    import_catalog([services.ROOT / "data" / "catalog"], CatalogStore(sessions))
    accounts = AccountStore(sessions)
    for index in range(agents):
        accounts.create(f"agent{index:02d}", "agent", PASSWORD)
    engine.dispose()
    return url


async def login(base: str, username: str) -> aiohttp.ClientSession:
    http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    page = await (await http.get(f"{base}/login")).text()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = await http.post(f"{base}/login", data={"csrf_token": token, "username": username, "password": PASSWORD})
    assert response.status == 200, response.status
    return http


async def agent(http: aiohttp.ClientSession, base: str, start: int, count: int, timings: list[float]) -> None:
    for index in range(start, start + count):
        params = {"q": QUESTIONS[index % len(QUESTIONS)]}
        district = DISTRICTS[index % len(DISTRICTS)]
        if district:
            params["district"] = district
        began = time.perf_counter()
        async with http.get(f"{base}/api/assist/search", params=params) as response:
            data = await response.json()
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status == 200 and "candidates" in data, data


async def health_probe(base: str, stop: asyncio.Event, timings: list[float]) -> None:
    async with aiohttp.ClientSession() as http:
        while not stop.is_set():
            began = time.perf_counter()
            async with http.get(f"{base}/health") as response:
                await response.read()
            timings.append((time.perf_counter() - began) * 1000)
            await asyncio.sleep(0.02)


async def run(base: str, requests: int, concurrency: int, pid: int) -> tuple[list[float], list[float], float]:
    """Latencies of the searches, of /health meanwhile, and the console's CPU ms per search."""
    sessions = [await login(base, f"agent{i:02d}") for i in range(concurrency)]
    try:
        # Warm-up: every question once (the item cache fills as it would during a working day).
        await agent(sessions[0], base, 0, len(QUESTIONS) * 2, [])
        timings: list[float] = []
        health: list[float] = []
        stop = asyncio.Event()
        probe = asyncio.create_task(health_probe(base, stop, health))
        per_agent = max(1, requests // concurrency)
        cpu_before = cpu_seconds(pid)
        await asyncio.gather(*(agent(s, base, i * 7, per_agent, timings) for i, s in enumerate(sessions)))
        cpu = (cpu_seconds(pid) - cpu_before) * 1000 / len(timings)  # the few /health probes included
        stop.set()
        await probe
        return timings, health, cpu
    finally:
        for http in sessions:
            await http.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc): the server's own cost, whatever the load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(label: str, timings: list[float]) -> str:
    return (f"{label}: {len(timings)} requests, p50 {statistics.median(timings):.1f} ms, "
            f"p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--port", type=int, default=8319)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = prepare(Path(folder), agents=20)
        log = Path(folder) / "console.log"
        if not services.port_is_free(args.port):
            raise SystemExit(f"port {args.port} is taken; use --port")
        import subprocess
        import sys

        process = subprocess.Popen([sys.executable, "-m", "console", "--port", str(args.port)], cwd=services.ROOT,
                                   env={**services.base_env(), "YUBAN_DATABASE_URL": url}, stdout=log.open("wb"),
                                   stderr=subprocess.STDOUT, start_new_session=True)
        try:
            services.wait_http(f"http://127.0.0.1:{args.port}/health", 90, process)
            base = f"http://127.0.0.1:{args.port}"
            one, _health, cpu_one = asyncio.run(run(base, args.requests, 1, process.pid))
            twenty, health, cpu_twenty = asyncio.run(run(base, args.requests, 20, process.pid))
        finally:
            process.terminate()
            process.wait(timeout=15)
    print("agent assist API (GET /api/assist/search, top 5 with full guides, agent sessions, demo catalog):")
    print("  " + report("1 agent  ", one))
    print("  " + report("20 agents", twenty))
    print("  " + report("/health while 20 agents search", health))
    print(f"  console CPU per search request: {cpu_one:.1f} ms (1 agent), {cpu_twenty:.1f} ms (20 agents); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
