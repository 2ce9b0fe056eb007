"""One process of the production profile, as a process manager or a container starts it.

    python -m tooling.prod.launch check                    # variables, PostgreSQL and Redis (exit 0/2)
    python -m tooling.prod.launch rasa [--index N]         # Rasa server N (port YUBAN_RASA_PORT + N)
    python -m tooling.prod.launch actions                  # an action server (shares YUBAN_ACTIONS_PORT)
    python -m tooling.prod.launch progress | console       # the local progress service, the console
    python -m tooling.prod.launch reminders                # the reminder notifier (several may run)

deploy/supervisord.conf and the container definitions run exactly these; `./yuban run
--profile prod` (tooling/prod/stack.py) builds the same commands, all from the one table
in tooling/processes.py. The configuration is checked first, so a missing variable stops
the process with a message naming it; a Rasa server also gets the channels switched on
in the environment (tooling/channels_env.py). `--host` is the interface to listen on:
127.0.0.1 on one machine, 0.0.0.0 in a container.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tooling import processes
from tooling.channels_env import ChannelEnvError, ChannelPlan, plan_channels
from tooling.prod.settings import ProdConfigError, ProdSettings

ROOT = str(processes.ROOT)
KINDS = processes.KINDS
CREDENTIALS = processes.CREDENTIALS["prod"]


def command(kind: str, settings: ProdSettings, index: int = 0, host: str = "127.0.0.1",
            credentials: str = CREDENTIALS) -> list[str]:
    """The table's command for one process of this profile, on the port the settings give it."""
    ports = {"rasa": settings.rasa_port + index, "actions": settings.actions_port,
             "progress": settings.progress_port, "console": settings.console_port,
             "reminders": settings.reminders_port}
    if kind not in ports:
        raise ValueError(f"unknown process kind {kind!r}; one of {', '.join(KINDS)}")
    return processes.command(kind, ports[kind], host=host, profile="prod", credentials=credentials,
                             reuse_port=kind == "actions")


def runtime_dir() -> Path:
    """Where generated files go: YUBAN_RUNTIME_DIR, var/ of the repository, or the temp dir (read-only images)."""
    for candidate in (os.environ.get("YUBAN_RUNTIME_DIR"), os.path.join(ROOT, "var")):
        if candidate and (os.access(candidate, os.W_OK) or (not os.path.exists(candidate)
                                                            and os.access(os.path.dirname(candidate), os.W_OK))):
            return Path(candidate)
    return Path(tempfile.gettempdir()) / "yuban"


def channel_credentials(settings: ProdSettings, env: dict[str, str] | None = None) -> tuple[ChannelPlan, Path]:
    """deploy/credentials.prod.yml plus the channels switched on in the environment, written for Rasa."""
    plan = plan_channels(os.path.join(ROOT, CREDENTIALS), os.environ if env is None else env,
                         shared_redis=settings.rasa_processes > 1)
    return plan, plan.write(runtime_dir() / "credentials.prod.yml")


def check_channels(path: Path, env: dict[str, str]) -> None:
    """The channels' own validation in Rasa's interpreter (channels/check.py); ProdConfigError on a bad value."""
    python = processes.executable("rasa", "python")
    result = subprocess.run([python, "-m", "channels.check", str(path)], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=300, check=False)
    if result.returncode != 0:
        raise ProdConfigError((result.stderr or result.stdout).strip() or f"channels.check exited {result.returncode}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tooling.prod.launch", description="启动生产配置中的一个进程")
    parser.add_argument("kind", choices=("check", *KINDS))
    parser.add_argument("--index", type=int, default=0, help="rasa: 第几个 Rasa 进程（端口 = YUBAN_RASA_PORT + N）")
    parser.add_argument("--host", default=os.environ.get("YUBAN_LISTEN_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    credentials = CREDENTIALS
    try:
        settings = ProdSettings.from_env()
        # Every process checks before it starts: a clear message naming the variable instead of,
        # say, a Rasa server retrying an unreachable database forever.
        settings.check_services()
        env = {**os.environ, **settings.process_env()}
        env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
        env.setdefault("RASA_TELEMETRY_ENABLED", "false")
        if args.kind in ("check", "rasa"):
            plan, path = channel_credentials(settings, env)
            # Rasa's own validation needs Rasa's interpreter: always there for `rasa`; for `check`
            # when this machine or image has it (the app image does not).
            if plan.from_env and (args.kind == "rasa" or os.path.exists(processes.executable("rasa", "rasa"))):
                check_channels(path, env)
            credentials = str(path)
        if args.kind == "check":
            print("生产配置检查通过：变量齐全，PostgreSQL 与 Redis 可以连接，通道配置有效", flush=True)
            return 0
    except (ProdConfigError, ChannelEnvError) as error:
        print(f"yuban: {error}", file=sys.stderr)
        return 2
    argv_ = command(args.kind, settings, index=args.index, host=args.host, credentials=credentials)
    os.chdir(ROOT)
    os.execve(argv_[0], argv_, env)
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main())
