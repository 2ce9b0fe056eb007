"""The deployment files (deploy/): they parse, name only variables the code reads, run commands
that exist, agree on ports — and the supervisord configuration really starts the profile."""
from __future__ import annotations

import configparser
import importlib.util
import json
import os
import re
import signal
import subprocess
import time

import pytest
import yaml

from tooling import services
from tooling.prod import launch
from tooling.prod.settings import PORTS
from tests.production.conftest import OFFSET, prod_environment, send, texts

pytestmark = pytest.mark.integration

ROOT = services.ROOT
DEPLOY = ROOT / "deploy"
CODE_DIRS = ("actions", "bot", "channels", "console", "core", "knowledge", "monitoring", "progress_service", "reminders",
             "tooling")
# read by the postgres image, TensorFlow, SQLAlchemy and Rasa, not by our code
NOT_OURS = {"POSTGRES_PASSWORD", "REDIS_PASSWORD", "REDISCLI_AUTH", "TF_CPP_MIN_LOG_LEVEL", "SQLALCHEMY_SILENCE_UBER_WARNING", "RASA_TELEMETRY_ENABLED"}


def code_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for folder in CODE_DIRS
                     for path in (ROOT / folder).rglob("*.py"))


def variables_in_deploy_files() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    patterns = [re.compile(r"\$\{([A-Z][A-Z0-9_]*)"), re.compile(r"%\(ENV_([A-Z0-9_]+)\)s"),
                re.compile(r"^\s*#?\s*([A-Z][A-Z0-9_]+)=", re.M), re.compile(r"^\s+(YUBAN_[A-Z0-9_]+):", re.M)]
    for path in DEPLOY.rglob("*"):
        if path.is_file() and path.suffix in (".yml", ".yaml", ".conf", ".example", ".Dockerfile", ""):
            content = path.read_text(encoding="utf-8")
            for pattern in patterns:
                for name in pattern.findall(content):
                    found.setdefault(name, set()).add(path.name)
    return found


def test_every_variable_of_the_deployment_files_is_read_by_the_code():
    # channel secrets reach Rasa through ${...} in the credentials file, as in the embedded one
    code = code_text() + (ROOT / "credentials.yml").read_text(encoding="utf-8")
    variables = variables_in_deploy_files()
    assert "YUBAN_TRACKER_DATABASE_URL" in variables and "YUBAN_RASA_PROCESSES" in variables
    unknown = {name: files for name, files in variables.items() if name.startswith("YUBAN_")
               and f'"{name}"' not in code and f"'{name}'" not in code and f"${{{name}}}" not in code}
    assert not unknown, f"variables no code reads: {unknown}"
    others = {name for name in variables if not name.startswith(("YUBAN_", "WECHAT_"))} - NOT_OURS
    assert not others, f"unexpected variables: {others}"


def test_the_env_example_lists_every_variable_the_profile_reads():
    example = (DEPLOY / "prod.env.example").read_text(encoding="utf-8")
    settings_code = (ROOT / "tooling" / "prod" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'"(YUBAN_[A-Z0-9_]+)"', settings_code))
    missing = {name for name in read if name not in example}
    assert not missing, f"not documented in deploy/prod.env.example: {missing}"


def rasa_python(code: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(services.VENVS / "rasa" / "bin" / "python"), "-c", code], cwd=ROOT,
                          env={**services.base_env(), **(env or {})}, capture_output=True, text=True, timeout=120)


def test_rasa_reads_the_production_endpoints_and_finds_every_class():
    env = prod_environment({part: f"postgresql://u@h:5432/{part}" for part in
                            ("catalog", "conversations", "events", "progress")}, "redis://:pw@h:6379/0")
    env["YUBAN_ACTIONS_URL"] = "http://127.0.0.1:5055/webhook"
    code = """
import json
import rasa.core.utils, rasa.shared.utils.common as common
endpoints = rasa.core.utils.read_endpoints_from_path("deploy/endpoints.prod.yml")
found = {}
for name in ("tracker_store", "lock_store", "event_broker"):
    config = getattr(endpoints, name)
    common.class_from_module_path(config.type)
    found[name] = [config.type, config.url]
found["action"] = endpoints.action.url
import yaml
for channel in yaml.safe_load(open("deploy/credentials.prod.yml")):
    common.class_from_module_path(channel)
print(json.dumps(found))
"""
    result = rasa_python(code, env)
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["tracker_store"] == ["bot.prod.stores.ResilientSQLTrackerStore", env["YUBAN_TRACKER_DATABASE_URL"]]
    assert found["lock_store"][1] == env["YUBAN_REDIS_URL"]
    assert found["event_broker"][1] == env["YUBAN_EVENTS_DATABASE_URL"]
    assert found["action"] == env["YUBAN_ACTIONS_URL"]


def launched_modules() -> set[tuple[str, str]]:
    """(module, file) for every `python -m module` in supervisord, compose and the Dockerfiles."""
    modules = set()
    for path in [DEPLOY / "supervisord.conf", DEPLOY / "docker-compose.yml", *(DEPLOY / "docker").glob("*")]:
        content = path.read_text(encoding="utf-8")
        for module in re.findall(r'-m["\s,]+"?([a-z_][a-z0-9_.]*)', content):
            modules.add((module, path.name))
    return modules


