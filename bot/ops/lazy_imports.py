"""Modules that are imported but executed only when first used (the Rasa server's TensorFlow).

`install(names)` puts a finder in front of `sys.meta_path` that gives each module of `names`
the loader it would have had, wrapped in `importlib.util.LazyLoader`: `import name` then
returns a module object that executes for real on its first attribute access, so whatever
needs the module gets the very module, fully executed, and nothing else changes. What must
be lazy and why is in bot/ops/rasa_server.py.

Python 3.10's lazy module has no lock: two threads touching it first at the same moment would
both run it (3.12 added the lock). The server's modules touch these from its event loop only.

`executed(finder)` says which of them ran (the server's exit log, the tests); `is_pending(module)`
whether a module has yet to run (bot/ops/skops_start.py walks `sys.modules` without running them).
"""
from __future__ import annotations

import importlib.abc
import importlib.util
import sys
from collections.abc import Iterable
from typing import Any


class _LazyModule(importlib.util._LazyModule):
    """importlib's lazy module, except that reading `__spec__` does not execute it.

    The import statement reads `__spec__` (`_initializing`) of a module already in
    `sys.modules` whenever it is imported again, so in Python 3.10 a lazy module ran at its
    second `import` statement. `__spec__` is set before the module's code runs (and the code
    does not change it), so answering it without running the code gives the same object.
    """

    def __getattribute__(self, attr):
        if attr == "__spec__":
            return object.__getattribute__(self, "__dict__")["__spec__"]
        return super().__getattribute__(attr)


class _LazyLoader(importlib.util.LazyLoader):
    def exec_module(self, module) -> None:
        super().exec_module(module)
        module.__class__ = _LazyModule


class _Loader(importlib.abc.Loader):
    """The module's own loader; records that the module ran and gives the module its own loader back."""

    def __init__(self, loader: Any, finder: LazyFinder):
        self.loader = loader
        self.finder = finder

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        module.__spec__.loader = module.__loader__ = self.loader
        self.finder.executed.append(module.__spec__.name)
        self.loader.exec_module(module)


class LazyFinder(importlib.abc.MetaPathFinder):
    """Finds the modules of `names` with the finders after it and makes their loading lazy."""

    def __init__(self, names: Iterable[str]):
        self.names = frozenset(names)
        self.executed: list[str] = []

    def find_spec(self, fullname, path, target=None):
        if fullname not in self.names:
            return None
        for finder in sys.meta_path:
            if finder is self or not hasattr(finder, "find_spec"):
                continue
            spec = finder.find_spec(fullname, path, target)
            if spec is not None:
                break
        else:
            return None
        if spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec  # a namespace package or an old-style loader: loaded as usual
        spec.loader = _LazyLoader(_Loader(spec.loader, self))
        return spec


def install(names: Iterable[str]) -> LazyFinder:
    """Make the modules of `names` lazy from now on (those already imported stay as they are)."""
    finder = LazyFinder(names)
    sys.meta_path.insert(0, finder)
    return finder


def uninstall(finder: LazyFinder) -> None:
    """Later imports load as usual; modules already made lazy stay lazy until used."""
    sys.meta_path[:] = [other for other in sys.meta_path if other is not finder]


def is_pending(module: Any) -> bool:
    """A lazy module (ours or any `importlib.util.LazyLoader`'s) whose code has not run yet.

    For code that walks `sys.modules` and reads attributes of every module: reading one would run it.
    """
    return issubclass(type(module), importlib.util._LazyModule)


def executed(finder: LazyFinder) -> list[str]:
    """The lazy modules that have run so far, in the order they ran."""
    return list(finder.executed)
