"""How long a progress answer takes through the REST channel with the local progress service.

Each round is a new conversation: ask, give the number, give the factor; the time of the
last message (the one that queries the platform) is measured. Loopback only, bounded.

    .venvs/actions/bin/python -m bench.progress_bench [--rounds 60]
"""
from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from bench.stats import percentile
from tooling import services
from tooling.cli.rest_client import RestClient
from progress_service.seed import seed_url


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'progress.db'}"
        cases = [(number, factor) for number, factor, _stage, _late in seed_url(url).examples]
        services.train_if_changed(log=lambda *_: None)
        stack = services.Stack(rasa_port=5405, actions_port=5455, progress_port=8400,
                               extra_env={"YUBAN_PROGRESS_DATABASE_URL": url})
        stack.start(log=lambda *_: None)
        try:
            client = RestClient("http://127.0.0.1:5405")
            timings = []
            for index in range(args.rounds):
                number, factor = cases[index % len(cases)]
                sender = f"bench-{uuid.uuid4().hex[:8]}"
                client.send(sender, "查一下我的办件进度")
                client.send(sender, number)
                start = time.perf_counter()
                replies = client.send(sender, factor)
                timings.append((time.perf_counter() - start) * 1000)
                assert any("办件进度" in (m.get("text") or "") for m in replies), replies
        finally:
            stack.stop()
    print(f"progress answer through REST (local progress service): {args.rounds} conversations, "
          f"p50 {statistics.median(timings):.0f} ms, p95 {percentile(timings, 0.95):.0f} ms")


if __name__ == "__main__":
    main()
