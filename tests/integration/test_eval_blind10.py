"""The tenth blind REST set (conversation round 9 of issue #15), sealed, and its development companion.

blind10 (blind10_dialogues.yml) was written at the start of the round before any change and measured only at
its start and end; blind11 (blind11_dialogues.yml) is the round's development set. The floors sit a little
below the end figures (docs/conversation.md, "Ninth session") to catch a collapse."""
from __future__ import annotations

import pytest

from tests.integration.blind_sets import check_dialogues

pytestmark = pytest.mark.integration

# A little below the figures measured at the end of round 9 (docs/conversation.md, "Ninth session").
FLOORS = {  # name: (dialogues, turns)
    "blind10": (14, 0.90),
    "blind11": (18, 0.93),
}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_dialogues_through_rest(rest, progress_seed, capsys, name):
    count, turns = FLOORS[name]
    check_dialogues(rest, progress_seed, capsys, name, count, turns)
