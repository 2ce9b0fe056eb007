"""The import rule of the layout (docs/architecture.md), checked on the source.

The path says which process loads a file, and imports go one way: `core` (standard
library only) at the bottom, `tooling` (the command line and launchers) at the top,
and the three server packages of the action-server environment (actions, console,
progress_service) never import one another, nor what Rasa loads (bot, channels), nor
the tooling. Every `import` statement counts, also those inside functions.
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# package -> the packages of ours it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "core": set(),
    "monitoring": {"core"},
    "knowledge": {"core"},
    "answers": {"core", "knowledge"},
    "progress_api": {"core"},
    "actions": {"core", "monitoring", "knowledge", "answers", "progress_api", "reminders"},
    "console": {"core", "monitoring", "knowledge", "answers"},
    "progress_service": {"core", "monitoring", "progress_api"},
    "reminders": {"core", "monitoring", "knowledge", "answers", "progress_api"},
    "channels": {"core", "monitoring", "bot"},
    "bot": {"core", "monitoring", "knowledge"},
    "tooling": {"core", "monitoring", "knowledge", "answers", "progress_api", "actions", "console",
                "progress_service", "channels", "bot", "reminders"},
}
OURS = set(ALLOWED) | {"bench", "tests"}
# Third-party packages `core` may use: it is loaded by both environments and by every process.
CORE_THIRD_PARTY = {"opencc", "cryptography"}  # cryptography: core/sealing.py (both environments have it)

def modules(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def imported(path: Path) -> set[str]:
    """Top-level names of every module the file imports (absolute imports; relative ones stay inside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def violations() -> list[str]:
    found = []
    for package, allowed in ALLOWED.items():
        for path in modules(package):
            for name in sorted(imported(path) & OURS - {package} - allowed):
                found.append(f"{path.relative_to(ROOT)} imports {name}")
    return found


def test_every_top_level_package_has_a_rule():
    packages = {p.parent.name for p in ROOT.glob("*/__init__.py")}
    assert packages - OURS == set(), "a new top-level package needs its place in ALLOWED (docs/architecture.md)"


def test_imports_go_the_allowed_way():
    assert violations() == []


def test_core_uses_only_the_standard_library():
    outside = {f"{path.relative_to(ROOT)}: {name}" for path in modules("core") for name in imported(path)
               if name not in sys.stdlib_module_names and name not in CORE_THIRD_PARTY and name not in ("__future__", "core")}
    assert outside == set()


@pytest.mark.parametrize(("package", "forbidden"), [("channels", "knowledge"), ("bot", "actions"), ("core", "bot")])
def test_the_rule_catches_a_forbidden_import(tmp_path, monkeypatch, package, forbidden):
    """The check can fail: a file importing across the rule is reported."""
    fake_root = tmp_path
    (fake_root / package).mkdir()
    (fake_root / package / "__init__.py").write_text("")
    (fake_root / package / "bad.py").write_text(f"def f():\n    from {forbidden}.x import y\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", fake_root)
    assert violations() == [f"{package}/bad.py imports {forbidden}"]
