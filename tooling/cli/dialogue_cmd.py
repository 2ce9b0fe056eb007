"""The command side of `./yuban eval dialogues`: where the stack and the demo applications come from."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from tooling.cli.common import fail
from tooling.cli.dialogue_eval import (
    Application,
    applications_from_url,
    load_dialogues,
    score_dialogues,
)

PORT_OFFSET_ENV = "YUBAN_TEST_PORT_OFFSET"


def register(evaluations, eval_dir: Path) -> None:
    d = evaluations.add_parser("dialogues", help="多轮对话评测（逐轮发送，按回复载荷打分）")
    d.add_argument("--data", type=Path, default=eval_dir)
    d.add_argument("--url", default="http://127.0.0.1:5005", help="运行中的助手（不加 --start 时）")
    d.add_argument("--start", action="store_true", help="自行启动一套独立的助手（独立端口、目录和办件库）")
    d.add_argument("--progress-db", default=None, help="办件库地址（默认 YUBAN_PROGRESS_DATABASE_URL）")
    d.add_argument("--verbose", "-v", action="store_true", help="列出答错的轮次")
    d.set_defaults(handler=eval_dialogues)


def eval_dialogues(args) -> int:
    from tooling.cli.rest_client import RestClient

    path = args.data / "dev_dialogues.jsonl"
    if not path.exists():
        print(f"skipped: {path} not found")
        return 0
    dialogues = load_dialogues(path)
    if args.start:
        with tempfile.TemporaryDirectory(prefix="yuban-dialogues-") as folder:
            stack, client, apps = start_private_stack(Path(folder))
            try:
                scores = score_dialogues(client.send, dialogues, apps, args.verbose)
            finally:
                stack.stop()
    else:
        client = RestClient(args.url)
        if not client.is_up():
            fail(f"助手未运行（{args.url}）：请先 make run，或加 --start")
        from progress_service.repository import database_url

        apps = applications_from_url(args.progress_db or database_url())
        scores = score_dialogues(client.send, dialogues, apps, args.verbose)
    print(scores.table())
    return 0


def start_private_stack(folder: Path):
    """A stack of its own (catalog, progress database, conversations) on ports moved by
    YUBAN_TEST_PORT_OFFSET, as the integration tests start one."""
    import subprocess
    import sys
    from datetime import datetime

    from tooling import services
    from tooling.cli.rest_client import RestClient
    from progress_service.seed import seed_url

    if not services.MODEL.exists():
        fail("没有训练好的模型：请先 ./yuban train")
    offset = int(os.environ.get(PORT_OFFSET_ENV, "0"))
    catalog_url = f"sqlite:///{folder / 'catalog.db'}"
    progress_url = f"sqlite:///{folder / 'progress.db'}"
    env = {**services.base_env(), "YUBAN_DATABASE_URL": catalog_url}
    subprocess.run([sys.executable, "-m", "tooling.cli", "catalog", "import", str(services.ROOT / "data" / "catalog")],
                   cwd=services.ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    report = seed_url(progress_url, reference=datetime(2026, 11, 2, 9, 0))
    apps = [Application(number, last4) for number, last4, _stage, _late in report.examples]
    apps += [a for a in applications_from_url(progress_url) if a not in apps]
    rasa_port, actions_port, progress_port = 5305 + offset, 5355 + offset, 8300 + offset
    stack = services.Stack(rasa_port=rasa_port, actions_port=actions_port, progress_port=progress_port,
                           log_dir=folder / "log",
                           extra_env={"YUBAN_DATABASE_URL": catalog_url, "YUBAN_PROGRESS_DATABASE_URL": progress_url,
                                      "YUBAN_TRACKER_DB": str(folder / "conversations.db"),
                                      "YUBAN_EVENTS_DB": str(folder / "events.db")})
    stack.start(log=lambda *_: None)
    return stack, RestClient(f"http://127.0.0.1:{rasa_port}"), apps
