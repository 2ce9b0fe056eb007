"""The third blind REST set (conversation round 5 of issue #15) and its development companion.

blind3 (data/blind3_questions.yml, blind3_dialogues.yml) was written before any change of the
round and measured only at its start and end; blind4 (data/blind4_questions.yml,
blind4_dialogues.yml) was written at the same time and is the round's development set. Both are
scored on the replies' payloads like the dev sets; the floors sit a little below the measured
figures (docs/conversation.md, "Fifth session") to catch a collapse.

No floor on blind3's questions the catalog has no item for: 0/6 reached not found at the start and
at the end; the search answers them confidently (knowledge/, not the conversation)."""
from __future__ import annotations

import pytest

from tests.integration.blind_sets import check_dialogues, check_questions

pytestmark = pytest.mark.integration

# A little below the figures measured at the end of the round (docs/conversation.md, "Fifth session"):
# blind3 82.0% first / 88.0% answered or offered / 88.6% turns (start: 74.0% / 82.0% / 85.7%);
# blind4 93.3% / 95.6% / 100% (on main before the round: 75.6% / 86.7% / 95.6%).
# Round 6 ("Sixth session") developed on blind3: 84.0% / 90.0% / 100%.
FLOORS = {  # name: (questions, first, answered or offered, dialogues, turns)
    "blind3": (50, 0.80, 0.86, 15, 0.95),
    "blind4": (30, 0.88, 0.91, 10, 0.95),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_questions_through_rest(rest, capsys, name):
    count, first, answered, _dialogues, _turns = FLOORS[name]
    check_questions(rest, capsys, name, count, first, answered)


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_dialogues_through_rest(rest, progress_seed, capsys, name):
    _count, _first, _answered, count, turns = FLOORS[name]
    check_dialogues(rest, progress_seed, capsys, name, count, turns)
