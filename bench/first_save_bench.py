"""CPU of the conversation store for a conversation's first two messages, before and after
(the tracker store and event broker at `--base`; the current store with the old broker; both
current), rounds alternating in one process.

Each conversation is handled as Rasa's processor does it, each message in one task, through
the wrappers Rasa puts around the store (FailSafeTrackerStore, AwaitableTrackerStore):
message 1: get or create the tracker (nothing stored: created and saved), start the session,
one guide turn's events, save; message 2: retrieve, one more turn, save. The embedded
profile's SQLite files and event broker (BatchingSQLEventBroker) in a temporary folder.
Prints, per conversation, the median over rounds of CPU (`time.process_time`) and of the SQL
statements run on the conversation database, and the load average. Rasa environment:

    .venvs/rasa/bin/python -m bench.first_save_bench [--base main] [--rounds 6] [--conversations 40]
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import subprocess
import sys
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from cryptography.fernet import Fernet

from bench.turn_fixtures import turn_events
from tooling import services


async def two_messages(store, sender: str) -> None:
    from rasa.core.tracker_store import AwaitableTrackerStore, FailSafeTrackerStore
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    outer = FailSafeTrackerStore(AwaitableTrackerStore(store))

    async def first() -> None:
        tracker = await outer.get_or_create_tracker(sender)
        for event in [ActionExecuted("action_session_start"), SessionStarted(), ActionExecuted("action_listen"),
                      *turn_events(0)]:
            tracker.update(event)
        await outer.save(tracker)

    async def second() -> None:
        tracker = await outer.get_or_create_tracker(sender)
        for event in turn_events(1):
            tracker.update(event)
        await outer.save(tracker)

    await asyncio.create_task(first())  # one task per message, as Rasa's server handles them
    await asyncio.create_task(second())


def old_class(base: str, path: str, class_name: str, folder: Path):
    """A class of a module as it was at commit `base` (None when the file cannot be read)."""
    result = subprocess.run(["git", "show", f"{base}:{path}"], cwd=services.ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        return None
    name = "old_" + Path(path).stem
    (folder / f"{name}.py").write_text(result.stdout, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, folder / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return getattr(module, class_name)


def measure(store, prefix: str, count: int) -> tuple[float, float]:
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(store.engine, "before_cursor_execute", listener)
    began = time.process_time()

    async def run() -> None:
        for number in range(count):
            await two_messages(store, f"{prefix}-{number}")

    asyncio.run(run())
    cpu = (time.process_time() - began) * 1000 / count
    sa.event.remove(store.engine, "before_cursor_execute", listener)
    return cpu, len(statements) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="main", help="commit of the 'before' tracker store")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--conversations", type=int, default=40, help="new conversations per round and variant")
    args = parser.parse_args()
    from rasa.shared.core.domain import Domain

    from bot.ops.event_broker import BatchingSQLEventBroker
    from bot.ops.tracker_store import PrivateSQLTrackerStore

    domain = Domain.load(str(services.ROOT / "bot" / "domain"))
    key = Fernet.generate_key().decode()
    with tempfile.TemporaryDirectory(prefix="yuban-first-save-") as name:
        folder = Path(name)
        old_store = old_class(args.base, "bot/ops/tracker_store.py", "PrivateSQLTrackerStore", folder)
        old_broker = old_class(args.base, "bot/ops/event_broker.py", "BatchingSQLEventBroker", folder)
        if old_store is None or old_broker is None:
            raise SystemExit(f"cannot read the store or the broker at {args.base}")
        stores = {}
        for variant, store_class, broker_class in (("before", old_store, old_broker),
                                                   ("store only", PrivateSQLTrackerStore, old_broker),
                                                   ("after", PrivateSQLTrackerStore, BatchingSQLEventBroker)):
            slug = variant.replace(" ", "-")
            stores[variant] = store_class(domain, dialect="sqlite", db=str(folder / f"{slug}-conv.db"), seal_key=key,
                                          event_broker=broker_class(db=str(folder / f"{slug}-ev.db")))
            measure(stores[variant], "warm", 5)
        figures: dict[str, list[tuple[float, float]]] = {variant: [] for variant in stores}
        for index in range(args.rounds):
            order = list(stores)[index % 3:] + list(stores)[:index % 3]  # each variant first in turn
            for variant in order:
                figures[variant].append(measure(stores[variant], f"r{index}", args.conversations))
        print(f"{args.conversations} new conversations × 2 messages per round, {args.rounds} rounds alternating, "
              f"load average {os.getloadavg()[0]:.2f} ({time.strftime('%H:%M:%S', time.gmtime())} UTC)")
        for variant, values in figures.items():
            print(f"  {variant:10s} CPU {statistics.median(v[0] for v in values):.2f} ms per conversation "
                  f"(rounds {', '.join(f'{v[0]:.2f}' for v in values)}), "
                  f"{statistics.median(v[1] for v in values):.1f} statements on the conversation database")
        for store in stores.values():
            store.engine.dispose()
            store.event_broker.engine.dispose()


if __name__ == "__main__":
    main()
