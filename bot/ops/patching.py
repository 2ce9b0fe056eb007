"""One attribute of a Rasa class replaced by ours, and put back: the install/uninstall pair of
the speedups (bot/ops/rasa_speedups.py), both idempotent. The class is named by a function so
that a module of ours can be imported before Rasa's."""
from __future__ import annotations

from typing import Any, Callable


class Patch:
    def __init__(self, owner: Callable[[], type], name: str, replacement: Any):
        self.owner, self.name, self.replacement = owner, name, replacement
        self.original: Any = None  # Rasa's own while installed

    def install(self) -> None:
        if self.original is not None:
            return
        owner = self.owner()
        self.original = getattr(owner, self.name)
        setattr(owner, self.name, self.replacement)

    def uninstall(self) -> None:
        if self.original is None:
            return
        setattr(self.owner(), self.name, self.original)
        self.original = None
