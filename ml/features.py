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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

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


class LeadWords(WordNgrams):
    """Word n-grams of the first ``k`` words only: the problem is usually named first."""

    def __init__(self, k: int = 12, lo: int = 1, hi: int = 2) -> None:
        super().__init__(lo, hi)
        self.k = k

    def __call__(self, text: str) -> list[str]:
        return super().__call__(" ".join(text.split()[: self.k]))


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
    lead_words: int = 12  # the first words get a block of their own (0 = none)
    lead_weight: float = 0.5
    char_weight: float = 0.7
    min_df: int = 1
    max_df: float = 1.0


def build_features(config: FeatureConfig | None = None) -> FeatureUnion:
    """An unfitted FeatureUnion of word, lead-word and character TF-IDF vectorisers."""
    cfg = config or FeatureConfig()

    def tfidf(analyzer: Callable[[str], list[Any]]) -> TfidfVectorizer:
        return TfidfVectorizer(analyzer=analyzer, sublinear_tf=True, min_df=cfg.min_df,
                               max_df=cfg.max_df)

    blocks = [("word", tfidf(WordNgrams(*cfg.word_ngrams)))]
    weights = {"word": 1.0, "char": cfg.char_weight}
    if cfg.lead_words:
        blocks.append(("lead", tfidf(LeadWords(cfg.lead_words, *cfg.word_ngrams))))
        weights["lead"] = cfg.lead_weight
    blocks.append(("char", tfidf(CharNgrams(*cfg.char_ngrams))))
    return FeatureUnion(blocks, transformer_weights=weights)


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
    """``x @ W + b`` for a fitted FeatureUnion (word blocks, then one character block).

    ``heads`` are ``(coef, intercept)`` pairs with coef of shape
    (n_outputs, n_features); their outputs are concatenated in order.
    """

    def __init__(self, union: FeatureUnion,
                 heads: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        weights = union.transformer_weights or {}
        self._word_blocks = []  # (analyzer, vocabulary, idf * weight, offset)
        offset = 0
        char = None
        for name, vec in union.transformer_list:
            if not (vec.sublinear_tf and vec.use_idf and vec.norm == "l2"):
                raise ValueError("LinearScorer expects sublinear, idf, l2-normalised TF-IDF")
            idf = np.asarray(vec.idf_, dtype=np.float64)
            weight = float(weights.get(name, 1.0))
            if isinstance(vec.analyzer, CharNgrams):
                if char is not None or name != union.transformer_list[-1][0]:
                    raise ValueError("LinearScorer expects one character block, last")
                char = (vec, idf, weight, offset)
            else:
                self._word_blocks.append((vec.analyzer, vec.vocabulary_, idf, weight, offset))
            offset += len(vec.vocabulary_)
        if char is None:
            raise ValueError("LinearScorer expects a character n-gram block")
        vec, self._char_idf, self._char_weight, self._char_offset = char
        self._chars: CharNgrams = vec.analyzer
        keys = np.fromiter(vec.vocabulary_.keys(), dtype=np.int64, count=len(vec.vocabulary_))
        columns = np.fromiter(vec.vocabulary_.values(), dtype=np.intp, count=len(keys))
        order = np.argsort(keys)
        self._char_keys, self._char_cols = keys[order], columns[order]
        self.n_features = offset
        self.weights = np.ascontiguousarray(
            np.hstack([np.asarray(coef, dtype=np.float64).T for coef, _ in heads]))
        self.bias = np.concatenate([np.ravel(b).astype(np.float64) for _, b in heads])
        if self.weights.shape[0] != self.n_features:
            raise ValueError("head width does not match the feature count")

    @staticmethod
    def _word_pairs(analyzer: Callable[[str], list[str]], vocab: dict[str, int],
                    texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every known word n-gram occurrence."""
        cols: list[int] = []
        lengths = []
        for text in texts:
            grams = analyzer(text)
            cols += map(vocab.get, grams, repeat(-1))  # unknown n-grams -> -1
            lengths.append(len(grams))
        col = np.asarray(cols, dtype=np.intp)
        row = np.repeat(np.arange(len(texts)), lengths)
        known = col >= 0
        return row[known], col[known]

    def _char_pairs(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) of every known character n-gram occurrence."""
        rows, keys = self._chars.batch(texts)
        pos = np.searchsorted(self._char_keys, keys)
        pos[pos == len(self._char_keys)] = 0
        known = self._char_keys[pos] == keys
        return rows[known], self._char_cols[pos[known]]

    def _blocks(self, texts: Sequence[str]) -> list[tuple[sp.csr_matrix, float, int]]:
        n = len(texts)
        blocks = [(_tfidf_rows(*self._word_pairs(analyzer, vocab, texts), idf, n), weight, off)
                  for analyzer, vocab, idf, weight, off in self._word_blocks]
        blocks.append((_tfidf_rows(*self._char_pairs(texts), self._char_idf, n),
                       self._char_weight, self._char_offset))
        return blocks

    def matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The TF-IDF matrix of many feature texts (same values as the union's transform)."""
        return sp.hstack([m * w for m, w, _ in self._blocks(texts)], format="csr")

    def score(self, text: str) -> np.ndarray:
        """Scores of all heads for one feature text, shape (n_outputs,)."""
        total = self.bias.copy()
        texts = [text]
        for analyzer, vocab, idf, weight, off in self._word_blocks:
            cols, val = _tfidf_one(self._word_pairs(analyzer, vocab, texts)[1], idf)
            total += (weight * val) @ self.weights[cols + off]
        cols, val = _tfidf_one(self._char_pairs(texts)[1], self._char_idf)
        total += (self._char_weight * val) @ self.weights[cols + self._char_offset]
        return total

    def score_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Scores of all heads for many feature texts, shape (n, n_outputs)."""
        total = np.tile(self.bias, (len(texts), 1))
        if not texts:
            return total
        for m, weight, off in self._blocks(texts):
            total += weight * np.asarray(m @ self.weights[off:off + m.shape[1]])
        return total
