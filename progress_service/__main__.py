"""`python -m progress_service --host 127.0.0.1 --port 8100`: the local progress service."""
from __future__ import annotations

import argparse
import sys

from monitoring import logs
from progress_service.app import serve
from progress_service.settings import Settings, SettingsError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="progress_service", description="本地办件进度服务（演示数据）")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    parser.add_argument("--no-seed", action="store_true", help="数据库为空时不生成演示办件")
    args = parser.parse_args(argv)
    logs.configure("progress")
    try:
        settings = Settings.from_env(host=args.host, port=args.port, seed_if_empty=not args.no_seed)
    except SettingsError as error:
        print(f"progress_service: {error}", file=sys.stderr)
        return 2
    print(f"办件进度服务: http://{settings.host}:{settings.port}/health", flush=True)
    try:
        serve(settings)
    except (OSError, ValueError) as error:  # port in use, unreadable catalog, bad database URL
        print(f"progress_service: 无法启动: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
