"""bot/ops/lazy_imports.py: a declared module is imported without running, runs once on first use
and is then the very module an ordinary import gives (Rasa environment, as the server)."""
from __future__ import annotations

import importlib
import importlib.machinery
import sys
import textwrap

import pytest

from bot.ops import lazy_imports


@pytest.fixture
def modules(tmp_path, monkeypatch):
    """Two fresh modules that count their executions in `lazy_probe_runs`, and a finder for the first."""
    (tmp_path / "lazy_probe_runs.py").write_text("runs = []\n", encoding="utf-8")
    for name in ("lazy_probe", "eager_probe"):
        (tmp_path / f"{name}.py").write_text(textwrap.dedent(f"""
            import lazy_probe_runs
            lazy_probe_runs.runs.append("{name}")
            VALUE = object()
        """), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    finder = lazy_imports.install(["lazy_probe"])
    yield finder
    lazy_imports.uninstall(finder)
    for name in ("lazy_probe", "eager_probe", "lazy_probe_runs"):
        sys.modules.pop(name, None)


def runs() -> list[str]:
    return importlib.import_module("lazy_probe_runs").runs


def test_a_declared_module_runs_on_first_use_once_and_is_the_module_itself(modules):
    import lazy_probe

    assert runs() == [] and lazy_imports.is_pending(lazy_probe)
    import lazy_probe as again  # the import statement reads __spec__ of a module already imported

    assert again is lazy_probe and lazy_probe.__spec__.name == "lazy_probe" and runs() == []
    value = lazy_probe.VALUE
    assert runs() == ["lazy_probe"] and lazy_probe.VALUE is value
    assert type(lazy_probe) is type(sys) and not lazy_imports.is_pending(lazy_probe)
    assert sys.modules["lazy_probe"] is lazy_probe
    assert isinstance(lazy_probe.__loader__, importlib.machinery.SourceFileLoader)  # its own loader back
    assert lazy_probe.__spec__.loader is lazy_probe.__loader__
    assert lazy_imports.executed(modules) == ["lazy_probe"]


def test_from_import_runs_the_module_at_once(modules):
    from lazy_probe import VALUE

    assert runs() == ["lazy_probe"] and sys.modules["lazy_probe"].VALUE is VALUE


def test_other_modules_load_as_usual(modules):
    import eager_probe

    assert runs() == ["eager_probe"] and not lazy_imports.is_pending(eager_probe)
    assert lazy_imports.executed(modules) == []


def test_after_uninstall_a_declared_module_loads_as_usual(modules):
    lazy_imports.uninstall(modules)
    import lazy_probe

    assert runs() == ["lazy_probe"] and not lazy_imports.is_pending(lazy_probe)


def test_an_error_of_the_module_surfaces_at_first_use(modules, tmp_path):
    (tmp_path / "lazy_probe.py").write_text("raise ValueError('broken module')\n", encoding="utf-8")
    import lazy_probe

    with pytest.raises(ValueError, match="broken module"):
        lazy_probe.anything  # noqa: B018
