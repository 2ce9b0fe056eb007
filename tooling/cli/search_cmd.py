"""`./yuban search`: free text to ranked items, one JSON line per question."""
from __future__ import annotations

import json
import sys

from knowledge.service import CatalogService
from tooling.cli.common import open_store


def register(commands) -> None:
    p = commands.add_parser("search", help="按问题检索事项")
    p.add_argument("question", nargs="?", help="问题；省略时从标准输入逐行读取")
    p.add_argument("--top", type=int, default=5)
    p.add_argument("--json", action="store_true", help="输出 JSON 行")
    p.set_defaults(handler=run)


def run(args) -> int:
    service = CatalogService(open_store())
    questions = [args.question] if args.question else (line.strip() for line in sys.stdin)
    for question in questions:
        if not question:
            continue
        result = service.search(question, top=args.top)
        if args.json:
            print(json.dumps(result.to_json(), ensure_ascii=False), flush=True)
        else:
            district = f"（{result.district.name}）" if result.district else ""
            print(f"{question}{district} → {result.decision}")
            if result.bundle:
                print(f"  一件事: {result.bundle.name} [{result.bundle.code}] {result.bundle.score:.3f}")
            for i, c in enumerate(result.candidates, 1):
                print(f"  {i}. {c.name} [{c.code}] {c.score:.3f} 置信度 {c.confidence:.2f}")
    return 0
