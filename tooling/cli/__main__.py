"""Entry point of `./yuban`: one sub-command module per concern."""
from __future__ import annotations

import argparse
import sys

from tooling.cli import (
    catalog_cmd,
    chat_cmd,
    eval_cmd,
    nlu_cmd,
    progress_cmd,
    run_cmd,
    search_cmd,
    user_cmd,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="yuban", description="渝办 yuban: 渝快办办事指南助手的命令行")
    commands = parser.add_subparsers(dest="command", required=True)
    for module in (catalog_cmd, search_cmd, eval_cmd, chat_cmd, nlu_cmd, progress_cmd, run_cmd, user_cmd):
        module.register(commands)
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
