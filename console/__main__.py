"""`python -m console --port 8000`: the web console (agent assist, curation, dashboard)."""
from __future__ import annotations

import argparse
import sys

from monitoring import logs

from console.app import serve
from console.settings import Settings, SettingsError
from console.messages import message


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="console", description=message("operator.description"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=None, help=message("operator.port_help"))
    args = parser.parse_args(argv)
    logs.configure("console")  # JSON lines, personal data masked (docs/operations.md)
    try:
        overrides = {"host": args.host} | ({"port": args.port} if args.port else {})
        settings = Settings.from_env(**overrides)
    except SettingsError as error:
        print(f"console: {error}", file=sys.stderr)
        return 2
    print(message("operator.serving", host=settings.host, port=settings.port), flush=True)
    try:
        serve(settings)
    except (OSError, ValueError) as error:
        print(message("operator.cannot_start", error=error), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
