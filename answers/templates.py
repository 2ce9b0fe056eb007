"""The wording of answers, read from answers/templates.yml (edited by the content team).

Reply text lives in one reviewed file with named variables so that rewording an answer
needs no developer; this module only loads it (once, on first use — never at import) and
fills the variables (core.wording). A template that does not exist, or a variable the
caller did not give, is a programming error and raises TemplateError naming the template.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from core.wording import TemplateError, Wording

TEMPLATES_FILE = Path(__file__).with_name("templates.yml")
ANSWERS = Wording(TEMPLATES_FILE, yaml.safe_load)

__all__ = ["ANSWERS", "TEMPLATES_FILE", "TemplateError", "label", "prefix", "say", "table", "template", "templates",
           "words"]


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
