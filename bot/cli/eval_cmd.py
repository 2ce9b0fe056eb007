"""`./yuban eval search|conversation`: the development evaluation over ../shared/data/eval.

`search` measures the catalog search alone (item top-1 / top-3); `conversation` sends
every question as a new conversation through the running assistant's REST channel and
reads the `custom` payloads of its replies.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from bot.cli.common import fail, open_store
from knowledge.db import ROOT
from knowledge.service import CatalogService

EVAL_DIR = ROOT.parent / "shared" / "data" / "eval"


def register(commands) -> None:
    p = commands.add_parser("eval", help="用开发评测集评估检索或对话").add_subparsers(dest="what", required=True)
    s = p.add_parser("search", help="检索 top-1 / top-3 准确率")
    s.add_argument("--data", type=Path, default=EVAL_DIR)
    s.add_argument("--verbose", "-v", action="store_true", help="列出答错的问题")
    s.set_defaults(handler=eval_search)
    c = p.add_parser("conversation", help="通过 REST 通道逐条发送问题")
    c.add_argument("--data", type=Path, default=EVAL_DIR)
    c.add_argument("--url", default="http://127.0.0.1:5005")
    c.add_argument("--verbose", "-v", action="store_true")
    c.set_defaults(handler=eval_conversation)
    from bot.cli.dialogue_cmd import register as register_dialogues

    register_dialogues(p, EVAL_DIR)


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def matches(name: str, patterns: list[str]) -> bool:
    return any(re.search(p, name) for p in patterns)


@dataclass
class SearchScores:
    total: int
    top1: int
    top3: int

    def line(self) -> str:
        return (f"search eval: {self.total} questions, top-1 {self.top1 / self.total:.1%} ({self.top1}), "
                f"top-3 {self.top3 / self.total:.1%} ({self.top3})")


def score_search(service: CatalogService, questions: list[dict], verbose: bool = False) -> SearchScores:
    top1 = top3 = 0
    for q in questions:
        names = [c.name for c in service.search(q["question"], top=3).candidates]
        hit1 = bool(names) and matches(names[0], q["item_patterns"])
        hit3 = any(matches(n, q["item_patterns"]) for n in names)
        top1 += hit1
        top3 += hit3
        if verbose and not hit1:
            print(f"  {'~' if hit3 else '✗'} {q['id']} {q['question'][:40]} → {names} (want {q['item_patterns']})")
    return SearchScores(len(questions), top1, top3)


def eval_search(args) -> int:
    path = args.data / "dev_questions.jsonl"
    if not path.exists():
        print(f"skipped: {path} not found")
        return 0
    scores = score_search(CatalogService(open_store()), load_jsonl(path), args.verbose)
    print(scores.line())
    return 0


def eval_conversation(args) -> int:
    from bot.cli.rest_client import RestClient

    questions_path, oos_path = args.data / "dev_questions.jsonl", args.data / "dev_out_of_scope.jsonl"
    if not questions_path.exists():
        print(f"skipped: {questions_path} not found")
        return 0
    client = RestClient(args.url)
    if not client.is_up():
        fail(f"助手未运行（{args.url}）：请先 make run")
    complaints = load_jsonl(oos_path) if oos_path.exists() else []
    print(score_conversation(client, load_jsonl(questions_path), complaints, args.verbose).line())
    return 0


@dataclass
class ConversationScores:
    questions: int
    right: int
    handed_in_scope: int
    complaints: int
    recalled: int

    @property
    def answered(self) -> float:
        return self.right / self.questions

    @property
    def false_handoff(self) -> float:
        return self.handed_in_scope / self.questions

    @property
    def handoff_recall(self) -> float:
        return self.recalled / max(self.complaints, 1)

    def line(self) -> str:
        return (f"conversation eval: right item answered or offered {self.answered:.1%} ({self.right}/{self.questions}), "
                f"handoff recall {self.handoff_recall:.1%} ({self.recalled}/{self.complaints}), "
                f"in-scope handed off {self.false_handoff:.1%}")


def score_conversation(client, questions: list[dict], complaints: list[dict], verbose: bool = False) -> ConversationScores:
    """Each question and complaint as a new conversation, judged by the replies' custom payloads."""
    right = handed_in_scope = recalled = 0
    for index, q in enumerate(questions):
        payloads = client.custom_payloads(f"eval-q-{index}-{q['id']}", q["question"])
        ok = any(_payload_has_item(p, q["item_patterns"]) for p in payloads)
        right += ok
        handed_in_scope += any(p.get("type") == "handoff" for p in payloads)
        if verbose and not ok:
            print(f"  ✗ {q['id']} {q['question'][:40]} → {payloads[:2]}")
    for index, m in enumerate(complaints):
        payloads = client.custom_payloads(f"eval-o-{index}-{m['id']}", m["message"])
        ok = any(p.get("type") == "handoff" for p in payloads) and not any(p.get("type") == "guide" for p in payloads)
        recalled += ok
        if verbose and not ok:
            print(f"  ✗ {m['id']} {m['message'][:40]} → {payloads[:2]}")
    return ConversationScores(len(questions), right, handed_in_scope, len(complaints), recalled)


def _payload_has_item(payload: dict, patterns: list[str]) -> bool:
    if payload.get("type") == "guide":
        return matches(payload.get("item_name") or "", patterns)
    if payload.get("type") == "choices":
        return any(matches(o.get("item_name") or "", patterns) for o in payload.get("options", []))
    return False
