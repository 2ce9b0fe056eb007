"""CPU of the conversation store for a conversation's first two messages, before and after
(the tracker store at `--base` against the current one), rounds alternating in one process.

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
import os
import statistics
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from cryptography.fernet import Fernet

from bench.tracker_bench import load_old_store
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
        old_store = load_old_store(args.base, folder)
        if old_store is None:
            raise SystemExit(f"cannot read bot/ops/tracker_store.py at {args.base}")
        stores = {}
        for variant, store_class in (("before", old_store), ("after", PrivateSQLTrackerStore)):
            stores[variant] = store_class(domain, dialect="sqlite", db=str(folder / f"{variant}-conv.db"), seal_key=key,
                                          event_broker=BatchingSQLEventBroker(db=str(folder / f"{variant}-ev.db")))
            measure(stores[variant], "warm", 5)
        figures: dict[str, list[tuple[float, float]]] = {variant: [] for variant in stores}
        for index in range(args.rounds):
            order = list(stores) if index % 2 == 0 else list(reversed(stores))
            for variant in order:
                figures[variant].append(measure(stores[variant], f"r{index}", args.conversations))
        print(f"{args.conversations} new conversations × 2 messages per round, {args.rounds} rounds alternating, "
              f"load average {os.getloadavg()[0]:.2f} ({time.strftime('%H:%M:%S', time.gmtime())} UTC)")
        for variant, values in figures.items():
            print(f"  {variant:6s} CPU {statistics.median(v[0] for v in values):.2f} ms per conversation "
                  f"(rounds {', '.join(f'{v[0]:.2f}' for v in values)}), "
                  f"{statistics.median(v[1] for v in values):.1f} statements on the conversation database")
        for store in stores.values():
            store.engine.dispose()
            store.event_broker.engine.dispose()


if __name__ == "__main__":
    main()
