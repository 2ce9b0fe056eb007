"""The reply templates: every one renders with sample data, every one the code asks for
exists (and none is dead), and no user-facing Chinese is left in answers/*.py.

The code that asks for them is the answers package and the action server (actions/), which
words its replies around the guide from the same file (tests/core/test_no_literals.py checks
that no reply is left in code there)."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from answers import templates as module
from answers.templates import TemplateError, say, table, templates, words
from tests.core.test_no_literals import chinese_literals
from tests.core.test_wording_files import arms, variables

PACKAGE = Path(module.__file__).resolve().parent
USERS = (PACKAGE, PACKAGE.parent / "actions")  # the packages that word their replies from templates.yml
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # stricter than the core check: punctuation too
DOTTED = re.compile(r"[a-z_]+\.[a-z_]+")
CALLS = {"say": "", "prefix": "", "label": "labels.", "table": "labels.", "words": "catalog_words."}


def text_templates() -> dict[str, str]:
    return {name: value for name, value in templates().items() if isinstance(value, str)}


def test_every_template_renders_with_sample_data():
    assert len(text_templates()) > 80
    for name, text in text_templates().items():
        sample = {field: f"<{field}>" for field in variables(text)}
        assert all(field.isidentifier() for field in sample), f"{name}: variables must be named, not {sample}"
        rendered = say(name, **sample)
        assert all(f"<{field}>" in rendered for field in sample), name
        assert "{" not in rendered.replace("{{", "") or "{{" in text, f"{name} leaves a brace: {rendered!r}"
        assert rendered.strip(), f"{name} renders empty"


def test_a_missing_variable_or_template_is_a_clear_error():
    with pytest.raises(TemplateError, match="guide.footer.*verified"):
        say("guide.footer", code="X", demo="")
    with pytest.raises(TemplateError, match="no template 'guide.nonexistent'"):
        say("guide.nonexistent")
    with pytest.raises(TemplateError, match="table"):
        say("labels.aspects")


def test_tables_and_words_are_complete():
    assert set(table("aspects")) == {"materials", "department", "flow", "time_limit", "fee", "conditions",
                                     "online", "overview"}
    assert set(table("online_depth")) == {"一级", "二级", "三级", "四级"}
    assert "不收费" in words("free_fee") and "收费" in words("charged_fee")
    assert not words("free_fee") & words("charged_fee")


def test_the_file_is_loaded_once():
    assert templates() is templates()


def template_names_used_in_code() -> set[str]:
    """Every constant name passed to say/prefix/label/table/words in answers/ and actions/ (both
    arms of a conditional expression count), and dotted names of the file's groups passed
    around as values ("guide.x", "progress.locked")."""
    used = set()
    groups = {name.split(".")[0] for name in templates()}
    for path in (p for package in USERS for p in package.rglob("*.py")):
        if path.name == "templates.py":  # the loader itself composes names
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALLS and node.args:
                used.update(CALLS[node.func.id] + name for name in arms(node.args[0]))
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and DOTTED.fullmatch(node.value)
                  and node.value.split(".")[0] in groups):
                used.add(node.value)
    return used


def test_every_template_the_code_uses_exists_and_none_is_dead():
    used, defined = template_names_used_in_code(), set(templates())
    assert used - defined == set(), "the code asks for templates the file does not have"
    assert defined - used == set(), "templates no code uses (remove them or use them)"


def test_no_user_facing_chinese_is_left_in_the_answers_code():
    found = {path.name: chinese_literals(path, CJK) for path in PACKAGE.glob("*.py")}
    assert {name: hits for name, hits in found.items() if hits} == {}


def test_the_literal_check_finds_a_literal(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""模块说明。"""\ndef f():\n    """函数说明。"""\n    return f"收费：{1}"\n', encoding="utf-8")
    assert [line for line, _ in chinese_literals(sample, CJK)] == [4]
