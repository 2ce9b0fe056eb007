"""The console's own wording, read from console/messages.yml (errors, validation, labels).

The same loader and rules as the assistant's answers (core.wording): named variables, read
once on first use, a missing message or variable is a TemplateError naming it. Page text
stays in console/templates/*.html.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from core.wording import Wording

MESSAGES = Wording(Path(__file__).with_name("messages.yml"), yaml.safe_load)


def message(key: str, /, **values: Any) -> str:
    """The message `key` ("group.name") with its named variables filled in."""
    return MESSAGES.say(key, **values)


def labels(key: str) -> dict[str, str]:
    """A table of labels ("labels.roles", "csv.totals") by the code's keys."""
    return MESSAGES.table(key)
