"""The sixteenth blind REST set (conversation round 12 of issue #15, conv10), sealed, and its development companion.

blind16 (blind16_dialogues.yml) was written at the start of the round before any change and measured only at
its start and end; blind17 (blind17_dialogues.yml) is the round's development set. The floors sit a little
below the end figures (docs/conversation.md, "Eleventh session: conversation round 12 (conv10)") to catch a
collapse. blind16 ended with one side-intent misfire (an employer's wrong beside a wish to pay arrears, handed
off as a complaint), left unfixed so that the set stays a test: its floor allows that one and no more."""
from __future__ import annotations

import pytest

from tests.integration.blind_sets import check_dialogues, dialogues_through_rest

pytestmark = pytest.mark.integration

# A little below the figures measured at the end of round 12 (blind16 82.7%, blind17 94.3% of the turns).
FLOORS = {  # name: (dialogues, turns, side-intent misfires allowed)
    "blind16": (47, 0.79, 1),
    "blind17": (51, 0.90, 0),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_dialogues_through_rest(rest, progress_seed, capsys, name):
    count, turns, misfires = FLOORS[name]
    if misfires == 0:
        check_dialogues(rest, progress_seed, capsys, name, count, turns)
        return
    dialogues, scores = dialogues_through_rest(rest, progress_seed, capsys, name)
    assert len(dialogues) >= count
    assert scores.turn_accuracy >= turns
    assert scores.misfires <= misfires
