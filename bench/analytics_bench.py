"""Benchmark of the console's analytics: ingestion from the event broker table, and the queries.

Writes a synthetic event broker table (SQLite, the exact shape Rasa's SQL event broker
writes, with its action/slot/featurization events) of `--conversations` conversations
spread over 30 days, then measures:
  - full ingestion (events/s) with the default batch size;
  - a refresh when caught up, and one with 100 new events (what each dashboard request adds);
  - the dashboard figures and the queue over the 30 days, on the turns table;
  - for comparison, the floor of querying the broker table directly on each request:
    reading and JSON-parsing every event of the range (before any aggregation).

    .venvs/actions/bin/python -m bench.analytics_bench [--conversations 4000]
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text

from console.analytics import curation_queue, queries
from console.analytics.ingest import DEFAULT_BATCH, Ingestor
from console.analytics.queries import DayRange
from knowledge.db import get_engine, session_factory
from tests.console.analytics_fixtures import EventLog, Talk

QUESTIONS = [("开公司要什么材料", "ask_materials", {"type": "guide", "item_code": "500A4100020000", "item_name": "有限责任公司设立登记"}),
             ("上户口在哪办", "ask_department", {"type": "guide", "item_code": "500F1100010000", "item_name": "出生登记"}),
             ("螺蛳粉摊摊怎么开", "ask_flow", {"type": "not_found"}),
             ("公积金怎么取", "ask_flow", {"type": "choices", "options": []}),
             ("转人工", "request_human", {"type": "handoff", "reason": "user_request"})]
DISTRICTS = ["渝北区", "江北区", "渝中区", "南岸区", None]
CHANNELS = ["wechat", "app", "rest"]
FIRST_DAY = datetime(2026, 10, 1)


def write_events(log: EventLog, conversations: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for n in range(conversations):
        start = FIRST_DAY + timedelta(days=rng.randrange(30), hours=rng.randrange(7, 23), minutes=rng.randrange(60))
        talk = Talk(log, f"bench-{n}", rng.choice(CHANNELS), start).session()
        district = rng.choice(DISTRICTS)
        for _turn in range(rng.randint(2, 7)):
            words, intent, payload = rng.choice(QUESTIONS)
            talk.user(words, intent, rng.uniform(0.3, 1.0), gap_seconds=rng.uniform(5, 90))
            if district:
                talk.slot("district", district)
            talk.bot(rng.randint(40, 900), payload)
        if rng.random() < 0.2:
            talk.user(rng.choice(["有用", "没用"]), rng.choice(["feedback_useful", "feedback_useless"]), 0.98).bot(30)
    log.commit()


def timed(function, repeat: int = 5) -> float:
    """Median seconds of `repeat` runs."""
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=4000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yuban-analytics-bench-") as folder:
        log = EventLog(Path(folder) / "events.db", autocommit=False)
        started = time.perf_counter()
        write_events(log, args.conversations)
        events = log.count()
        print(f"synthetic broker table: {events} events of {args.conversations} conversations "
              f"({time.perf_counter() - started:.1f} s to write)")
        sessions = session_factory(get_engine(f"sqlite:///{Path(folder) / 'catalog.db'}"))
        ingestor = Ingestor(sessions, log.url, batch_size=DEFAULT_BATCH)

        started = time.perf_counter()
        report = ingestor.run(max_batches=10_000)
        elapsed = time.perf_counter() - started
        print(f"full ingestion: {report.events} events → {report.turns} turns in {elapsed:.2f} s "
              f"({report.events / elapsed:,.0f} events/s, batch {DEFAULT_BATCH})")
        print(f"refresh when caught up: {timed(ingestor.run) * 1000:.1f} ms")
        late = Talk(log, "bench-late", "wechat", FIRST_DAY + timedelta(days=29, hours=12))
        late_times = []
        for _ in range(5):
            for _turn in range(10):
                late.user("开公司要什么材料", "ask_materials", 0.9).bot(100, QUESTIONS[0][2])
            log.commit()
            started = time.perf_counter()
            ingestor.run()
            late_times.append(time.perf_counter() - started)
        print(f"refresh with 100 new events: {statistics.median(late_times) * 1000:.1f} ms")

        month = DayRange(date(2026, 10, 1), date(2026, 10, 30))
        week = DayRange(date(2026, 10, 24), date(2026, 10, 30))

        def figures(days):
            with sessions() as session:
                return queries.dashboard(session, days)

        def queue(days):
            with sessions() as session:
                return curation_queue.groups(session, days)

        print(f"dashboard figures, 30 days: {timed(lambda: figures(month)) * 1000:.0f} ms; "
              f"7 days: {timed(lambda: figures(week)) * 1000:.0f} ms "
              f"({figures(month)['totals']['turns']} turns in 30 days)")
        print(f"queue, 30 days: {timed(lambda: queue(month)) * 1000:.0f} ms")

        engine = create_engine(log.url)

        def read_broker():
            with engine.connect() as connection:
                for (data,) in connection.execute(text("SELECT data FROM events")):
                    json.loads(data)

        print(f"direct on the broker table (read + parse every event, no aggregation yet): "
              f"{timed(read_broker, repeat=3) * 1000:.0f} ms")
        engine.dispose()
        log.close()


if __name__ == "__main__":
    main()
