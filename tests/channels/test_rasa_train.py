"""`./yuban train`'s command (bot/ops/rasa_train.py) trains the model `rasa train` trains, without
TensorFlow (Rasa environment; both trainings run, about a minute together)."""
from __future__ import annotations

import ast
import importlib.util
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import numpy as np
import pytest

from bot.ops import rasa_train
from tooling import services

ARGS = ["--config", "config.yml", "--domain", "bot/domain", "--data", "data/nlu", "data/rules", "data/stories",
        "--fixed-model-name", "yuban", "--force"]
# Our command, reporting at exit which of the heavy libraries the process imported.
OURS = ("import atexit, sys\n"
        "atexit.register(lambda: print('IMPORTED', sorted(m for m in ('tensorflow', 'keras', 'matplotlib')"
        " if m in sys.modules)))\n"
        "from bot.ops import rasa_train\n"
        "sys.exit(rasa_train.main(sys.argv[1:]))\n")


def unpacked(archive: Path, into: Path) -> Path:
    with tarfile.open(archive) as tar:
        tar.extractall(into)
    return into


def comparable_metadata(path: Path) -> dict:
    """metadata.json without what differs between any two trainings (time, id, random resource ids)."""
    metadata = json.loads(path.read_text())
    for key in ("trained_at", "model_id"):
        metadata.pop(key)
    for schema in ("train_schema", "predict_schema"):
        for node in metadata[schema]["nodes"].values():
            if node.get("resource"):
                node["resource"].pop("output_fingerprint", None)
    return metadata


def classifier(path: Path):
    import skops.io

    return skops.io.load(path, trusted=skops.io.get_untrusted_types(file=path))


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, tuple[Path, str]]:
    if not (services.ROOT / "build" / "jieba").exists():
        pytest.fail("no jieba dictionary: run `./yuban train` once (it writes build/jieba)")
    env = {**services.base_env(), "PYTHONHASHSEED": "0"}  # Rasa's own sets of names then iterate alike
    runs = {"rasa": [str(Path(sys.executable).with_name("rasa")), "train"], "ours": [sys.executable, "-c", OURS]}
    result = {}
    for name, command in runs.items():
        out = tmp_path_factory.mktemp(name)
        done = subprocess.run([*command, *ARGS, "--out", str(out)], cwd=services.ROOT, env=env, text=True,
                              capture_output=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        result[name] = (unpacked(out / "yuban.tar.gz", out / "model"), done.stdout)
    return result


def test_ours_imports_neither_tensorflow_nor_matplotlib(models):
    _, stdout = models["ours"]
    assert "IMPORTED []" in stdout


def test_the_model_is_the_one_rasa_trains(models):
    rasa_dir, ours_dir = models["rasa"][0], models["ours"][0]
    files = sorted(path.relative_to(rasa_dir) for path in rasa_dir.rglob("*") if path.is_file())
    assert files == sorted(path.relative_to(ours_dir) for path in ours_dir.rglob("*") if path.is_file())
    assert any(path.suffix == ".skops" for path in files) and len(files) > 10
    for path in files:
        if path.name == "metadata.json":
            assert comparable_metadata(rasa_dir / path) == comparable_metadata(ours_dir / path)
        elif path.suffix == ".skops":  # a zip whose member names are object ids: compare the classifier
            theirs, mine = classifier(rasa_dir / path), classifier(ours_dir / path)
            assert theirs.get_params() == mine.get_params()
            assert list(theirs.classes_) == list(mine.classes_)
            assert np.array_equal(theirs.coef_, mine.coef_) and np.array_equal(theirs.intercept_, mine.intercept_)
        else:
            assert (rasa_dir / path).read_bytes() == (ours_dir / path).read_bytes(), path


def test_default_components_are_found_by_their_own_module():
    modules = rasa_train.default_component_modules()
    assert modules["JiebaTokenizer"] == "rasa.nlu.tokenizers.jieba_tokenizer"
    assert modules["RulePolicy"] == "rasa.core.policies.rule_policy"
    assert modules["DIETClassifier"] == "rasa.nlu.classifiers.diet_classifier"
    # every class of Rasa's list (read from the file, without importing it: that imports TensorFlow)
    source = Path(importlib.util.find_spec(rasa_train.DEFAULT_COMPONENTS_MODULE).origin).read_text()
    listed = next(node.value for node in ast.parse(source).body
                  if isinstance(node, ast.Assign) and node.targets[0].id == "DEFAULT_COMPONENTS")
    names = [element.id for element in listed.elts]
    assert len(names) > 30 and set(names) <= set(modules)
    for name in names:
        assert f"class {name}(" in Path(importlib.util.find_spec(modules[name]).origin).read_text()

