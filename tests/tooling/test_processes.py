"""One table of process commands (issue #17, item 2): every launcher builds its commands there."""
from __future__ import annotations

import re

from cryptography.fernet import Fernet

from tooling import processes, services
from tooling.prod import launch
from tooling.prod.settings import ProdSettings

ROOT = processes.ROOT
CODE = ("actions", "bot", "channels", "console", "core", "knowledge", "monitoring", "progress_service", "tooling")


def test_only_the_table_spells_out_a_rasa_or_server_command():
    spelled = []
    for folder in CODE:
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if path != ROOT / "tooling" / "processes.py" and re.search(r'"--model"|"-m", "actions\.server"|"--endpoints"', text):
                spelled.append(path.relative_to(ROOT).as_posix())
    assert spelled == []


def test_the_embedded_stack_starts_the_table_s_commands():
    stack = services.Stack(rasa_port=6005, actions_port=6055, progress_port=6100, console_port=6000)
    commands = stack.commands("var/x.yml")
    assert list(commands) == ["progress", "actions", "console", "rasa"]
    assert commands["rasa"] == processes.command("rasa", 6005, credentials="var/x.yml")
    assert commands["rasa"][1:5] == ["-m", "bot.ops.rasa_server", "run", "--model"] and "endpoints.yml" in commands["rasa"]
    assert commands["actions"] == processes.command("actions", 6055)


def test_the_production_launcher_uses_the_same_table():
    settings = ProdSettings.from_env({"YUBAN_DATABASE_URL": "postgresql://u@h/a", "YUBAN_TRACKER_DATABASE_URL":
                                      "postgresql://u@h/b", "YUBAN_EVENTS_DATABASE_URL": "postgresql://u@h/c",
                                      "YUBAN_PROGRESS_DATABASE_URL": "postgresql://u@h/d", "YUBAN_REDIS_URL":
                                      "redis://:pw@h:6379/0", "YUBAN_SEAL_KEY": Fernet.generate_key().decode(),
                                      "YUBAN_HASH_SALT": "a-salt-of-this-test", "YUBAN_PROGRESS_TOKEN": "t" * 32,
                                      "YUBAN_IDENTITY_KEY": "k" * 40})
    rasa = launch.command("rasa", settings, index=1, host="0.0.0.0", credentials="c.yml")
    assert rasa == processes.command("rasa", settings.rasa_port + 1, host="0.0.0.0", profile="prod",
                                     credentials="c.yml")
    assert "deploy/endpoints.prod.yml" in rasa
    actions = launch.command("actions", settings)
    assert actions == processes.command("actions", settings.actions_port, profile="prod", reuse_port=True)
    # the two profiles differ only where they must: endpoints, credentials and the shared action port
    embedded = processes.command("rasa", settings.rasa_port + 1, host="0.0.0.0", credentials="c.yml")
    assert [a for a in rasa if a not in embedded] == ["deploy/endpoints.prod.yml"]


def test_supervisord_and_the_containers_start_processes_through_the_launcher():
    files = [ROOT / "deploy" / "supervisord.conf", ROOT / "deploy" / "docker-compose.yml",
             *(ROOT / "deploy" / "docker").glob("*.Dockerfile")]
    for path in files:
        text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines()
                         if not line.lstrip().startswith(("#", ";")))  # commands, not comments
        modules = set(re.findall(r'-m["\s,]+"?([a-z_][a-z0-9_.]*)', text))
        assert modules <= {"tooling.prod.launch", "tooling.cli"}, f"{path.name}: {modules}"
        assert "rasa run" not in text and "actions.server" not in text
