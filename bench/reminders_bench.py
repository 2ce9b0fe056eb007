"""From `advance` to the message: the reminder path with real processes (prints figures).

    .venvs/actions/bin/python -m bench.reminders_bench [--count 20] [--poll 1.0] [--notifiers 2]

Starts the local progress service and N notifiers (`python -m reminders`, the commands of
tooling/processes.py) on temporary SQLite databases, with a fake WeChat API and a fake app
backend in this process; subscribes half the applications on WeChat and half in the app,
moves each one stage (as `./yuban progress advance` does) one after another, and reports
the time from the commit of the move to the message arriving: median, p95, max, per
channel, and how many messages arrived (each exactly once is the expectation).
"""
from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from aiohttp import web
from cryptography.fernet import Fernet

from bench.stats import percentile
from core.sealing import Sealer
from knowledge.db import make_engine as catalog_engine, upgrade_schema
from progress_service.changes import advance
from progress_service.repository import make_engine as progress_engine
from progress_service.seed import now_local, seed_url
from reminders.store import ReminderStore, user_hash
from tooling.processes import ROOT, command
from tooling.services import wait_http

SECRET = "bench-app-callback-secret-0123456789"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Receivers:
    def __init__(self):
        self.arrived: dict[str, list[float]] = {"wechat": [], "app": []}
        self.keys: list[str] = []

    def app(self) -> web.Application:
        async def token(_request):
            return web.json_response({"access_token": "T", "expires_in": 7200})

        async def wechat(request):
            self.arrived["wechat"].append(time.perf_counter())
            self.keys.append((await request.json())["data"]["character_string2"]["value"])
            return web.json_response({"errcode": 0})

        async def callback(request):
            self.arrived["app"].append(time.perf_counter())
            self.keys.append((await request.json())["application"]["number_masked"])
            return web.json_response({"ok": True})

        app = web.Application()
        app.router.add_post("/cgi-bin/stable_token", token)
        app.router.add_post("/cgi-bin/message/subscribe/bizsend", wechat)
        app.router.add_post("/app", callback)
        return app


async def main(count: int, poll: float, notifiers: int) -> None:
    work = Path(tempfile.mkdtemp(prefix="yuban-reminders-bench-"))
    progress_db, catalog_db = f"sqlite:///{work / 'progress.db'}", f"sqlite:///{work / 'catalog.db'}"
    seed_url(progress_db)  # 40 demo applications; those not yet delivered can move
    engine = catalog_engine(catalog_db)
    upgrade_schema(engine)
    key = Fernet.generate_key()
    store = ReminderStore(engine, Sealer(key))
    receivers = Receivers()
    runner = web.AppRunner(receivers.app(), access_log=None)
    await runner.setup()
    fake_port = free_port()
    await web.TCPSite(runner, "127.0.0.1", fake_port).start()
    progress_port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "YUBAN_PROGRESS_DATABASE_URL": progress_db,
           "YUBAN_DATABASE_URL": catalog_db, "YUBAN_SEAL_KEY": key.decode(),
           "YUBAN_PROGRESS_URL": f"http://127.0.0.1:{progress_port}", "YUBAN_REMINDER_POLL_SECONDS": str(poll),
           "WECHAT_APPID": "wx", "WECHAT_APPSECRET": "secret", "WECHAT_REMINDER_TEMPLATE_ID": "tmpl",
           "WECHAT_API_BASE_URL": f"http://127.0.0.1:{fake_port}",
           "YUBAN_APP_CALLBACK_URL": f"http://127.0.0.1:{fake_port}/app", "YUBAN_APP_HMAC_SECRET": SECRET}
    processes = []
    log = open(work / "processes.log", "ab")
    try:
        processes.append(subprocess.Popen(command("progress", progress_port), cwd=ROOT, env=env, stdout=log,
                                          stderr=subprocess.STDOUT))
        wait_http(f"http://127.0.0.1:{progress_port}/health", 60, processes[-1])
        from sqlalchemy import select
        from sqlalchemy.orm import Session

        from progress_service.models import ApplicationRow

        pengine = progress_engine(progress_db)
        with Session(pengine) as session:
            rows = session.scalars(select(ApplicationRow).where(ApplicationRow.delivered_at.is_(None))
                                   .order_by(ApplicationRow.id)).all()[:count]
            apps = [(row.number, row.item_name) for row in rows]
        for index, (number, item) in enumerate(apps):
            sender, channel = (f"oBench{index}", "wechat") if index % 2 == 0 else (f"app:bench-{index}", "app")
            store.offer(sender, channel, number, item)
            store.subscribe(sender)
            if channel == "wechat":
                store.add_consents(user_hash(sender), 1)
        for _ in range(notifiers):
            port = free_port()
            processes.append(subprocess.Popen(command("reminders", port), cwd=ROOT, env=env, stdout=log,
                                              stderr=subprocess.STDOUT))
            wait_http(f"http://127.0.0.1:{port}/health", 60, processes[-1])
        await asyncio.sleep(2 * poll)
        latencies: dict[str, list[float]] = {"wechat": [], "app": []}
        for index, (number, _item) in enumerate(apps):
            channel = "wechat" if index % 2 == 0 else "app"
            before = len(receivers.arrived[channel])
            started = time.perf_counter()
            advance(pengine, number, now_local())
            deadline = time.monotonic() + 10 * poll + 10
            while len(receivers.arrived[channel]) == before and time.monotonic() < deadline:
                await asyncio.sleep(0.005)
            if len(receivers.arrived[channel]) > before:
                latencies[channel].append((receivers.arrived[channel][before] - started) * 1000)
        await asyncio.sleep(3 * poll)  # anything sent twice would arrive now
        pengine.dispose()
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)
        log.close()
        await runner.cleanup()
    print(f"reminders: {len(apps)} moves, {notifiers} notifier(s), poll {poll} s, "
          f"{sum(len(v) for v in receivers.arrived.values())} messages arrived "
          f"({len(set(receivers.keys))} distinct applications)")
    for channel, values in latencies.items():
        if values:
            print(f"  {channel:6} advance → message: median {statistics.median(values):.0f} ms, "
                  f"p95 {percentile(values, 0.95):.0f} ms, max {max(values):.0f} ms (n={len(values)})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--poll", type=float, default=1.0)
    parser.add_argument("--notifiers", type=int, default=2)
    args = parser.parse_args()
    asyncio.run(main(args.count, args.poll, args.notifiers))
