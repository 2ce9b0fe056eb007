"""Import rules of the shared packages (STYLE.md "Our shape"): the progress API's contract
and the identity binding use the standard library only, so every process can import them,
and neither the client nor the stand-in service depends on the other."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported(folder: str) -> set[str]:
    names: set[str] = set()
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["progress_api", "identity"])
def test_shared_packages_use_only_the_standard_library(package):
    outside = {name for name in imported(package) - {package, "__future__"} if name not in sys.stdlib_module_names}
    assert not outside, f"{package} imports {sorted(outside)}"


def test_client_and_stand_in_do_not_import_each_other():
    assert "progress_service" not in imported("actions")
    assert "actions" not in imported("progress_service")
