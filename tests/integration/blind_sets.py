"""Scoring of the blind REST sets (blind2_…, blind3_…, blind4_…): questions each in a new
conversation, items the catalog lacks, complaints, and multi-turn dialogues, printed as tables."""
from __future__ import annotations

from pathlib import Path

import yaml

from tooling.cli.dialogue_eval import Application, score_dialogues, turn_passes
from tooling.cli.eval_cmd import matches, score_conversation

HERE = Path(__file__).parent
SHOWN = ("guide", "choices", "bundle", "not_found", "handoff")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def questions_through_rest(rest, capsys, name: str):
    """(data, scores, unknown_right) for data/<name>_questions.yml; misses printed: ✗ neither answered
    nor offered, ~ not answered first (what came first instead)."""
    data = load(HERE / "data" / f"{name}_questions.yml")
    scores = score_conversation(rest, data["questions"], data["complaints"], verbose=True)
    unknown_right, misses = 0, []
    for m in data["unknown"]:
        payloads = rest.custom_payloads(f"{name}-u-{m['id']}", m["message"])
        ok = turn_passes({"type": "not_found"}, payloads, "")
        unknown_right += ok
        if not ok:
            misses.append(f"  ✗ {m['id']} {m['message']} → {payloads[:2]}")
    for q in data["questions"]:
        shown = [p for p in rest.custom_payloads(f"{name}-f-{q['id']}", q["question"]) if p.get("type") in SHOWN]
        head = shown[0] if shown else {}
        if not (head.get("type") == "guide" and matches(head.get("item_name") or "", q["item_patterns"])):
            named = head.get("item_name") or head.get("bundle_name") or [o["item_name"] for o in head.get("options", [])][:3]
            misses.append(f"  ~ {q['id']} {q['question']} → {head.get('type')} {named}")
    with capsys.disabled():
        print("\n" + "\n".join(misses))
        print(f"[{name}: {scores.line()}]\n{scores.table()}\nno catalog item → not found or handoff: "
              f"{unknown_right}/{len(data['unknown'])}")
    return data, scores, unknown_right


def dialogues_through_rest(rest, progress_seed, capsys, name: str):
    """(dialogues, scores) for <name>_dialogues.yml, each turn printed (verbose)."""
    dialogues = load(HERE / f"{name}_dialogues.yml")["dialogues"]
    apps = [Application(number, last4) for number, last4, _stage, _late in progress_seed[1].examples]
    with capsys.disabled():
        scores = score_dialogues(rest.send, dialogues, apps, verbose=True)
        print(f"\n[{name} dialogues]\n" + scores.table())
    return dialogues, scores


def check_questions(rest, capsys, name: str, count: int, first: float, answered: float,
                    handoff_recall: float = 0.8, false_handoff: float = 0.05) -> None:
    """A blind REST set's questions hold their floors: at least `count` questions, the right item
    answered first in `first` of them, answered or offered in `answered`, out-of-scope handed off
    and in-scope questions not."""
    data, scores, _unknown = questions_through_rest(rest, capsys, name)
    assert len(data["questions"]) >= count
    assert scores.first >= first * scores.questions
    assert scores.answered >= answered
    assert scores.handoff_recall >= handoff_recall
    assert scores.false_handoff < false_handoff


def check_dialogues(rest, progress_seed, capsys, name: str, count: int, turns: float) -> None:
    """A blind set's dialogues hold their floors: at least `count` dialogues, `turns` of the turns
    right, no side intent taking a question."""
    dialogues, scores = dialogues_through_rest(rest, progress_seed, capsys, name)
    assert len(dialogues) >= count
    assert scores.turn_accuracy >= turns
    assert scores.misfires == 0
