"""Rasa's own checks: data validation, end-to-end stories, and an NLU report."""
from __future__ import annotations

import json
import subprocess

import pytest

from tooling import services
from tests.integration.conftest import rasa_command, rasa_env

pytestmark = pytest.mark.integration
ROOT = services.ROOT


def run_rasa(*args: str, **extra_env: str) -> subprocess.CompletedProcess:
    return subprocess.run(rasa_command(*args), cwd=ROOT, env=rasa_env(**extra_env), capture_output=True, text=True)


def test_rasa_data_validate():
    result = run_rasa("data", "validate", "--domain", "bot/domain", "--data", "data/nlu", "data/rules", "data/stories",
                      "--config", "config.yml", "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_end_to_end_stories_pass_without_prediction_errors(stack, tmp_path):
    result = run_rasa("test", "core", "--model", str(services.MODEL), "--stories", "tests/e2e", "--endpoints",
                      "endpoints.yml", "--fail-on-prediction-errors", "--out", str(tmp_path / "e2e"))
    failed = tmp_path / "e2e" / "failed_test_stories.yml"
    detail = failed.read_text(encoding="utf-8")[-4000:] if failed.exists() else result.stdout[-3000:]
    assert result.returncode == 0, detail


def test_nlu_report_on_a_held_out_split(tmp_path, capsys):
    """Train the NLU pipeline on 80% of the examples and report intent F1 on the rest."""
    split = tmp_path / "split"
    assert run_rasa("data", "split", "nlu", "--nlu", "data/nlu", "--training-fraction", "0.8", "--random-seed", "7",
                    "--out", str(split)).returncode == 0
    train_file = next(split.glob("training_data*"))
    test_file = next(split.glob("test_data*"))
    trained = run_rasa("train", "nlu", "--config", "config.yml", "--nlu", str(train_file), "--out", str(tmp_path / "models"),
                       "--fixed-model-name", "nlu-split")
    assert trained.returncode == 0, trained.stdout[-3000:]
    tested = run_rasa("test", "nlu", "--model", str(tmp_path / "models" / "nlu-split.tar.gz"), "--nlu", str(test_file),
                      "--out", str(tmp_path / "report"))
    assert tested.returncode == 0, tested.stdout[-3000:]
    report = json.loads((tmp_path / "report" / "intent_report.json").read_text())
    intents = {k: v for k, v in report.items() if isinstance(v, dict) and "f1-score" in v and k not in
               ("macro avg", "weighted avg", "micro avg")}
    with capsys.disabled():
        print("\n[NLU held-out report] intent        F1     support")
        for name, values in sorted(intents.items()):
            print(f"  {name:<22} {values['f1-score']:.3f}  {values['support']}")
        print(f"  macro avg F1 {report['macro avg']['f1-score']:.3f}, weighted avg F1 {report['weighted avg']['f1-score']:.3f}")
    assert report["weighted avg"]["f1-score"] >= 0.80  # a regression guard; the figure is in the printed report
