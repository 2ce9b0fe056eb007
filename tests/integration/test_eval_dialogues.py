"""The development dialogues through the REST channel, scored per turn and per dialogue.

Prints the table of `./yuban eval dialogues`; the floors are well below the measured
figures, to catch a collapse rather than noise."""
from __future__ import annotations

import pytest

from tooling.cli.dialogue_eval import Application, load_dialogues, score_dialogues
from tooling.cli.eval_cmd import EVAL_DIR

pytestmark = pytest.mark.integration


def test_dev_dialogues_through_rest(rest, progress_seed, capsys):
    path = EVAL_DIR / "dev_dialogues.jsonl"
    if not path.exists():
        pytest.skip("../shared/data/eval is not present")
    apps = [Application(number, last4) for number, last4, _stage, _late in progress_seed[1].examples]
    scores = score_dialogues(rest.send, load_dialogues(path), apps)
    with capsys.disabled():
        print("\n" + scores.table())
    assert scores.turn_accuracy >= 0.85  # measured 97.8% (#18)
    assert scores.success >= 0.70  # measured 93.3%
    assert scores.needless_menus <= 0.10 * scores.turns
