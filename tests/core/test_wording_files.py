"""The console's and the channels' wording files (console/messages.yml, channels/messages.yml):
every message renders with sample data, every name the code asks for exists, none is dead.

answers/templates.yml, used by the answers package and the action server, has the same checks
in tests/answers/test_templates.py. The loader itself (core.wording) is tested here too.
"""
from __future__ import annotations

import ast
import re
import string
import sys
from pathlib import Path

import pytest
import yaml

from core.wording import TemplateError, Wording

ROOT = Path(__file__).resolve().parents[2]
# wording file -> (the code that reads it, the functions it is read through)
FILES = {
    "console/messages.yml": (("console",), {"message", "_message", "labels"}),
    "channels/messages.yml": (("channels",), {"say", "labels"}),
}
DOTTED = re.compile(r"[a-z_]+\.(?!html$|yml$|py$)[a-z_]+")  # a name, not a file


def wording(name: str) -> Wording:
    return Wording(ROOT / name, yaml.safe_load)


def variables(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def arms(node: ast.expr) -> list[str]:
    """The constant strings an argument can be: itself, or each arm of a conditional expression."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return arms(node.body) + arms(node.orelse)
    return []


def names_used(packages: tuple[str, ...], calls: set[str], groups: set[str]) -> set[str]:
    """Constant names passed to the wording functions, and dotted names of the file's groups
    passed around as values (the TEXTS tables of former constants)."""
    used = set()
    for path in (p for package in packages for p in (ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in calls and node.args:
                used.update(arms(node.args[0]))
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and DOTTED.fullmatch(node.value)
                  and node.value.split(".")[0] in groups):
                used.add(node.value)
    return used


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_message_renders_with_sample_data(name):
    messages = wording(name)
    texts = {key: value for key, value in messages.templates().items() if isinstance(value, str)}
    assert len(texts) > 10
    for key, text in texts.items():
        sample = {field: f"<{field}>" for field in variables(text)}
        assert all(field.isidentifier() for field in sample), f"{key}: variables must be named, not {sample}"
        rendered = messages.say(key, **sample)
        assert all(f"<{field}>" in rendered for field in sample), key
        assert "{" not in rendered.replace("{{", "") or "{{" in text, f"{key} leaves a brace: {rendered!r}"
        assert rendered.strip(), f"{key} renders empty"
    for key, value in messages.templates().items():
        if not isinstance(value, str):
            assert isinstance(value, dict) and value, f"{key} is neither a text nor a table"
            assert all(isinstance(v, str) and v.strip() for v in value.values()), f"{key} has an empty label"


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_message_the_code_uses_exists_and_none_is_dead(name):
    packages, calls = FILES[name]
    defined = set(wording(name).templates())
    used = names_used(packages, calls, {key.split(".")[0] for key in defined})
    assert used - defined == set(), f"the code asks for messages {name} does not have"
    assert defined - used == set(), f"messages in {name} no code uses (remove them or use them)"


def test_the_loader_names_what_is_missing(tmp_path):
    path = tmp_path / "w.yml"
    path.write_text("g:\n  hello: \"您好，{who}\"\n  table:\n    a: 甲\n", encoding="utf-8")
    messages = Wording(path, yaml.safe_load)
    assert messages.say("g.hello", who="张三") == "您好，张三"
    assert messages.prefix("g.hello") == "您好，"
    assert messages.table("g.table") == {"a": "甲"}
    with pytest.raises(TemplateError, match="g.hello.*who"):
        messages.say("g.hello")
    with pytest.raises(TemplateError, match="no template 'g.nothing' in w.yml"):
        messages.say("g.nothing")
    with pytest.raises(TemplateError, match="table"):
        messages.say("g.table")
    with pytest.raises(TemplateError, match="text, not a table"):
        messages.table("g.hello")


def test_the_file_is_read_once_on_first_use(tmp_path):
    path = tmp_path / "w.yml"
    reads = []
    messages = Wording(path, lambda text: reads.append(text) or yaml.safe_load(text))
    assert reads == []  # nothing is read when the Wording is made (at import)
    path.write_text("g:\n  a: 甲\n", encoding="utf-8")
    assert messages.say("g.a") == "甲" and messages.say("g.a") == "甲"
    assert len(reads) == 1


def test_the_usage_scan_finds_both_arms_and_dotted_values(tmp_path, monkeypatch):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text('TEXTS = {"A": "g.a"}\nsay("g.b" if x else "g.c")\nsay(f"g.{y}")\nlog("x.y")\n',
                                  encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert names_used(("pkg",), {"say"}, {"g"}) == {"g.a", "g.b", "g.c"}
