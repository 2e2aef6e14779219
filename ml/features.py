"""Feature extraction and a lean linear scorer for the router.

Features are word uni/bi-grams and character 2..5-grams within words (TF-IDF,
sublinear tf, l2-normalised per block) of the diacritic-stripped normalised
text, so a report typed without accents gets the same features as the same
report typed with them. Training uses scikit-learn's TfidfVectorizer with the
analysers below. Character n-grams are exact integer keys (7 bits per ASCII
character), so a whole batch is cut into n-grams and looked up with numpy at
once. ``LinearScorer`` reuses the fitted vocabularies and idf weights to
compute ``x @ W + b`` without scikit-learn's per-call overhead.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

log = logging.getLogger(__name__)

_SPACE = 32
_OTHER = 127  # every non-ASCII character (rare once diacritics are stripped)


class WordNgrams:
    """Word n-grams of a normalised text (tokens separated by single spaces)."""

    def __init__(self, lo: int = 1, hi: int = 2) -> None:
        self.lo, self.hi = lo, hi

    def __call__(self, text: str) -> list[str]:
        words = text.split()
        grams = list(words) if self.lo == 1 else []
        for n in range(max(2, self.lo), self.hi + 1):
            grams += [" ".join(words[i:i + n]) for i in range(len(words) - n + 1)]
        return grams


class CharNgrams:
    """Character n-grams inside space-padded words, as exact int keys.

    A key packs the n-gram's characters (7 bits each) and its length, so two
    different n-grams never share a key. ``__call__`` is the scikit-learn
    analyser; ``batch`` computes the same keys for many texts with numpy.
    """

    def __init__(self, lo: int = 2, hi: int = 5) -> None:
        if not 1 <= lo <= hi <= 7:
            raise ValueError("character n-gram lengths must be within 1..7")
        self.lo, self.hi = lo, hi

    def __call__(self, text: str) -> list[int]:
        return self.batch([text])[1].tolist()

    def batch(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, key) arrays of every n-gram of every text."""
        starts, chars = [], []
        offset = 0
        for text in texts:
            padded = f" {text} "
            starts.append(offset)
            chars.append(padded)
            offset += len(padded)
        joined = "".join(chars)
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
        codes[codes > _OTHER] = _OTHER
        space = codes == _SPACE
        doc_of = np.repeat(np.arange(len(texts)), [len(c) for c in chars])
        rows, keys = [], []
        length = len(codes)
        for n in range(self.lo, self.hi + 1):
            m = length - n + 1
            if m <= 0:
                continue
            key = np.full(m, n << 49, dtype=np.int64)
            inner = np.zeros(m, dtype=bool)
            for k in range(n):
                key |= codes[k:k + m] << (7 * k)
                if 0 < k < n - 1:
                    inner |= space[k:k + m]
            # a gram must stay inside one padded word: no space inside it, one text only
            valid = ~inner & (doc_of[:m] == doc_of[n - 1:n - 1 + m])
            if n == 2:  # "  " only comes from an empty text
                valid &= ~(space[:m] & space[1:1 + m])
            rows.append(doc_of[:m][valid])
            keys.append(key[valid])
        if not rows:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.int64)
        return np.concatenate(rows), np.concatenate(keys)


@dataclass(frozen=True)
class FeatureConfig:
    """Vectoriser hyper-parameters (chosen by cross-validation on the train split)."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (2, 5)
    min_df: int = 1
    max_df: float = 1.0


def build_features(config: FeatureConfig | None = None) -> FeatureUnion:
    """An unfitted FeatureUnion of word and character TF-IDF vectorisers."""
    cfg = config or FeatureConfig()
    word = TfidfVectorizer(analyzer=WordNgrams(*cfg.word_ngrams), sublinear_tf=True,
                           min_df=cfg.min_df, max_df=cfg.max_df)
    char = TfidfVectorizer(analyzer=CharNgrams(*cfg.char_ngrams), sublinear_tf=True,
                           min_df=cfg.min_df, max_df=cfg.max_df)
    return FeatureUnion([("word", word), ("char", char)])


def _tfidf(rows: np.ndarray, cols: np.ndarray, idf: np.ndarray, n_rows: int,
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sublinear TF-IDF, l2-normalised per row, from one (row, column) pair per occurrence."""
    width = len(idf)
    pair, counts = np.unique(rows.astype(np.int64) * width + cols, return_counts=True)
    r, c = pair // width, pair % width
    val = (np.log(counts) + 1.0) * idf[c]
    norms = np.sqrt(np.bincount(r, weights=val * val, minlength=n_rows))
    return r, c, val / norms[r]


