"""Long dialogues through REST (perf4, issue #13): what the assistant remembers over many turns.

blind_long_dialogues.yml is sealed: written at the start of the perf4 session before any change
(the window of the action request, bot/ops/action_payload.py) and measured only at its start and
end; long_dev_dialogues.yml is the development set. The floors sit a little below the end figures
(docs/performance.md, "Sixth session") to catch a collapse."""
from __future__ import annotations

import pytest

from tests.integration.blind_sets import check_dialogues

pytestmark = pytest.mark.integration

# A little below the end figures (start and end the same: 96.9% of turns, 93/96, 8 of 10 dialogues;
# the development set 100%, 26/26).
SEALED_FLOORS = (10, 0.94)  # dialogues, turn accuracy
DEV_FLOORS = (3, 0.96)


def test_blind_long_dialogues_through_rest(rest, progress_seed, capsys):
    check_dialogues(rest, progress_seed, capsys, "blind_long", *SEALED_FLOORS)


def test_long_dev_dialogues_through_rest(rest, progress_seed, capsys):
    check_dialogues(rest, progress_seed, capsys, "long_dev", *DEV_FLOORS)
