"""No user-facing Chinese is written in the code of the processes that talk to people.

What the assistant, the console and the channels say lives in the wording files the content
team edits (answers/templates.yml, console/messages.yml, channels/messages.yml, the Rasa
domain responses in bot/domain/, the console's page templates; docs/templates.md). This
check reads every module of actions/, answers/, console/ and channels/ and fails on a string
constant with a Chinese character, docstrings excepted (they are for developers). Pure
punctuation (the full stops a WeChat text is split at) is typography, not wording.

The only exceptions are the vocabulary modules below: the words and patterns that READ what
people write (cues, question words, ordinals, number phrases). They are input, never shown,
and belong with the code that matches them; each says why it is here. A vocabulary module
must not send a reply (no utter_message, no say()).
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("actions", "answers", "console", "channels")
CHINESE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
VOCABULARY = {
    "actions/dialogue/words.py": "the vocabulary of the dialogue: aspect cue words, question words, fillers, "
                                 "feedback and correction phrases the interpreter reads",
    "actions/dialogue/interpreter.py": "the follow-up cues the interpreter matches itself (更多, 转人工, question "
                                       "particles); the dialogue's owner may move them into words.py",
    "actions/dialogue/options.py": "the patterns of an ordinal pick (第二个, 最后一个)",
    "actions/dialogue/life_events.py": "the phrases of a life event (老人去世了要办些啥)",
    "actions/progress_extract.py": "the words around an application number and phone digits (尾号, 不记得编号) "
                                   "and the words that ask for progress",
}
REPLYING = ("utter_message", "say", "message")


def modules() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py") if "__pycache__" not in p.parts)


def chinese_literals(path: Path, pattern: re.Pattern = CHINESE) -> list[tuple[int, str]]:
    """String constants (f-string parts included) that `pattern` finds (a Chinese character),
    docstrings excepted."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
                  and node.body and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings
            and pattern.search(node.value)]


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_no_chinese_literal_outside_the_vocabulary_modules():
    found = {relative(path): hits for path in modules() if relative(path) not in VOCABULARY
             for hits in [chinese_literals(path)] if hits}
    assert found == {}, "move these texts into a wording file (docs/templates.md)"


def test_every_vocabulary_module_exists_and_still_holds_words():
    for name in VOCABULARY:
        assert (ROOT / name).is_file(), f"{name} is gone: remove it from VOCABULARY"
        assert chinese_literals(ROOT / name), f"{name} holds no words any more: remove it from VOCABULARY"


def test_a_vocabulary_module_sends_no_reply():
    for name in VOCABULARY:
        calls = {node.func.attr if isinstance(node.func, ast.Attribute) else node.func.id
                 for node in ast.walk(ast.parse((ROOT / name).read_text(encoding="utf-8")))
                 if isinstance(node, ast.Call) and isinstance(node.func, (ast.Attribute, ast.Name))}
        assert not calls & set(REPLYING), f"{name} replies: its text belongs in a wording file"


def test_the_check_finds_a_literal(tmp_path, monkeypatch):
    """The check can fail: a reply written in code is reported, a docstring and punctuation are not."""
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "bad.py").write_text(
        '"""模块说明。"""\nSOFT = ("。", "，")\ndef f(n):\n    """函数说明。"""\n    return f"共{n}项"\n', encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert {line for line, _ in chinese_literals(tmp_path / "actions" / "bad.py")} == {5}
    found = {relative(p): chinese_literals(p) for p in modules() if chinese_literals(p)}
    assert list(found) == ["actions/bad.py"]
