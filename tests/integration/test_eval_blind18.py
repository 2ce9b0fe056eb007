"""The eighteenth blind REST set (conversation round 13 of issue #15, conv11), sealed, and its development companion.

blind18 (blind18_dialogues.yml) was written at the start of the round before any change and measured only at
its start and end; blind19 (blind19_dialogues.yml) is the round's development set. The floors sit a little
below the end figures (docs/conversation.md, "Eleventh session: conversation round 13 (conv11)") to catch a
collapse. blind18 ended with one side-intent misfire (a developer's wrong beside a wish to register the flat
oneself, handed off as a complaint), left unfixed so that the set stays a test: its floor allows that one."""
from __future__ import annotations

import pytest

from tests.integration.blind_sets import check_dialogues, dialogues_through_rest

pytestmark = pytest.mark.integration

# A little below the figures measured at the end of round 13 (blind18 80.9%, blind19 89.3% of the turns).
FLOORS = {  # name: (dialogues, turns, side-intent misfires allowed)
    "blind18": (44, 0.78, 1),
    "blind19": (48, 0.85, 0),
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
