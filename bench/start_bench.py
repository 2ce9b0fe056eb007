"""Where `./yuban run`'s start goes (issue #13: every process ready in ≤ 10 s).

1. Rasa's steps in one fresh Rasa-environment process, prepared as the server's launcher
   prepares it (bot/ops/rasa_server.py): importing `rasa.core.run`, loading this tree's model
   (`Agent.load`), timed one after the other, and whether TensorFlow was loaded on the way
   (it is not, with our model).
2. Each process of the embedded stack started alone (the command of tooling/processes.py),
   polled every 50 ms until it answers its health check.
3. The whole stack as `./yuban run` starts it (tooling.services.Stack), `--rounds` times.
Ports: 5205… + YUBAN_TEST_PORT_OFFSET; every file the processes write goes to a temporary folder.

    .venvs/actions/bin/python -m bench.start_bench [--rounds 2]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from tooling import processes, services

OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))
PORTS = {"rasa": 5205 + OFFSET, "actions": 5255 + OFFSET, "progress": 8205 + OFFSET}

_RASA_STEPS = """
import json, sys, time
from bot.ops import rasa_server
rasa_server.prepare()
t0 = time.perf_counter()
import rasa.core.run
t1 = time.perf_counter()
from rasa.core.agent import Agent
Agent.load(model_path="models/yuban.tar.gz")
t2 = time.perf_counter()
print(json.dumps({"import rasa.core.run": t1 - t0, "Agent.load (model)": t2 - t1,
                  "tensorflow loaded": "tensorflow" in sys.modules}))
"""


def _loadavg() -> str:
    return " ".join(open("/proc/loadavg").read().split()[:3])


def _env(folder: Path) -> dict[str, str]:
    return {**services.base_env(), "PYTHONPATH": str(services.ROOT),
            "YUBAN_DATABASE_URL": f"sqlite:///{folder / 'catalog.db'}",
            "YUBAN_TRACKER_DB": str(folder / "conversations.db"), "YUBAN_EVENTS_DB": str(folder / "events.db"),
            "YUBAN_PROGRESS_DATABASE_URL": f"sqlite:///{folder / 'progress.db'}",
            "YUBAN_SEAL_KEY": "Yb2T0s1c9x0H8b3WqgN7pWm5r8a2k4Jc6d1e3f5g7h0=", "YUBAN_LOG_LEVEL": "WARNING",
            "YUBAN_ACTIONS_URL": f"http://127.0.0.1:{PORTS['actions']}/webhook",
            "YUBAN_PROGRESS_URL": f"http://127.0.0.1:{PORTS['progress']}"}


def _ready_after(url: str, process: subprocess.Popen, began: float, timeout: float = 240) -> float:
    while time.monotonic() - began < timeout and process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return time.monotonic() - began
        except OSError:
            pass
        time.sleep(0.05)
    raise services.ServiceError(f"{url} not ready")


def alone(kind: str, env: dict[str, str], log: Path) -> float:
    command = processes.command(kind, PORTS[kind])
    with open(log, "ab") as out:
        began = time.monotonic()
        process = subprocess.Popen(command, cwd=services.ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        return _ready_after(f"http://127.0.0.1:{PORTS[kind]}{processes.health_path(kind)}", process, began)
    finally:
        services.stop_processes({kind: process})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    print(f"load average {_loadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="yuban-start-bench-") as name:
        folder = Path(name)
        env = _env(folder)
        subprocess.run([processes.executable("actions", "python"), "-m", "tooling.cli", "catalog", "import",
                        str(services.ROOT / "data" / "catalog")], cwd=services.ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL)
        steps = subprocess.run([processes.executable("rasa", "python"), "-c", _RASA_STEPS], cwd=services.ROOT,
                               env=env, capture_output=True, text=True, check=True)
        print("Rasa, one step after the other: " + ", ".join(
            f"{key} {value}" if isinstance(value, bool) else f"{key} {value:.1f} s"
            for key, value in json.loads(steps.stdout.strip().splitlines()[-1]).items())
            + f" | load average {_loadavg()}", flush=True)
        for round_number in range(1, args.rounds + 1):
            times = {kind: alone(kind, env, folder / f"{kind}.log") for kind in ("progress", "actions", "rasa")}
            print(f"round {round_number}, each alone (ready after): "
                  + ", ".join(f"{kind} {value:.1f} s" for kind, value in times.items())
                  + f" | load average {_loadavg()}", flush=True)
            stack = services.Stack(rasa_port=PORTS["rasa"], actions_port=PORTS["actions"],
                                   progress_port=PORTS["progress"], log_dir=folder / "log", extra_env=env)
            began = time.monotonic()
            stack.start(log=lambda *_: None)
            total = time.monotonic() - began
            stack.stop()
            print(f"round {round_number}, the stack (tooling.services.Stack.start): every process ready after "
                  f"{total:.1f} s | load average {_loadavg()}", flush=True)


if __name__ == "__main__":
    main()
