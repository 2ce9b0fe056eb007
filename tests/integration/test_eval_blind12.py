"""The twelfth blind REST set (conversation round 10 of issue #15), sealed, and its development companion.

blind12 (data/blind12_questions.yml) was written at the start of the round before any change and is
measured only at its start and end: its check prints the summary figures, never which questions failed,
so that it stays a test. blind13 (data/blind13_questions.yml) is the round's development set (its misses
are printed). Both are first messages: informational questions holding side-intent words (取消/终止/注销/
投诉/反映/不满意/变了/错了/没用), agents' summaries, complaints written like 12345 messages, and messages
the catalog has no item for. The floors sit a little below the end figures (docs/conversation.md,
"Tenth session") to catch a collapse."""
from __future__ import annotations

import pytest

from tests.integration.blind_sets import HERE, check_questions, load
from tooling.cli.dialogue_eval import turn_passes
from tooling.cli.eval_cmd import score_conversation

pytestmark = pytest.mark.integration

# A little below the figures measured at the end of round 10 (docs/conversation.md, "Tenth session"):
# blind12 79.1% first / 95.3% answered or offered / handoff recall 96.2% / unknown 6/6 (start: 79.1% / 95.3% /
# 69.2% / 6/6); blind13 87.5% / 93.8% / 96.2% / 4/6 (start: 87.5% / 93.8% / 69.2% / 4/6).
# name: (questions, first, answered or offered, handoff recall, unknown → not found or handoff)
FLOORS = {
    "blind12": (43, 0.75, 0.90, 0.90, 5),
    "blind13": (48, 0.83, 0.90, 0.90, 3),
}
SEALED = {"blind12"}


def sealed_summary(rest, capsys, name: str):
    """(scores, unknown right) of a sealed set, printed as figures only (no failing question shown)."""
    data = load(HERE / "data" / f"{name}_questions.yml")
    scores = score_conversation(rest, data["questions"], data["complaints"], verbose=False)
    unknown = sum(turn_passes({"type": "not_found"}, rest.custom_payloads(f"{name}-u-{m['id']}", m["message"]), "")
                  for m in data["unknown"])
    with capsys.disabled():
        print(f"\n[{name} (sealed): {scores.line()}]\n{scores.table()}\n"
              f"no catalog item → not found or handoff: {unknown}/{len(data['unknown'])}")
    return data, scores, unknown


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_questions_through_rest(rest, capsys, name):
    count, first, answered, handoffs, unknown_floor = FLOORS[name]
    if name not in SEALED:
        check_questions(rest, capsys, name, count, first, answered, handoff_recall=handoffs)
        data = load(HERE / "data" / f"{name}_questions.yml")
        unknown = sum(turn_passes({"type": "not_found"}, rest.custom_payloads(f"{name}-v-{m['id']}", m["message"]), "")
                      for m in data["unknown"])
        assert unknown >= unknown_floor
        return
    data, scores, unknown = sealed_summary(rest, capsys, name)
    assert len(data["questions"]) >= count
    assert scores.first >= first * scores.questions
    assert scores.answered >= answered
    assert scores.handoff_recall >= handoffs
    assert scores.false_handoff < 0.05
    assert unknown >= unknown_floor
