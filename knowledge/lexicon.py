"""The domain lexicon: citizens' words ↔ the words official catalogs use.

The lexicon is reviewed data (knowledge/data/lexicon.yml, format in docs/catalog-format.md)
applied at query time, so a names-only official import benefits without a single alias.
Each entry is an object (what an item is about: 驾驶证), an action (what is done: 补领) or a
person (who it is for: 孩子, 老人, 员工); search weighs object expansions above action and
person expansions, because the object decides the family of items and the action only picks
within it, and a person word (孩子 → 子女) must not outvote the thing asked (转学).

`append_entry` is the hook for the console's review queue: it validates one entry and
appends it to the file as one line, atomically, so a reviewer's addition is live at the
next index build without editing YAML by hand.
"""
from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.errors import KnowledgeError
from knowledge.normalize import compact

LEXICON_FILE = Path(__file__).with_name("data") / "lexicon.yml"
KINDS = ("object", "action", "person")
_TERM_RE = re.compile(r"^[\w\u3000-\u303f\uff00-\uffef()（）·]+$")


class LexiconError(KnowledgeError):
    """The lexicon file or a new entry is malformed; the message names the entry."""


@dataclass(frozen=True)
class LexiconEntry:
    say: str
    means: tuple[str, ...]
    kind: str
    domain: str
    note: str


@dataclass(frozen=True)
class LexiconMatch:
    """A lexicon term found in a question, with where it was found."""

    entry: LexiconEntry
    start: int
    end: int


class Lexicon:
    """Entries indexed by their compact `say` form; matching is longest-first substring."""

    def __init__(self, entries: list[LexiconEntry]):
        self.entries: dict[str, LexiconEntry] = {}
        for entry in entries:
            self.entries.setdefault(compact(entry.say), entry)
        self._sizes: dict[str, tuple[int, ...]] = {}  # first character -> the term lengths to try there
        for key in self.entries:
            self._sizes[key[0]] = tuple(sorted({*self._sizes.get(key[0], ()), len(key)}, reverse=True))

    def __len__(self) -> int:
        return len(self.entries)

    def as_synonyms(self) -> dict[str, tuple[str, ...]]:
        """The old `term -> official terms` view (NLU lookup tables use it)."""
        return {key: entry.means for key, entry in self.entries.items()}

    def find(self, text: str) -> list[LexiconMatch]:
        """Terms in `text` (compact form), longest first; a term inside a longer match is skipped.

        Terms that only overlap both count (第一次办 and 办身份证 in 第一次办身份证, 租房 and
        房子 in 租房子): each names a different part of the question.
        """
        found: list[LexiconMatch] = []
        entries, sizes = self.entries, self._sizes
        occurrences = [(text[i:i + size], i) for i, c in enumerate(text) for size in sizes.get(c, ())
                       if text[i:i + size] in entries]
        for key, start in sorted(occurrences, key=lambda o: (-len(o[0]), o[0], o[1])):
            end = start + len(key)
            if not any(m.start <= start and end <= m.end for m in found):
                found.append(LexiconMatch(self.entries[key], start, end))
        return sorted(found, key=lambda m: (m.start, m.end))


def parse_lexicon(data: object, source: str = "lexicon") -> list[LexiconEntry]:
    """Entries from the parsed YAML; a malformed group or entry raises `LexiconError` naming it."""
    if not isinstance(data, dict):
        raise LexiconError(f"{source}: 顶层必须是映射（groups: …）")
    if "synonyms" in data and "groups" not in data:  # the first format: term -> [terms]
        return [LexiconEntry(str(k), tuple(str(x) for x in v), "object", "未分组", "旧格式")
                for k, v in (data.get("synonyms") or {}).items()]
    groups = data.get("groups")
    if not isinstance(groups, list):
        raise LexiconError(f"{source}: 缺少 groups 列表")
    entries: list[LexiconEntry] = []
    for gi, group in enumerate(groups, 1):
        if not isinstance(group, dict) or group.get("kind") not in KINDS or not group.get("domain"):
            raise LexiconError(f"{source}: 第 {gi} 组须有 domain 和 kind（object、action 或 person）")
        for ei, raw in enumerate(group.get("entries") or [], 1):
            where = f"{source}: {group['domain']} 第 {ei} 条"
            entries.append(make_entry(raw, group["kind"], str(group["domain"]), where))
    return entries


def make_entry(raw: object, kind: str, domain: str, where: str = "词条") -> LexiconEntry:
    """One checked entry: `say` a term, `means` non-empty official terms, a `note` saying why."""
    if not isinstance(raw, dict):
        raise LexiconError(f"{where}: 须为 {{say, means, note}}")
    say, means, note = raw.get("say"), raw.get("means"), raw.get("note")
    if isinstance(means, str):
        means = [means]
    if not isinstance(say, str) or not _TERM_RE.match(say.strip()):
        raise LexiconError(f"{where}: say 须为一个词语（{say!r}）")
    if not isinstance(means, list) or not means or not all(isinstance(m, str) and _TERM_RE.match(m.strip()) for m in means):
        raise LexiconError(f"{where}: means 须为非空的词语列表（{means!r}）")
    if not isinstance(note, str) or not note.strip():
        raise LexiconError(f"{where}: 缺少 note（来源或说明）")
    if kind not in KINDS:
        raise LexiconError(f"{where}: kind 须为 object、action 或 person")
    return LexiconEntry(say.strip(), tuple(m.strip() for m in means), kind, domain, note.strip())


@lru_cache(maxsize=4)
def _load(path: Path, stamp: float) -> Lexicon:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise LexiconError(f"{path.name}: YAML 格式错误：{error}") from error
    return Lexicon(parse_lexicon(data, path.name))


def load(path: Path = LEXICON_FILE) -> Lexicon:
    """The lexicon file, re-read when it changes (the console's queue may have appended)."""
    return _load(path, path.stat().st_mtime_ns)


def append_entry(say: str, means: list[str] | str, note: str, *, kind: str = "object",
                 domain: str = "审核队列新增", path: Path = LEXICON_FILE) -> LexiconEntry:
    """Add one reviewed entry (the console's queue calls this); refuses duplicates and bad input.

    The entry goes into the group named `domain` of that `kind`, created at the end of the
    file when missing; the file is rewritten through a temporary file and an atomic rename,
    so a crash leaves either the old or the new lexicon, never half of one.
    """
    entry = make_entry({"say": say, "means": means, "note": note}, kind, domain, "新词条")
    current = load(path)
    if compact(entry.say) in current.entries:
        raise LexiconError(f"词条“{entry.say}”已存在")
    line = "      - " + yaml.safe_dump({"say": entry.say, "means": list(entry.means), "note": entry.note},
                                       allow_unicode=True, default_flow_style=True, width=10_000).strip() + "\n"
    text = path.read_text(encoding="utf-8")
    header = f"  - domain: {domain}\n    kind: {kind}\n    entries:\n"
    position = text.find(header)
    if position < 0:
        text = text.rstrip("\n") + "\n" + header + line
    else:
        after = text.find("\n  - domain:", position + len(header))
        cut = len(text) if after < 0 else after + 1
        text = text[:cut].rstrip("\n") + "\n" + line + text[cut:]
    parse_lexicon(yaml.safe_load(text), path.name)  # never write a file that would not load
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".lexicon-", suffix=".yml")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(temporary, path)
    return entry
