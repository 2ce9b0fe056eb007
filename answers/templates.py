"""The wording of answers, read from answers/templates.yml (edited by the content team).

Reply text lives in one reviewed file with named variables so that rewording an answer
needs no developer; this module only loads it (once, on first use — never at import) and
fills the variables. A template that does not exist, or a variable the caller did not
give, is a programming error and raises TemplateError naming the template.

`Wording` is the loader for any such file: the console keeps its own messages
(console/messages.yml) with the same rules and checks.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATES_FILE = Path(__file__).with_name("templates.yml")


class TemplateError(LookupError):
    """A template or one of its variables is missing."""


class Wording:
    """One reviewed wording file: templates by dotted name ("group.name"), filled by name."""

    def __init__(self, path: Path):
        self.path = path
        self._flat: dict[str, Any] | None = None

    def templates(self) -> dict[str, Any]:
        """Every template by dotted name ("guide.heading"); label tables stay mappings."""
        if self._flat is None:
            data = yaml.safe_load(self.path.read_text(encoding="utf-8"))
            flat: dict[str, Any] = {}
            for section, entries in data.items():
                for name, value in entries.items():
                    flat[f"{section}.{name}"] = value
            self._flat = flat
        return self._flat

    def template(self, name: str) -> Any:
        try:
            return self.templates()[name]
        except KeyError:
            raise TemplateError(f"no template {name!r} in {self.path.name}") from None

    def say(self, key: str, /, **values: Any) -> str:
        """The template `key` with its named variables filled in (`name` may be one of them)."""
        text = self.template(key)
        if not isinstance(text, str):
            raise TemplateError(f"template {key!r} is a table, not a text")
        try:
            return text.format_map(values)
        except (KeyError, IndexError) as error:
            raise TemplateError(f"template {key!r} needs the variable {error}") from None

    def prefix(self, key: str) -> str:
        """The fixed text a template starts with, before its first variable (to recognise its lines)."""
        text = self.template(key)
        if not isinstance(text, str):
            raise TemplateError(f"template {key!r} is a table, not a text")
        return text.split("{", 1)[0]

    def table(self, key: str) -> dict[str, str]:
        """A table of words by key (such as the aspects' names)."""
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


ANSWERS = Wording(TEMPLATES_FILE)


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    """Every template of answers/templates.yml by dotted name; label tables stay mappings."""
    return ANSWERS.templates()


def template(name: str) -> Any:
    return ANSWERS.template(name)


def say(key: str, /, **values: Any) -> str:
    """The template `key` with its named variables filled in (`name` may be one of them)."""
    return ANSWERS.say(key, **values)


def prefix(key: str) -> str:
    """The fixed text template `key` starts with, before its first variable."""
    return ANSWERS.prefix(key)


def label(name: str) -> str:
    """A fixed word (labels.*), such as the hotline."""
    return say(f"labels.{name}")


def table(name: str) -> dict[str, str]:
    """A label table (labels.*), such as the aspects' names."""
    return ANSWERS.table(f"labels.{name}")


def words(name: str) -> frozenset[str]:
    """Words the code recognises in catalog data (catalog_words.*), never shown as such."""
    return ANSWERS.words(f"catalog_words.{name}")