class LinearScorer:
    """``x @ W + b`` for a fitted word + character FeatureUnion and linear heads.

    ``heads`` are ``(coef, intercept)`` pairs with coef of shape
    (n_outputs, n_features); their outputs are concatenated in order.
    """

    def __init__(self, union: FeatureUnion,
                 heads: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        (_, word), (_, char) = union.transformer_list
        for vec in (word, char):
            if not (vec.sublinear_tf and vec.use_idf and vec.norm == "l2"):
                raise ValueError("LinearScorer expects sublinear, idf, l2-normalised TF-IDF")
        self._words, self._word_vocab = word.analyzer, word.vocabulary_
        self._word_idf = np.asarray(word.idf_, dtype=np.float64)
        self._chars: CharNgrams = char.analyzer
        keys = np.fromiter(char.vocabulary_.keys(), dtype=np.int64, count=len(char.vocabulary_))
        columns = np.fromiter(char.vocabulary_.values(), dtype=np.intp, count=len(keys))
        order = np.argsort(keys)
        self._char_keys, self._char_cols = keys[order], columns[order]
        self._char_idf = np.asarray(char.idf_, dtype=np.float64)
        self._offset = len(self._word_vocab)
        self.n_features = self._offset + len(self._char_keys)
        self.weights = np.ascontiguousarray(
            np.hstack([np.asarray(coef, dtype=np.float64).T for coef, _ in heads]))
        self.bias = np.concatenate([np.ravel(b).astype(np.float64) for _, b in heads])
        if self.weights.shape[0] != self.n_features:
            raise ValueError("head width does not match the feature count")

    def entries(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(row, column, value) of the non-zero TF-IDF features of many feature texts."""
        vocab = self._word_vocab
        w_rows: list[int] = []
        w_cols: list[int] = []
        for row, text in enumerate(texts):
            for gram, count in Counter(self._words(text)).items():
                col = vocab.get(gram)
                if col is not None:
                    w_cols += [col] * count
                    w_rows += [row] * count
        r1, c1, v1 = _tfidf(np.asarray(w_rows, dtype=np.intp), np.asarray(w_cols, dtype=np.intp),
                            self._word_idf, len(texts))
        rows, keys = self._chars.batch(texts)
        pos = np.searchsorted(self._char_keys, keys)
        pos[pos == len(self._char_keys)] = 0
        known = self._char_keys[pos] == keys
        r2, c2, v2 = _tfidf(rows[known], self._char_cols[pos[known]], self._char_idf, len(texts))
        return (np.concatenate([r1, r2]), np.concatenate([c1, c2 + self._offset]),
                np.concatenate([v1, v2]))

    def matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The TF-IDF matrix of many feature texts (same values as the union's transform)."""
        rows, cols, vals = self.entries(texts)
        return sp.csr_matrix((vals, (rows, cols)), shape=(len(texts), self.n_features))

    def score(self, text: str) -> np.ndarray:
        """Scores of all heads for one feature text, shape (n_outputs,)."""
        _, cols, vals = self.entries([text])
        return vals @ self.weights[cols] + self.bias

    def score_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Scores of all heads for many feature texts, shape (n, n_outputs)."""
        if not texts:
            return np.empty((0, len(self.bias)))
        return np.asarray(self.matrix(texts) @ self.weights) + self.bias
