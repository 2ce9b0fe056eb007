"""The development evaluation through the REST channel: each question a new conversation."""
from __future__ import annotations

import pytest

from bot.cli.eval_cmd import EVAL_DIR, load_jsonl, matches

pytestmark = pytest.mark.integration


def _has_item(payloads: list[dict], patterns: list[str]) -> bool:
    for p in payloads:
        if p.get("type") == "guide" and matches(p.get("item_name") or "", patterns):
            return True
        if p.get("type") == "choices" and any(matches(o["item_name"], patterns) for o in p.get("options", [])):
            return True
    return False


def test_dev_questions_and_handoffs_through_rest(rest, capsys):
    if not (EVAL_DIR / "dev_questions.jsonl").exists():
        pytest.skip("../shared/data/eval is not present")
    questions = load_jsonl(EVAL_DIR / "dev_questions.jsonl")
    complaints = load_jsonl(EVAL_DIR / "dev_out_of_scope.jsonl")
    right = handed_in_scope = 0
    for q in questions:
        payloads = rest.custom_payloads(f"eval-{q['id']}", q["question"])
        right += _has_item(payloads, q["item_patterns"])
        handed_in_scope += any(p.get("type") == "handoff" for p in payloads)
    recalled = 0
    for m in complaints:
        payloads = rest.custom_payloads(f"eval-{m['id']}", m["message"])
        recalled += any(p.get("type") == "handoff" for p in payloads) and not any(p.get("type") == "guide" for p in payloads)
    answered, handoff_recall, false_handoff = right / len(questions), recalled / len(complaints), handed_in_scope / len(questions)
    with capsys.disabled():
        print(f"\n[conversation eval] right item answered or offered {answered:.1%} ({right}/{len(questions)}), "
              f"handoff recall {handoff_recall:.1%} ({recalled}/{len(complaints)}), in-scope handed off {false_handoff:.1%}")
    assert answered >= 0.90
    assert handoff_recall >= 0.85
    assert false_handoff < 0.05
