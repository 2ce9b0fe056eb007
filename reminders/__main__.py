"""`python -m reminders --host 127.0.0.1 --port 8200`: the reminder notifier.

Follows the progress API's change feed and sends reminders (reminders/notifier.py);
serves /health, /ready (the database answers and a round finished recently) and
/metrics. Several may run against one database; each change is sent once.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time

from aiohttp import web

from monitoring import logs
from monitoring.aiohttp_ops import setup_ops

logger = logging.getLogger("reminders")


def create_app(notifier) -> web.Application:
    app = web.Application()
    started = time.monotonic()

    async def database() -> None:
        await asyncio.to_thread(notifier.store.counts)

    async def rounds() -> None:
        if notifier.rounds == 0 and time.monotonic() - started > 10 * notifier.settings.poll_seconds + 30:
            raise RuntimeError("no round finished yet")

    setup_ops(app, "reminders", {"database": database, "rounds": rounds})

    async def loop(app: web.Application):
        stop = asyncio.Event()
        task = asyncio.create_task(notifier.run(stop))
        yield
        stop.set()
        await task
        await notifier.close()

    app.cleanup_ctx.append(loop)
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="reminders", description="办件进度提醒服务")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8200)
    args = parser.parse_args(argv)
    logs.configure("reminders")
    from core.sealing import SealError
    from reminders.defaults import default_store
    from reminders.notifier import Notifier
    from reminders.settings import NotifierSettings, NotifierSettingsError

    try:
        settings = NotifierSettings.from_env()
        store = default_store()
    except (NotifierSettingsError, SealError) as error:
        print(f"reminders: {error}", file=sys.stderr)
        return 2
    notifier = Notifier(store, settings)
    print(f"办件进度提醒: http://{args.host}:{args.port}/health （渠道: {', '.join(settings.channels) or '无'}）",
          flush=True)
    try:
        web.run_app(create_app(notifier), host=args.host, port=args.port, print=None, access_log=None)
    except OSError as error:
        print(f"reminders: 无法启动: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
