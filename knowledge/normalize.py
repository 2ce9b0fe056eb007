"""Text normalization shared by search and the NLU pipeline.

Citizens type traditional characters, full-width letters and digits, odd spacing; the
catalog and the model see one canonical form: simplified, half-width, lower case.
Only opencc and the standard library are used, so the Rasa environment can import it.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    from opencc import OpenCC

    return OpenCC("t2s")


def to_half_width(text: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３／) to half-width, other characters unchanged."""
    out = []
    for char in text:
        code = ord(char)
        if code == 0x3000:
            out.append(" ")
        elif 0xFF01 <= code <= 0xFF5E:
            out.append(chr(code - 0xFEE0))
        else:
            out.append(char)
    return "".join(out)


def normalize(text: str) -> str:
    """Simplified, half-width, lower-case text with single spaces."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = to_half_width(text)
    text = _t2s().convert(text)
    return _SPACES.sub(" ", text).strip().lower()


_PUNCT = re.compile(r"[\s,.!?;:'\"()\[\]{}<>《》“”‘’、，。！？；：（）【】…·~\-—_/\\|]+")


def compact(text: str) -> str:
    """Normalized text without spaces and punctuation, for exact comparisons."""
    return _PUNCT.sub("", normalize(text))
