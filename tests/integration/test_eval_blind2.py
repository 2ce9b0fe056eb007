"""The second blind REST set (conversation round 3 of issue #15), written before any of its
failures was looked at: single questions as new conversations (data/blind2_questions.yml) and
multi-turn dialogues (blind2_dialogues.yml), scored on the replies' payloads like the dev sets.

The floors sit below the measured figures (docs/conversation.md) to catch a collapse."""
from __future__ import annotations

import pytest

from tests.integration.blind_sets import dialogues_through_rest, questions_through_rest

pytestmark = pytest.mark.integration


def test_blind2_questions_through_rest(rest, capsys):
    data, scores, unknown_right = questions_through_rest(rest, capsys, "blind2")
    assert len(data["questions"]) >= 60
    assert scores.first >= 0.75 * scores.questions  # measured 77.4% before this round, 85.5% after
    assert scores.answered >= 0.88  # 91.9% before, 93.5% after
    assert scores.handoff_recall >= 0.8  # 83.3% before, 100% after
    assert scores.false_handoff < 0.05  # 1.6% before (a past complaint beside a question), 0 after
    # the search answers most questions the catalog has no item for (a calibration cause, docs/conversation.md)
    assert unknown_right >= 2  # 3/8 before, 4/8 after


def test_blind2_dialogues_through_rest(rest, progress_seed, capsys):
    dialogues, scores = dialogues_through_rest(rest, progress_seed, capsys, "blind2")
    assert len(dialogues) >= 10
    assert scores.turn_accuracy >= 0.90  # measured 89.7% before this round, 100% after
    assert scores.misfires == 0
