"""The server and the OpenAPI document agree on what counts as a message with visible text.

Schemathesis generates requests with JavaScript regex semantics, the server checks with
Python's: for both `\\S` differs (U+001F is whitespace only to Python), so a request the
document allowed was refused. Both now use one expression that means the same in each."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from channels.app.errors import BadRequest
from channels.app.inbound import VISIBLE_PATTERN, parse

DOC = Path(__file__).resolve().parents[2] / "docs" / "app-api.yaml"


def test_the_document_uses_the_servers_pattern():
    schemas = yaml.safe_load(DOC.read_text(encoding="utf-8"))["components"]["schemas"]
    patterns = [schema["properties"]["message"]["pattern"] for schema in schemas.values()
                if "message" in schema.get("properties", {}) and "pattern" in schema["properties"]["message"]]
    assert patterns == [VISIBLE_PATTERN]


@pytest.mark.parametrize("text", ["\x1f", "\x1c\x1d", "\x85", "\ufeff", " \u3000\t"])
def test_whitespace_to_either_language_is_not_a_message(text):
    with pytest.raises(BadRequest, match="message"):
        parse(request(text))


@pytest.mark.parametrize("text", ["开公司", " 2 ", "\x1fA"])
def test_a_visible_character_makes_a_message(text):
    assert parse(request(text)).message == text


def request(text: str) -> bytes:
    return json.dumps({"conversation_id": "c1", "message": text}).encode()
