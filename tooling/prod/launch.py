"""One process of the production profile, as a process manager or a container starts it.

    python -m tooling.prod.launch check                    # variables, PostgreSQL and Redis (exit 0/2)
    python -m tooling.prod.launch rasa [--index N]         # Rasa server N (port YUBAN_RASA_PORT + N)
    python -m tooling.prod.launch actions                  # an action server (shares YUBAN_ACTIONS_PORT)
    python -m tooling.prod.launch progress | console       # the local progress service, the console

deploy/supervisord.conf and the container definitions run exactly these; `./yuban run
--profile prod` (bot/prod/stack.py) builds the same commands. The configuration is checked
first, so a missing variable stops the process with a message naming it. `--host` is the
interface to listen on: 127.0.0.1 on one machine, 0.0.0.0 in a container.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys

from tooling.prod.settings import ProdConfigError, ProdSettings

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KINDS = ("rasa", "actions", "progress", "console")
ENDPOINTS = "deploy/endpoints.prod.yml"
CREDENTIALS = "deploy/credentials.prod.yml"
RASA_LOGGING = "deploy/logging/rasa.yml"
MODEL = "models/yuban.tar.gz"


def executable(env_name: str, program: str) -> str:
    """The repository's environment when it exists (one machine), else the image's PATH (containers)."""
    local = os.path.join(ROOT, ".venvs", env_name, "bin", program)
    return local if os.path.exists(local) else (shutil.which(program) or program)


def command(kind: str, settings: ProdSettings, index: int = 0, host: str = "127.0.0.1",
            credentials: str = CREDENTIALS) -> list[str]:
    python = executable("actions", "python")
    if kind == "rasa":
        rasa = [executable("rasa", "rasa"), "run", "--model", os.path.join(ROOT, MODEL), "--endpoints", ENDPOINTS,
                "--credentials", credentials, "--interface", host, "--port", str(settings.rasa_port + index)]
        if os.path.exists(os.path.join(ROOT, RASA_LOGGING)):
            rasa += ["--logging-config-file", RASA_LOGGING]
        return rasa
    if kind == "actions":
        return [python, "-m", "actions.server", "--host", host, "--port", str(settings.actions_port), "--reuse-port"]
    if kind == "progress":
        return [python, "-m", "progress_service", "--host", host, "--port", str(settings.progress_port)]
    if kind == "console":
        return [python, "-m", "console", "--host", host, "--port", str(settings.console_port)]
    raise ValueError(f"unknown process kind {kind!r}; one of {', '.join(KINDS)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tooling.prod.launch", description="启动生产配置中的一个进程")
    parser.add_argument("kind", choices=("check", *KINDS))
    parser.add_argument("--index", type=int, default=0, help="rasa: 第几个 Rasa 进程（端口 = YUBAN_RASA_PORT + N）")
    parser.add_argument("--host", default=os.environ.get("YUBAN_LISTEN_HOST", "127.0.0.1"))
    args = parser.parse_args(argv)
    try:
        settings = ProdSettings.from_env()
        # Every process checks before it starts: a clear message naming the variable instead of,
        # say, a Rasa server retrying an unreachable database forever.
        settings.check_services()
        if args.kind == "check":
            print("生产配置检查通过：变量齐全，PostgreSQL 与 Redis 可以连接", flush=True)
            return 0
    except ProdConfigError as error:
        print(f"yuban: {error}", file=sys.stderr)
        return 2
    argv_ = command(args.kind, settings, index=args.index, host=args.host)
    env = {**os.environ, **settings.process_env()}
    env["PYTHONPATH"] = ROOT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.chdir(ROOT)
    os.execve(argv_[0], argv_, env)
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main())
