"""The answers package is shared by the action server and the console (two runtimes), so it
may import only the standard library, yaml, the catalog library `knowledge` and `core`
(standard library only, loaded by every process: the wording loader lives there)."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "answers"
ALLOWED = {"answers", "core", "knowledge", "yaml", "__future__"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_answers_imports_only_the_standard_library_yaml_and_knowledge():
    found = {path.name: sorted(imported_roots(path) - ALLOWED - set(sys.stdlib_module_names))
             for path in PACKAGE.glob("*.py")}
    assert {name: roots for name, roots in found.items() if roots} == {}


def test_the_check_sees_a_forbidden_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from rasa_sdk import Action\nimport actions.rendering\nimport json\n", encoding="utf-8")
    assert imported_roots(sample) - ALLOWED - set(sys.stdlib_module_names) == {"rasa_sdk", "actions"}
