"""The one table of process commands.

`./yuban run` and the tests (tooling/services.py: the embedded profile), `./yuban run
--profile prod` (tooling/prod/stack.py), supervisord (deploy/supervisord.conf) and the
containers (deploy/docker/*, deploy/docker-compose.yml, through `python -m
tooling.prod.launch <kind>`) all start what `command()` returns, so a Rasa flag changes
here and nowhere else. tests/production/test_deploy_files.py checks the deployment
files go through the launcher.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("rasa", "actions", "progress", "console", "reminders")
MODEL = "models/yuban.tar.gz"
RASA_LOGGING = "deploy/logging/rasa.yml"
ENDPOINTS = {"embedded": "endpoints.yml", "prod": "deploy/endpoints.prod.yml"}
CREDENTIALS = {"embedded": "credentials.yml", "prod": "deploy/credentials.prod.yml"}  # bases: tooling/channels_env.py


def executable(env_name: str, program: str) -> str:
    """The repository's environment when it exists (one machine), else the image's PATH (containers)."""
    local = ROOT / ".venvs" / env_name / "bin" / program
    return str(local) if local.exists() else (shutil.which(program) or program)


def command(kind: str, port: int, *, host: str = "127.0.0.1", profile: str = "embedded",
            credentials: str | None = None, reuse_port: bool = False) -> list[str]:
    """The command line of one process.

    `credentials`: the file Rasa reads (the launchers pass the one they generate from the
    environment); `reuse_port`: several action servers share one port (production).
    """
    if profile not in ENDPOINTS:
        raise ValueError(f"unknown profile {profile!r}; one of {', '.join(ENDPOINTS)}")
    python = executable("actions", "python")
    if kind == "rasa":
        # bot/ops/rasa_server.py: `rasa run` with TensorFlow imported lazily (docs/performance.md)
        rasa = [executable("rasa", "python"), "-m", "bot.ops.rasa_server", "run", "--model", str(ROOT / MODEL), "--endpoints", ENDPOINTS[profile],
                "--credentials", credentials or CREDENTIALS[profile], "--interface", host, "--port", str(port)]
        if os.path.exists(ROOT / RASA_LOGGING):
            rasa += ["--logging-config-file", RASA_LOGGING]
        return rasa
    if kind == "actions":
        # actions/server.py: rasa_sdk's app plus /ready, /metrics and JSON logs (docs/operations.md)
        return [python, "-m", "actions.server", "--actions", "actions", "--host", host, "--port", str(port),
                *(["--reuse-port"] if reuse_port else [])]
    if kind == "progress":
        return [python, "-m", "progress_service", "--host", host, "--port", str(port)]
    if kind == "console":
        return [python, "-m", "console", "--host", host, "--port", str(port)]
    if kind == "reminders":
        # reminders/__main__.py: the notifier following the progress feed; /health, /ready, /metrics
        return [python, "-m", "reminders", "--host", host, "--port", str(port)]
    raise ValueError(f"unknown process kind {kind!r}; one of {', '.join(KINDS)}")


def health_path(kind: str) -> str:
    """Where a started process answers 200 once it serves."""
    return "/webhooks/rest/" if kind == "rasa" else "/health"
