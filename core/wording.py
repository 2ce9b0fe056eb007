"""Reviewed wording files: texts with named variables, looked up by dotted name.

The assistant's replies (answers/templates.yml), the console's messages
(console/messages.yml) and the channels' own replies (channels/messages.yml) are edited by
the content team, not in code (docs/templates.md). Each is read once, on first use — never
at import — by a `Wording`. A name that does not exist, or a variable the caller did not
give, is a programming error and raises TemplateError naming it.

Standard library only: the caller passes the file's parser (yaml.safe_load), so every
process can use this whatever its environment.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any


class TemplateError(LookupError):
    """A template or one of its variables is missing."""


class Wording:
    """One wording file: templates by dotted name ("group.name"), filled in by name."""

    def __init__(self, path: Path, parse: Callable[[str], Any]):
        self.path, self._parse = path, parse
        self._flat: dict[str, Any] | None = None

    def templates(self) -> dict[str, Any]:
        """Every template by dotted name ("guide.heading"); tables and word lists stay as they are."""
        if self._flat is None:
            data = self._parse(self.path.read_text(encoding="utf-8"))
            self._flat = {f"{section}.{name}": value
                          for section, entries in data.items() for name, value in entries.items()}
        return self._flat

    def template(self, name: str) -> Any:
        try:
            return self.templates()[name]
        except KeyError:
            raise TemplateError(f"no template {name!r} in {self.path.name}") from None

    def text(self, key: str) -> str:
        value = self.template(key)
        if not isinstance(value, str):
            raise TemplateError(f"template {key!r} is a table, not a text")
        return value

    def say(self, key: str, /, **values: Any) -> str:
        """The template `key` with its named variables filled in (`name` may be one of them)."""
        try:
            return self.text(key).format_map(values)
        except (KeyError, IndexError) as error:
            raise TemplateError(f"template {key!r} needs the variable {error}") from None

    def prefix(self, key: str) -> str:
        """The fixed text a template starts with, before its first variable (to recognise its lines)."""
        return self.text(key).split("{", 1)[0]

    def table(self, key: str) -> dict[str, str]:
        """A table of words by the code's keys (such as the aspects' names)."""
        value = self.template(key)
        if not isinstance(value, dict):
            raise TemplateError(f"template {key!r} is a text, not a table")
        return value

    def words(self, key: str) -> frozenset[str]:
        """A list of words the code recognises (never shown as such)."""
        value = self.template(key)
        if not isinstance(value, list):
            raise TemplateError(f"template {key!r} is not a list of words")
        return frozenset(value)
