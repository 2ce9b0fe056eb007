"""The processes the REST benchmark measures: our stack (this tree or an exported commit)
and a plain `rasa init` bot, with start times, CPU seconds and resident memory from /proc.

Our stack is started through the tree's own `Stack` (`tooling.services`, or `bot.services`
in commits before the tooling package) in a helper process, so an older commit (exported with `git archive`, sharing `.venvs` and a copy of `models/`)
starts exactly as it did then. Every port comes from the caller (offset by
YUBAN_TEST_PORT_OFFSET); every file the stack writes goes to a temporary folder.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tooling import services

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
INIT_DIR = services.ROOT / "build" / "bench" / "initbot"

_RUNNER = """
import json, sys, time
from pathlib import Path
try:
    from tooling import services
except ImportError:  # a commit before the tooling package
    from bot import services
ports = json.loads(sys.argv[1])
stack = services.Stack(rasa_port=ports["rasa"], actions_port=ports["actions"], progress_port=ports["progress"],
                       log_dir=Path(ports["log_dir"]))
began = time.monotonic()
stack.start(log=lambda *_: None)
print(json.dumps({"start_s": time.monotonic() - began,
                  **{name: process.pid for name, process in stack.processes.items()}}), flush=True)
sys.stdin.read()
stack.stop()
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_mb(pid: int, field: str = "VmRSS") -> float:
    """Resident memory; `field="RssAnon"`: only the process's own (anonymous) pages, without the
    pages of mapped files (TensorFlow's libraries), which processes of the same libraries share."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def export_commit(commit: str, folder: Path, model: Path | None = None) -> Path:
    """A plain copy of `commit`'s tree (no git metadata touched), sharing .venvs and a copy of
    models/ (with `model` as its models/yuban.tar.gz when given: the model that commit trains)."""
    target = folder / f"yuban-{commit[:10]}"
    target.mkdir(parents=True)
    archive = folder / "tree.tar"
    subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), commit], cwd=services.ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(target)
    archive.unlink()
    (target / ".venvs").symlink_to(services.VENVS.resolve())
    shutil.copytree(services.MODELS, target / "models")
    if model is not None:
        shutil.copyfile(model, target / services.MODEL.relative_to(services.ROOT))
    return target


def alternating_stacks(baseline: str, after: str | None, rounds: int, folder: Path,
                       ports: tuple[int, int, int]) -> Iterator[tuple[int, str, dict]]:
    """(round, tree name, pids) of our stack from an exported `baseline` commit, then from this
    tree (or an exported `after` commit), `rounds` times: before/after benchmarks alternate the
    trees so both meet the same load. Each stack stops before the next starts."""
    import tooling.services as services

    trees = [(f"before ({baseline})", export_commit(baseline, folder / "base")),
             (f"after ({after})", export_commit(after, folder / "after")) if after
             else ("after (this tree)", services.ROOT)]
    for round_number in range(1, rounds + 1):
        for name, root in trees:
            with yuban_stack(root, *ports) as pids:
                yield round_number, name, pids


@contextmanager
def yuban_stack(root: Path, rasa_port: int, actions_port: int, progress_port: int) -> Iterator[dict]:
    """Our stack from `root` with fresh conversation, event and catalog databases."""
    with tempfile.TemporaryDirectory(prefix="yuban-bench-stack-") as name:
        folder = Path(name)
        catalog = f"sqlite:///{folder / 'catalog.db'}"
        env = {**services.base_env(), "PYTHONPATH": str(root), "YUBAN_DATABASE_URL": catalog,
               "YUBAN_TRACKER_DB": str(folder / "conversations.db"), "YUBAN_EVENTS_DB": str(folder / "events.db"),
               "YUBAN_PROGRESS_DATABASE_URL": f"sqlite:///{folder / 'progress.db'}",
               "YUBAN_SEAL_KEY": "Yb2T0s1c9x0H8b3WqgN7pWm5r8a2k4Jc6d1e3f5g7h0=", "YUBAN_LOG_LEVEL": "WARNING"}
        python = str(services.VENVS / "actions" / "bin" / "python")
        cli = "tooling.cli" if (root / "tooling" / "cli").is_dir() else "bot.cli"
        subprocess.run([python, "-m", cli, "catalog", "import", str(root / "data" / "catalog")], cwd=root,
                       env=env, check=True, stdout=subprocess.DEVNULL)
        ports = {"rasa": rasa_port, "actions": actions_port, "progress": progress_port, "log_dir": str(folder / "log")}
        helper = subprocess.Popen([python, "-c", _RUNNER, json.dumps(ports)], cwd=root, env=env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        try:
            line = helper.stdout.readline()
            if not line:
                raise services.ServiceError(f"our stack did not start (logs: {folder / 'log'})")
            yield json.loads(line)
        finally:
            helper.stdin.close()
            helper.wait(timeout=90)


def prepare_init_bot() -> float:
    """Create the `rasa init` bot once (no download needed); returns its training time (0 when reused)."""
    if (INIT_DIR / "models").exists() and any((INIT_DIR / "models").glob("*.tar.gz")):
        return 0.0
    INIT_DIR.mkdir(parents=True, exist_ok=True)
    began = time.perf_counter()  # `rasa init` writes the moodbot and trains it
    subprocess.run([str(services.VENVS / "rasa" / "bin" / "rasa"), "init", "--no-prompt", "--init-dir", str(INIT_DIR)],
                   cwd=INIT_DIR, env=services.base_env(), check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def train_init_bot() -> float:
    """Seconds to train the `rasa init` bot again (forced)."""
    began = time.perf_counter()
    subprocess.run([str(services.VENVS / "rasa" / "bin" / "rasa"), "train", "--force"], cwd=INIT_DIR,
                   env=services.base_env(), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


@contextmanager
def init_bot(port: int) -> Iterator[dict]:
    model = sorted((INIT_DIR / "models").glob("*.tar.gz"))[-1]
    began = time.perf_counter()
    process = subprocess.Popen([str(services.VENVS / "rasa" / "bin" / "rasa"), "run", "--model", str(model), "--port",
                                str(port), "--interface", "127.0.0.1"], cwd=INIT_DIR, env=services.base_env(),
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        services.wait_http(f"http://127.0.0.1:{port}/webhooks/rest/", 900, process)  # TED graphs: minutes when busy
        yield {"start_s": time.perf_counter() - began, "rasa": process.pid}
    finally:
        services.stop_processes({"rasa": process})
