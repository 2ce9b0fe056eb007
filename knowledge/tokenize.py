"""jieba tokenization with the catalog's names, aliases and lexicon as user words.

One `jieba.Tokenizer` per index keeps the catalog words out of jieba's global state.
`terms` feeds BM25: words from jieba's search mode plus character bigrams, so a phrase
still matches when jieba segments it differently in a question than in a name.
"""
from __future__ import annotations

import logging
import re

import jieba

jieba.setLogLevel(logging.WARNING)
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_SKIP = re.compile(r"^[\s\W_]+$")


class Tokenizer:
    def __init__(self, user_words: list[str]):
        self._jieba = jieba.Tokenizer()
        self._jieba.initialize()
        for word in sorted(set(user_words)):
            if len(word) >= 2:
                self._jieba.add_word(word, freq=max(2000, 200 * len(word)))

    def loose_characters(self, text: str) -> set[int]:
        """Positions of the characters no word of two or more characters holds (precise mode)."""
        return {start for word, start, end in self._jieba.tokenize(text, HMM=False) if end - start == 1}

    def words(self, text: str) -> list[str]:
        """Segmentation for the phrase matcher (precise mode, punctuation dropped)."""
        return [w for w in self._jieba.lcut(text, HMM=False) if not _SKIP.match(w)]

    def terms(self, text: str) -> list[str]:
        """Index terms: search-mode words and CJK character bigrams."""
        words = [w for w in self._jieba.lcut_for_search(text, HMM=False) if not _SKIP.match(w)]
        bigrams = [run[i:i + 2] for run in _CJK.findall(text) for i in range(len(run) - 1)]
        return words + ["#" + b for b in bigrams]
