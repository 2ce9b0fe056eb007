"""`./yuban nlu dict`: the jieba user dictionary for the Rasa pipeline.

Generated from the catalog source files (names and aliases), the domain lexicon and the
region names, so it changes only when reviewed data in git changes; it is stored with
the trained model by Rasa's JiebaTokenizer.
"""
from __future__ import annotations

from pathlib import Path

from knowledge.db import ROOT
from knowledge.importer import read_catalog
from knowledge.regions import load_regions
from knowledge.search import load_lexicon
from knowledge.service import DEMO_CATALOG

DICT_DIR = ROOT / "build" / "jieba"


def register(commands) -> None:
    p = commands.add_parser("nlu", help="NLU 辅助文件").add_subparsers(dest="what", required=True)
    d = p.add_parser("dict", help="生成 jieba 用户词典")
    d.add_argument("--catalog", type=Path, default=DEMO_CATALOG)
    d.add_argument("--out", type=Path, default=DICT_DIR)
    d.set_defaults(handler=run)


def user_words(catalog: Path) -> list[str]:
    items, _ = read_catalog([catalog])
    words = {w for item in items for w in (item.name, *item.aliases)}
    words |= set(load_lexicon()) | {v for values in load_lexicon().values() for v in values}
    words |= {n for r in load_regions().regions for n in (r.name, *r.short)}
    return sorted(w for w in words if 2 <= len(w) <= 20 and " " not in w)


def write_dict(catalog: Path, out: Path) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    path = out / "userdict.txt"
    text = "".join(f"{word} 2000 n\n" for word in user_words(catalog))
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def run(args) -> int:
    path = write_dict(args.catalog, args.out)
    print(f"jieba 用户词典: {path} ({len(path.read_text(encoding='utf-8').splitlines())} 词)")
    return 0
