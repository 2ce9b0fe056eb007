"""The channels' own wording, read from channels/messages.yml (apologies, WeChat welcome and
menu, the app API's error messages).

The same loader and rules as the assistant's answers (core.wording): named variables, read
once on first use (never at import), a missing message or variable is a TemplateError.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from core.wording import Wording

MESSAGES = Wording(Path(__file__).with_name("messages.yml"), yaml.safe_load)


def say(key: str, /, **values: Any) -> str:
    """The message `key` ("group.name") with its named variables filled in."""
    return MESSAGES.say(key, **values)


def labels(key: str) -> dict[str, str]:
    """A table by the code's keys ("wechat.menu")."""
    return MESSAGES.table(key)
