"""The wording of answers, read from answers/templates.yml (edited by the content team).

Reply text lives in one reviewed file with named variables so that rewording an answer
needs no developer; this module only loads it (once, on first use — never at import) and
fills the variables. A template that does not exist, or a variable the caller did not
give, is a programming error and raises TemplateError naming the template.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

TEMPLATES_FILE = Path(__file__).with_name("templates.yml")


class TemplateError(LookupError):
    """A template or one of its variables is missing."""


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    """Every template by dotted name ("guide.heading"); label tables stay mappings."""
    data = yaml.safe_load(TEMPLATES_FILE.read_text(encoding="utf-8"))
    flat: dict[str, Any] = {}
    for section, entries in data.items():
        for name, value in entries.items():
            flat[f"{section}.{name}"] = value
    return flat


def template(name: str) -> Any:
    try:
        return templates()[name]
    except KeyError:
        raise TemplateError(f"no template {name!r} in {TEMPLATES_FILE.name}") from None


def say(key: str, /, **values: Any) -> str:
    """The template `key` with its named variables filled in (`name` may be one of them)."""
    text = template(key)
    if not isinstance(text, str):
        raise TemplateError(f"template {key!r} is a table, not a text")
    try:
        return text.format_map(values)
    except (KeyError, IndexError) as error:
        raise TemplateError(f"template {key!r} needs the variable {error}") from None


def label(name: str) -> str:
    """A fixed word (labels.*), such as the hotline."""
    return say(f"labels.{name}")


def table(name: str) -> dict[str, str]:
    """A label table (labels.*), such as the aspects' names."""
    value = template(f"labels.{name}")
    if not isinstance(value, dict):
        raise TemplateError(f"template 'labels.{name}' is a text, not a table")
    return value


def words(name: str) -> frozenset[str]:
    """Words the code recognises in catalog data (catalog_words.*), never shown as such."""
    value = template(f"catalog_words.{name}")
    if not isinstance(value, list):
        raise TemplateError(f"template 'catalog_words.{name}' is not a list of words")
    return frozenset(value)
