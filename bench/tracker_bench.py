"""What the Rasa process spends per turn on the conversation store and the event broker,
at 5, 50 and 500 turns of one conversation, before and after (same run, same machine).

  before  the private tracker store and Rasa's SQL event broker as they were at `--base`
          (git show of bot/ops/tracker_store.py): Rasa's save, Rasa's broker streaming
          (reads the conversation back and replays it), one commit per event, SQLite defaults
  no cache  the current store (bot/ops/tracker_store.py) with `cache_size: 0` and
          BatchingSQLEventBroker: every load replays the session
  after   the same with its tracker cache (bot/ops/tracker_cache.py): a load of a
          conversation this process saved last is one indexed query

For each length a conversation is written with the current store (the table format is the
same), then `--turns` further guide turns are timed: retrieve, append one turn's events,
save (with the broker); "before" runs with Rasa's own event deserialisation, "after" with
bot/ops/rasa_speedups.py. Also: validating one action response with Rasa's
`jsonschema.validate`, the compiled validator, and rasa_speedups' validation.
Rasa environment:

    .venvs/rasa/bin/python -m bench.tracker_bench [--turns 10] [--base HEAD~1]
"""
from __future__ import annotations

import argparse
import asyncio
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cryptography.fernet import Fernet

from bench.turn_fixtures import rasa_response, turn_events
from tooling import services

LENGTHS = (5, 50, 500)


def load_old_store(base: str, folder: Path):
    """The tracker store module as it was at commit `base` (None when it cannot be read)."""
    result = subprocess.run(["git", "show", f"{base}:bot/ops/tracker_store.py"], cwd=services.ROOT,
                            capture_output=True, text=True)
    if result.returncode != 0:
        return None
    path = folder / "old_tracker_store.py"
    path.write_text(result.stdout, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("old_tracker_store", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_tracker_store"] = module
    spec.loader.exec_module(module)
    return module.PrivateSQLTrackerStore


async def fill(store, sender: str, turns: int) -> None:
    from rasa.shared.core.events import ActionExecuted, SessionStarted
    from rasa.shared.core.trackers import DialogueStateTracker

    tracker = DialogueStateTracker.from_events(sender, [ActionExecuted("action_session_start"), SessionStarted(),
                                                        ActionExecuted("action_listen")], store.domain.slots)
    for turn in range(turns):
        for event in turn_events(turn):
            tracker.update(event)
    await store.save(tracker)


async def time_turns(store, sender: str, start: int, count: int) -> tuple[list[float], list[float]]:
    loads, saves = [], []
    for turn in range(start, start + count):
        began = time.perf_counter()
        tracker = await store.retrieve(sender)
        loaded = time.perf_counter()
        for event in turn_events(turn):
            tracker.update(event)
        saving = time.perf_counter()
        await store.save(tracker)
        loads.append((loaded - began) * 1000)
        saves.append((time.perf_counter() - saving) * 1000)
    return loads, saves


def validation_figures(repeat: int = 200) -> list[float]:
    """ms per response: Rasa's jsonschema.validate, the compiled validator, rasa_speedups'."""
    from jsonschema import validate
    from rasa.core.actions.action import RemoteAction

    from bot.ops.rasa_speedups import compiled_validator, validate_action_result

    response, schema = rasa_response(), RemoteAction.action_response_format_spec()
    validator = compiled_validator()
    figures = []
    for check in (lambda: validate(response, schema), lambda: validator.is_valid(response),
                  lambda: validate_action_result(None, response)):
        check()
        began = time.perf_counter()
        for _ in range(repeat):
            check()
        figures.append((time.perf_counter() - began) * 1000 / repeat)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10, help="turns timed at each length")
    parser.add_argument("--base", default="3660945", help="commit of the 'before' tracker store")
    args = parser.parse_args()
    from rasa.core.brokers.sql import SQLEventBroker
    from rasa.shared.core.domain import Domain

    from bot.ops import rasa_speedups
    from bot.ops.event_broker import BatchingSQLEventBroker
    from bot.ops.tracker_store import PrivateSQLTrackerStore

    rasa_ms, compiled_ms, ours_ms = validation_figures()
    print(f"action response validation, per guide response: jsonschema.validate {rasa_ms:.2f} ms, compiled "
          f"validator {compiled_ms:.3f} ms, compiled per event type (installed) {ours_ms:.3f} ms "
          f"({rasa_ms / ours_ms:.0f}× less)", flush=True)

    domain = Domain.load(str(services.ROOT / "bot" / "domain"))
    key = Fernet.generate_key().decode()
    with tempfile.TemporaryDirectory(prefix="yuban-tracker-bench-") as name:
        folder = Path(name)
        old_store = load_old_store(args.base, folder)
        variants = [("no cache", PrivateSQLTrackerStore, BatchingSQLEventBroker, {"cache_size": 0}),
                    ("after", PrivateSQLTrackerStore, BatchingSQLEventBroker, {})]
        if old_store is not None:
            variants.insert(0, ("before", old_store, SQLEventBroker, {}))
        print(f"per turn, median of {args.turns} turns (ms): retrieve + save with the broker; load average "
          f"{' '.join(open('/proc/loadavg').read().split()[:3])}")
        for length in LENGTHS:
            line = []
            for variant, store_class, broker_class, options in variants:
                slug = variant.replace(" ", "-")
                conversations, events = folder / f"{slug}-{length}-conv.db", folder / f"{slug}-{length}-ev.db"
                filler = PrivateSQLTrackerStore(domain, dialect="sqlite", db=str(conversations), seal_key=key)
                asyncio.run(fill(filler, "bench", length))
                filler.engine.dispose()
                (rasa_speedups.uninstall if variant == "before" else rasa_speedups.install)()
                store = store_class(domain, dialect="sqlite", db=str(conversations), seal_key=key,
                                    event_broker=broker_class(db=str(events)), **options)
                loads, saves = asyncio.run(time_turns(store, "bench", length, args.turns))
                store.engine.dispose()
                line.append(f"{variant}: retrieve {statistics.median(loads):6.1f}, save {statistics.median(saves):6.1f}, "
                            f"total {statistics.median([a + b for a, b in zip(loads, saves)]):6.1f}")
            print(f"  {length:3} turns  " + " | ".join(line), flush=True)


if __name__ == "__main__":
    main()
