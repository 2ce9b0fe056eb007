"""Where the Rasa process's time goes under load: py-spy samples, summed by category.

Starts our stack (this tree, or an exported `--commit`), sends guide questions from
`--users` closed-loop users while `py-spy record --format raw` samples the Rasa process
(`--rate` Hz, `--seconds` s), then prints the share of the busy samples per category (a
sample counts for the first category, in the order below, that one of its frames matches).
The raw profile stays in a temporary folder unless `--keep FILE` (never in the repository);
`py-spy record --format speedscope` or an SVG from the same pid gives the flame graph.

    .venvs/actions/bin/python -m bench.profile_rasa [--commit 3660945] [--seconds 30]
"""
from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import tempfile
import threading
from collections import Counter
from pathlib import Path

from bench import stacks, traffic
from tooling import services
from tooling.cli.eval_cmd import EVAL_DIR

OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))
PY_SPY = services.VENVS / "actions" / "bin" / "py-spy"
# (category, substrings of a frame); first match wins, so specific ones come first.
CATEGORIES = [
    ("validating action responses (jsonschema)", ("jsonschema",)),
    ("event broker", ("brokers/sql.py", "event_broker.py", "publish_many", "_publish")),
    ("masking and sealing", ("core/personal_data.py", "bot/ops/sealing.py", "bot/ops/privacy.py", "cryptography")),
    ("tracker loading", ("_retrieve", "retrieve (", "from_dict", "deserialise_events")),
    ("tracker saving", ("tracker_store.py", "save (")),
    ("NLU: classifier (DIET / TensorFlow or logistic regression)", ("diet_classifier", "logistic_regression", "intent_classifier", "tensorflow", "rasa/utils/tensorflow")),
    ("NLU: featurizers", ("count_vectors_featurizer", "lexical_syntactic", "regex_featurizer", "sklearn", "scipy")),
    ("NLU: tokenizer, normalizer, entities, fallback", ("jieba", "normalizer", "regex_entity", "entity_synonyms",
                                                        "fallback_classifier", "knowledge/normalize")),
    ("policies", ("rasa/core/policies", "featurizers/tracker_featurizers", "past_states")),
    ("action call (request, response, events)", ("actions/action.py", "rasa/utils/endpoints.py", "aiohttp")),
    ("tracker events and state", ("rasa/shared/core/trackers.py", "rasa/shared/core/events.py")),
    ("lock store", ("lock_store", "rasa/core/lock.py")),
    ("metrics and logs", ("monitoring/metrics.py", "core/logs.py", "prometheus", "logging/")),
    ("Sanic, channels, JSON", ("sanic", "channels/", "json", "ujson")),
    ("SQLAlchemy / SQLite (other)", ("sqlalchemy", "sqlite")),
]


def categorise(raw: Path) -> tuple[Counter, int]:
    counts: Counter = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        samples = int(number)
        total += samples
        frames = stack.split(";")
        for name, needles in CATEGORIES:
            if any(needle in frame for frame in frames for needle in needles):
                counts[name] += samples
                break
        else:
            counts["other"] += samples
    return counts, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commit", help="profile an exported copy of this commit instead of the tree")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--keep", type=Path, help="copy the raw (collapsed) profile here")
    args = parser.parse_args()
    questions, source = traffic.guide_questions(EVAL_DIR)
    with tempfile.TemporaryDirectory(prefix="yuban-profile-") as name:
        folder = Path(name)
        root = stacks.export_commit(args.commit, folder) if args.commit else services.ROOT
        with stacks.yuban_stack(root, 5215 + OFFSET, 5265 + OFFSET, 8215 + OFFSET) as pids:
            url = f"http://127.0.0.1:{5215 + OFFSET}/webhooks/rest/webhook"
            asyncio.run(traffic.closed_loop(url, questions, 4, 2))  # warm up
            stop = threading.Event()
            result: dict = {}

            def load() -> None:
                async def waves() -> None:
                    while not stop.is_set():
                        run = await traffic.closed_loop(url, questions, args.users, 3)
                        result.setdefault("runs", []).append(run)
                asyncio.run(waves())

            worker = threading.Thread(target=load)
            worker.start()
            raw = folder / "rasa.raw"
            subprocess.run([str(PY_SPY), "record", "--pid", str(pids["rasa"]), "--rate", str(args.rate), "--duration",
                            str(args.seconds), "--format", "raw", "--output", str(raw), "--nonblocking"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            stop.set()
            worker.join()
        counts, busy = categorise(raw)
        if args.keep:
            shutil.copy(raw, args.keep)
    messages = sum(len(run.latencies) for run in result.get("runs", []))
    print(f"Rasa process of {args.commit or 'this tree'}: {busy} busy samples at {args.rate} Hz over {args.seconds} s "
          f"({busy / (args.rate * args.seconds):.0%} of one core), {args.users} users, {source}, {messages} messages")
    for name, samples in counts.most_common():
        print(f"  {samples / max(1, busy):6.1%}  {name}")


if __name__ == "__main__":
    main()
