"""skops' trusted-type tables without a million formatted error messages (Rasa process start).

Loading the logistic-regression classifier imports `skops.io`, whose `_trusted_types` module
names every numpy and scipy ufunc at import time. A ufunc has no `__module__`, so skops'
`whichmodule` (copied from pickle) tries every module in `sys.modules` in turn and, for each
module without the name, formats an `AttributeError` with the module's repr. In `rasa run`
TensorFlow and Rasa have loaded about 6,000 modules by then: 765 names × 6,000 modules made
`import skops.io` take 5.2 s of the server's start (1.0 s when imported before TensorFlow).

`install()` (called with the other speedups, when Rasa creates the tracker store, before the
model is loaded) puts a finder in front of `sys.meta_path` that, once skops' `_utils` module
has run, replaces its `whichmodule` by one with the same answer: the first module in
`sys.modules` order whose attribute path gives the very object, else "__main__"; the same
skipped modules; an attribute that is missing skips the module (as the AttributeError did),
any other error propagates (as before). Nothing changes when skops is already imported.
"""
from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
from typing import Any

from bot.ops import lazy_imports

TARGET = "skops.io._utils"
_MISSING = object()


def whichmodule(obj: Any, name: str) -> str:
    """As skops.io._utils.whichmodule (pickle's), without building error messages."""
    module_name = getattr(obj, "__module__", None)
    if module_name is not None:
        return module_name
    path = name.split(".")
    if "<locals>" in path:  # skops raises for every module and ends with "__main__"
        return "__main__"
    for module_name, module in sys.modules.copy().items():
        if module_name in ("__main__", "__mp_main__") or module is None or lazy_imports.is_pending(module):
            continue  # a lazy module (bot/ops/rasa_server.py) is skipped until it has run, as if not imported
        found = module
        for part in path:
            found = getattr(found, part, _MISSING)
            if found is _MISSING:
                break
        if found is obj:
            return module_name
    return "__main__"


class _Loader(importlib.abc.Loader):
    def __init__(self, loader: Any):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        self.loader.exec_module(module)
        module.whichmodule = whichmodule


class _Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path, target=None):
        if fullname != TARGET:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


def install() -> None:
    """Patch skops when it is imported later in this process (idempotent; nothing if already imported)."""
    if TARGET in sys.modules or any(isinstance(finder, _Finder) for finder in sys.meta_path):
        return
    sys.meta_path.insert(0, _Finder())


def uninstall() -> None:
    sys.meta_path[:] = [finder for finder in sys.meta_path if not isinstance(finder, _Finder)]