def test_every_command_of_the_deployment_files_exists():
    modules = launched_modules()
    assert ("tooling.prod.launch", "supervisord.conf") in modules
    for module, source in modules:
        assert importlib.util.find_spec(module) is not None, f"{source}: no module {module}"
    for path in [DEPLOY / "supervisord.conf", DEPLOY / "docker-compose.yml", *(DEPLOY / "docker").glob("*")]:
        for kind in re.findall(r'-m["\s,]+"?tooling\.prod\.launch["\s,]+"?([a-z]+)', path.read_text(encoding="utf-8")):
            assert kind in ("check", *launch.KINDS), f"{path.name}: unknown process kind {kind}"


def test_the_dockerfiles_copy_what_exists():
    for path in (DEPLOY / "docker").glob("*.Dockerfile"):
        for source in re.findall(r"^COPY (\S+)", path.read_text(encoding="utf-8"), re.M):
            if source.startswith("models/") and not services.MODEL.exists():
                continue  # built by ./yuban train before the image
            assert (ROOT / source).exists(), f"{path.name}: COPY {source} — not in the repository"


def test_compose_file_parses_and_agrees_on_ports_and_services():
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    services_ = compose["services"]
    rasa = [name for name in services_ if name.startswith("rasa")]
    actions = [name for name in services_ if name.startswith("actions")]
    assert len(rasa) >= 2 and len(actions) >= 2
    assert {"postgres", "redis", "progress", "console", "nginx"} <= set(services_)
    env = services_["rasa-1"]["environment"]
    assert env["YUBAN_ACTIONS_URL"] == f"http://actions:{PORTS['YUBAN_ACTIONS_PORT']}/webhook"
    assert env["YUBAN_PROGRESS_URL"] == f"http://progress:{PORTS['YUBAN_PROGRESS_PORT']}"
    for name in actions:
        assert "actions" in services_[name]["networks"]["default"]["aliases"]
    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.findall(r"server (rasa-\d+):(\d+)", nginx)
    assert sorted(name for name, _ in upstream) == sorted(rasa)
    assert {int(port) for _, port in upstream} == {PORTS["YUBAN_RASA_PORT"]}
    assert f"server console:{PORTS['YUBAN_CONSOLE_PORT']}" in nginx


def test_supervisord_configuration_parses_with_the_expected_programs():
    parser = configparser.RawConfigParser()
    parser.read(DEPLOY / "supervisord.conf")
    programs = {section.split(":", 1)[1] for section in parser.sections() if section.startswith("program:")}
    assert programs == {"progress", "actions", "rasa", "console", "reminders"}
    assert parser.get("program:rasa", "numprocs") == "%(ENV_YUBAN_RASA_PROCESSES)s"
    assert "--index %(process_num)d" in parser.get("program:rasa", "command")


@pytest.fixture
def supervisord(prod_settings, progress_examples, prod_stack, tmp_path):
    """The supervisord configuration on its own ports: 1 Rasa, 2 action servers, progress, console."""
    env = {**services.base_env(), **prod_environment(
        {"catalog": prod_settings.catalog_url, "conversations": prod_settings.tracker_url,
         "events": prod_settings.events_url, "progress": prod_settings.progress_database_url},
        prod_settings.redis_url)}
    env.update({"YUBAN_RASA_PORT": str(5720 + OFFSET), "YUBAN_ACTIONS_PORT": str(5725 + OFFSET),
                "YUBAN_PROGRESS_PORT": str(8820 + OFFSET), "YUBAN_CONSOLE_PORT": str(8825 + OFFSET),
                "YUBAN_REMINDERS_PORT": str(8830 + OFFSET),
                "YUBAN_RASA_PROCESSES": "1", "YUBAN_ACTION_PROCESSES": "2", "YUBAN_LOG_DIR": str(tmp_path)})
    for port in (5720, 5725, 8820, 8825, 8830):
        if not services.port_is_free(port + OFFSET):
            pytest.skip(f"port {port + OFFSET} is in use")
    binary = services.VENVS / "actions" / "bin"
    process = subprocess.Popen([str(binary / "supervisord"), "-c", str(DEPLOY / "supervisord.conf")], cwd=ROOT,
                               env=env, stdout=open(tmp_path / "stdout.log", "ab"), stderr=subprocess.STDOUT,
                               start_new_session=True)

    def status() -> dict[str, str]:
        result = subprocess.run([str(binary / "supervisorctl"), "-c", str(DEPLOY / "supervisord.conf"), "status"],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
        return {line.split()[0]: line.split()[1] for line in result.stdout.splitlines() if line.strip()}

    try:
        yield env, status, tmp_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_supervisord_starts_the_profile_and_it_answers(supervisord):
    env, status, logs = supervisord
    services.wait_http(f"http://127.0.0.1:{env['YUBAN_RASA_PORT']}/webhooks/ops/ready", 240)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and set(status().values()) != {"RUNNING"}:
        time.sleep(1)
    assert status() == {"progress": "RUNNING", "actions:actions-0": "RUNNING", "actions:actions-1": "RUNNING",
                        "rasa:rasa-0": "RUNNING", "console": "RUNNING", "reminders": "RUNNING"}, \
        [p.name for p in logs.iterdir()]
    answer = send(int(env["YUBAN_RASA_PORT"]), f"sup-{os.getpid()}", "开公司要什么材料")[1]
    assert "【" in texts(answer) and "材料" in texts(answer)
