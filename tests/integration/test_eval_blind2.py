"""The second blind REST set (conversation round 3 of issue #15), written before any of its
failures was looked at: single questions as new conversations (data/blind2_questions.yml) and
multi-turn dialogues (blind2_dialogues.yml), scored on the replies' payloads like the dev sets.

The floors sit below the measured figures (docs/conversation.md) to catch a collapse."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tooling.cli.dialogue_eval import Application, score_dialogues, turn_passes
from tooling.cli.eval_cmd import score_conversation

pytestmark = pytest.mark.integration

HERE = Path(__file__).parent


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_blind2_questions_through_rest(rest, capsys):
    data = _load(HERE / "data" / "blind2_questions.yml")
    scores = score_conversation(rest, data["questions"], data["complaints"], verbose=True)
    unknown_right, misses = 0, []
    for m in data["unknown"]:
        payloads = rest.custom_payloads(f"blind2-u-{m['id']}", m["message"])
        ok = turn_passes({"type": "not_found"}, payloads, "")
        unknown_right += ok
        if not ok:
            misses.append(f"  ✗ {m['id']} {m['message']} → {payloads[:2]}")
    with capsys.disabled():
        print("\n" + "\n".join(misses))
        print(f"[{scores.line()}]\n{scores.table()}\nno catalog item → not found or handoff: "
              f"{unknown_right}/{len(data['unknown'])}")
    assert len(data["questions"]) >= 60
    assert scores.first >= 0.75 * scores.questions  # measured 77.4% before this round, 85.5% after
    assert scores.answered >= 0.88  # 91.9% before, 93.5% after
    assert scores.handoff_recall >= 0.8  # 83.3% before, 100% after
    assert scores.false_handoff < 0.05  # 1.6% before (a past complaint beside a question), 0 after
    # the search answers most questions the catalog has no item for (a calibration cause, docs/conversation.md)
    assert unknown_right >= 2  # 3/8 before, 4/8 after


def test_blind2_dialogues_through_rest(rest, progress_seed, capsys):
    dialogues = _load(HERE / "blind2_dialogues.yml")["dialogues"]
    apps = [Application(number, last4) for number, last4, _stage, _late in progress_seed[1].examples]
    with capsys.disabled():
        scores = score_dialogues(rest.send, dialogues, apps, verbose=True)
        print("\n" + scores.table())
    assert len(dialogues) >= 10
    assert scores.turn_accuracy >= 0.90  # measured 89.7% before this round, 100% after
    assert scores.misfires == 0
