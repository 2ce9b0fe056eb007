"""The container images, build-checked without a Docker engine (issue #17, item 7).

For each image: the modules its entry points import — the launcher, the servers it
execs, and for Rasa the classes named in config.yml, the production endpoints, the
channels and the logging configuration — are followed through every `import` of our
own packages (also those inside functions), and each file reached, with the data files
those packages read, must be copied by the Dockerfile's COPY lines.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from tests.core.test_architecture import OURS
from tooling.channels_env import APP, WECHAT

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "deploy" / "docker"
LAUNCHER = ["tooling.prod.launch", "tooling.processes", "tooling.channels_env", "tooling.prod.settings"]


def rasa_classes() -> list[str]:
    """Modules Rasa loads by class path in the production profile."""
    names = [step["name"] for step in yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))["pipeline"]]
    endpoints = yaml.safe_load((ROOT / "deploy" / "endpoints.prod.yml").read_text(encoding="utf-8"))
    names += [block["type"] for block in endpoints.values() if isinstance(block, dict) and "type" in block]
    names += list(yaml.safe_load((ROOT / "deploy" / "credentials.prod.yml").read_text(encoding="utf-8")) or {})
    names += [WECHAT, APP]  # switched on from the environment
    logging_config = (ROOT / "deploy" / "logging" / "rasa.yml").read_text(encoding="utf-8")
    names += re.findall(r"\(\):\s*([\w.]+)", logging_config)
    return [name.rsplit(".", 1)[0] for name in names if "." in name and name.split(".")[0] in OURS]


ENTRY_POINTS = {
    "rasa.Dockerfile": [*LAUNCHER, "channels.check", *rasa_classes()],
    "app.Dockerfile": [*LAUNCHER, "actions.server", "progress_service.__main__", "console.__main__",
                       "tooling.cli.__main__", *[f"actions.{p.stem}" for p in (ROOT / "actions").glob("*.py")]],
}
# Files read at run time (not imported), by the module that reads them.
DATA = {"knowledge/regions.py": ["knowledge/data"], "knowledge/search.py": ["knowledge/data"],
        "knowledge/db.py": ["knowledge/migrations"], "knowledge/service.py": ["data/catalog"],
        "progress_service/seed.py": ["data/catalog"], "console/templating.py": ["console/templates"],
        "console/app.py": ["console/static"]}


def module_files(name: str) -> list[Path]:
    """The files Python runs to import `name`: every parent package's __init__ and the module."""
    parts = name.split(".")
    files = []
    for depth in range(1, len(parts) + 1):
        base = ROOT.joinpath(*parts[:depth])
        if (base / "__init__.py").exists():
            files.append(base / "__init__.py")
        elif base.with_suffix(".py").exists():
            files.append(base.with_suffix(".py"))
    return files


def closure(entry_points: list[str]) -> set[Path]:
    seen: set[Path] = set()
    todo = [file for name in entry_points for file in module_files(name)]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:  # relative import inside our package
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
            todo += [f for t in targets if t.split(".")[0] in OURS for f in module_files(t)]
    return seen


def copied(dockerfile: Path) -> list[str]:
    sources = []
    for line in re.findall(r"^COPY\s+(.+)$", dockerfile.read_text(encoding="utf-8"), re.M):
        args = [a for a in line.split() if not a.startswith("--")]
        sources += [a.rstrip("/") for a in args[:-1]]
    return sources


def is_copied(path: Path, sources: list[str]) -> bool:
    relative = path.relative_to(ROOT).as_posix()
    return any(relative == source or relative.startswith(source + "/") for source in sources)


@pytest.mark.parametrize("image", sorted(ENTRY_POINTS))
def test_every_module_an_entry_point_imports_is_copied(image):
    sources = copied(DOCKER / image)
    needed = closure(ENTRY_POINTS[image])
    assert len(needed) > 5  # the walk really followed imports
    missing = sorted(p.relative_to(ROOT).as_posix() for p in needed if not is_copied(p, sources))
    assert missing == [], f"{image} does not copy modules its entry points import"
    unread = sorted({folder for p in needed for folder in DATA.get(p.relative_to(ROOT).as_posix(), [])
                     if not is_copied(ROOT / folder / "any", sources)})
    assert unread == [], f"{image} does not copy files its modules read at run time"


def test_the_check_follows_imports_inside_functions():
    # tooling.prod.settings imports bot.ops.sealing inside a function; the Rasa model needs knowledge.normalize
    needed = {p.relative_to(ROOT).as_posix() for p in closure(ENTRY_POINTS["rasa.Dockerfile"])}
    assert {"bot/ops/sealing.py", "knowledge/normalize.py", "bot/nlu/normalizer.py", "core/logs.py"} <= needed
    assert "knowledge/search.py" not in needed  # the Rasa image needs the normalizer, not the catalog


def test_a_missing_copy_is_reported(tmp_path):
    dockerfile = tmp_path / "x.Dockerfile"
    dockerfile.write_text("FROM python:3.10-slim\nCOPY bot/ bot/\nCOPY channels/ channels/\n")
    sources = copied(dockerfile)
    missing = [p for p in closure(ENTRY_POINTS["rasa.Dockerfile"]) if not is_copied(p, sources)]
    assert ROOT / "knowledge" / "normalize.py" in missing
