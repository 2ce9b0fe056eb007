"""The Rasa server as tooling/processes.py starts it (bot/ops/rasa_server.py) answers a guide
conversation without ever loading TensorFlow; the model's train schema, built on first use
(bot/ops/deferred_train_schema.py), is the one Rasa builds (Rasa environment)."""
from __future__ import annotations

import copy
import json
import os
import subprocess
import tarfile
import urllib.request
from pathlib import Path

import pytest

from bot.ops import deferred_train_schema
from tooling import processes, services

OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))
RASA_PORT, ACTIONS_PORT = 5140 + OFFSET, 5185 + OFFSET


def model_metadata() -> dict:
    if not services.MODEL.exists():
        pytest.fail("no trained model: run `./yuban train`")
    with tarfile.open(services.MODEL) as archive:
        member = next(member for member in archive.getmembers() if member.name.lstrip("/") == "metadata.json")
        return json.load(archive.extractfile(member))


@pytest.fixture
def deferring():
    deferred_train_schema.install()
    yield
    deferred_train_schema.uninstall()


def test_the_train_schema_is_built_on_first_use_and_is_rasa_s_own(deferring):
    from rasa.engine.graph import GraphSchema
    from rasa.engine.storage.storage import ModelMetadata

    serialized = model_metadata()
    metadata = ModelMetadata.from_dict(copy.deepcopy(serialized))
    assert type(metadata.train_schema) is not GraphSchema and isinstance(metadata.train_schema, GraphSchema)
    assert metadata.predict_schema == GraphSchema.from_dict(copy.deepcopy(serialized["predict_schema"]))
    copied = copy.deepcopy(metadata.train_schema)
    rasa_s = GraphSchema.from_dict(copy.deepcopy(serialized["train_schema"]))
    assert type(copied) is GraphSchema and copied == rasa_s
    assert metadata.train_schema == rasa_s and type(metadata.train_schema) is GraphSchema  # resolved by comparing
    assert metadata.as_dict()["train_schema"] == serialized["train_schema"]
    assert any(node.uses.__name__ == "DefaultV1RecipeValidator" for node in metadata.train_schema.nodes.values())


@pytest.mark.parametrize("uses", ["bot.no_such_module.Component", "no_such_package.module.Component", "Component"])
def test_a_train_schema_naming_a_missing_module_is_refused_at_load(deferring, uses):
    from rasa.engine.exceptions import GraphSchemaException
    from rasa.engine.storage.storage import ModelMetadata

    serialized = model_metadata()
    node = next(iter(serialized["train_schema"]["nodes"].values()))
    node["uses"] = uses
    with pytest.raises(GraphSchemaException, match=uses):
        ModelMetadata.from_dict(serialized)


def say(sender: str, text: str) -> list[dict]:
    request = urllib.request.Request(f"http://127.0.0.1:{RASA_PORT}/webhooks/rest/webhook",
                                     data=json.dumps({"sender": sender, "message": text}).encode("utf-8"),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


@pytest.mark.integration
def test_the_server_answers_a_guide_conversation_without_tensorflow(tmp_path):
    catalog = f"sqlite:///{tmp_path / 'catalog.db'}"
    env = {"YUBAN_DATABASE_URL": catalog, "YUBAN_TRACKER_DB": str(tmp_path / "conversations.db"),
           "YUBAN_EVENTS_DB": str(tmp_path / "events.db")}
    subprocess.run([processes.executable("actions", "python"), "-m", "tooling.cli", "catalog", "import",
                    str(services.ROOT / "data" / "catalog")], cwd=services.ROOT, env={**services.base_env(), **env},
                   check=True, stdout=subprocess.DEVNULL)
    stack = services.Stack(rasa_port=RASA_PORT, actions_port=ACTIONS_PORT, progress_port=None,
                           log_dir=tmp_path / "log", extra_env=env)
    assert stack.commands()["rasa"][1:3] == ["-m", "bot.ops.rasa_server"]
    stack.start(log=lambda *_: None)
    try:
        first = say("lazy-tf-1", "开公司要准备哪些材料")
        assert "材料" in first[0]["text"]
        for text in ("那在哪里办", "要多久能办好", "谢谢"):
            assert any(message.get("text") for message in say("lazy-tf-1", text)), text
        maps = Path(f"/proc/{stack.processes['rasa'].pid}/maps").read_text(encoding="utf-8")
        assert "libpython3" in maps or "/python3" in maps  # the maps of a live Python process were read
        assert "sklearn" in maps  # the classifier's native libraries are mapped: the model is loaded
        assert "tensorflow" not in maps and "keras" not in maps
    finally:
        stack.stop()
    log = (tmp_path / "log" / f"rasa-{RASA_PORT}.log").read_text(encoding="utf-8")
    assert "lazy modules executed: none" in log
    assert "heap frozen after the model loaded" in log  # bot/ops/heap_freeze.py
