"""Feature extraction and a lean linear scorer for the router.

Features are word uni/bi-grams and character 2..4-grams within words (TF-IDF,
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
    char_ngrams: tuple[int, int] = (2, 4)
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


def _tfidf_rows(rows: np.ndarray, cols: np.ndarray, idf: np.ndarray, n_rows: int,
                ) -> sp.csr_matrix:
    """Sublinear TF-IDF rows, l2-normalised, from one (row, column) pair per occurrence."""
    m = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_rows, len(idf)))
    m.sum_duplicates()
    m.data = (np.log(m.data) + 1.0) * idf[m.indices]
    lengths = np.diff(m.indptr)
    norms = np.sqrt(np.bincount(np.repeat(np.arange(n_rows), lengths),
                                weights=m.data * m.data, minlength=n_rows))
    m.data /= np.repeat(norms, lengths)
    return m


def _tfidf_one(cols: np.ndarray, idf: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Columns and l2-normalised sublinear TF-IDF values of one text."""
    cols, counts = np.unique(cols, return_counts=True)
    val = (np.log(counts) + 1.0) * idf[cols]
    if len(val):
        val /= np.sqrt(val @ val)
    return cols, val


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

    def _word_pairs(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every known word n-gram occurrence."""
        vocab = self._word_vocab
        rows: list[int] = []
        cols: list[int] = []
        for row, text in enumerate(texts):
            found = [c for c in map(vocab.get, self._words(text)) if c is not None]
            cols += found
            rows += [row] * len(found)
        return np.asarray(rows, dtype=np.intp), np.asarray(cols, dtype=np.intp)

    def _char_pairs(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every known character n-gram occurrence."""
        rows, keys = self._chars.batch(texts)
        pos = np.searchsorted(self._char_keys, keys)
        pos[pos == len(self._char_keys)] = 0
        known = self._char_keys[pos] == keys
        return rows[known], self._char_cols[pos[known]]

    def matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The TF-IDF matrix of many feature texts (same values as the union's transform)."""
        words = _tfidf_rows(*self._word_pairs(texts), self._word_idf, len(texts))
        chars = _tfidf_rows(*self._char_pairs(texts), self._char_idf, len(texts))
        return sp.hstack([words, chars], format="csr")

    def score(self, text: str) -> np.ndarray:
        """Scores of all heads for one feature text, shape (n_outputs,)."""
        w_cols, w_val = _tfidf_one(self._word_pairs([text])[1], self._word_idf)
        c_cols, c_val = _tfidf_one(self._char_pairs([text])[1], self._char_idf)
        return (w_val @ self.weights[w_cols] + c_val @ self.weights[c_cols + self._offset]
                + self.bias)

    def score_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Scores of all heads for many feature texts, shape (n, n_outputs)."""
        if not texts:
            return np.empty((0, len(self.bias)))
        n = len(texts)
        words = _tfidf_rows(*self._word_pairs(texts), self._word_idf, n)
        chars = _tfidf_rows(*self._char_pairs(texts), self._char_idf, n)
        return (np.asarray(words @ self.weights[: self._offset])
                + np.asarray(chars @ self.weights[self._offset:]) + self.bias)
