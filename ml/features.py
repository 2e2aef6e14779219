"""Feature extraction and a lean linear scorer for the router.

Features are word uni/bi-grams, the same for the first 12 words alone (the
problem is usually named first; weight 0.5) and character 2..4-grams within
words (weight 0.7), each block TF-IDF with sublinear tf and l2-normalised, of
the diacritic-stripped normalised text (block weights chosen by
cross-validation on the train split), so a report typed without accents gets
the same features as the same report typed with them. Training uses
scikit-learn's TfidfVectorizer with the analysers below. Character n-grams
are exact integer keys (7 bits per ASCII character), so a whole batch is cut
into n-grams and looked up with numpy at once. ``LinearScorer`` reuses the
fitted vocabularies and idf weights to compute ``x @ W + b`` without
scikit-learn's per-call overhead.
"""

from __future__ import annotations

import logging
from collections import Counter
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
        padded = [f" {text} " for text in texts]
        codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32)
        codes = np.minimum(codes, _OTHER).astype(np.int64)
        space = codes == _SPACE
        doc_of = np.repeat(np.arange(len(texts)), [len(p) for p in padded])
        several = len(texts) > 1
        rows, keys = [], []
        key, inner = codes, np.zeros(len(codes), dtype=bool)
        for n in range(1, self.hi + 1):
            m = len(codes) - n + 1
            if m <= 0:
                break
            if n > 1:  # extend every (n-1)-gram by one character
                key = key[:m] | (codes[n - 1:n - 1 + m] << (7 * (n - 1)))
                inner = inner[:m] | space[n - 2:n - 2 + m] if n > 2 else inner[:m]
            if n < self.lo:
                continue
            # a gram stays inside one space-padded word: no inner space, one text only
            valid = ~inner
            if several:
                valid &= doc_of[:m] == doc_of[n - 1:n - 1 + m]
            if n == 2:  # "  " only comes from an empty text
                valid &= ~(space[:m] & space[1:1 + m])
            rows.append(doc_of[:m][valid])
            keys.append(key[valid] | (n << 49))
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


def _unit(tf: np.ndarray, idf: np.ndarray, weight: float) -> np.ndarray:
    """Sublinear TF-IDF values of one text's n-grams, l2-normalised, times the block weight."""
    val = (np.log(tf) + 1.0) * idf
    return val * (weight / np.sqrt(val @ val))


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
        for analyzer, vocab, idf, weight, off in self._word_blocks:
            counts = Counter(map(vocab.get, analyzer(text)))
            counts.pop(None, None)
            if counts:
                cols = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
                tf = np.fromiter(counts.values(), dtype=np.float64, count=len(counts))
                total += _unit(tf, idf[cols], weight) @ self.weights[cols + off]
        cols, tf = np.unique(self._char_pairs([text])[1], return_counts=True)
        if len(cols):
            total += (_unit(tf, self._char_idf[cols], self._char_weight)
                      @ self.weights[cols + self._char_offset])
        return total

    def score_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Scores of all heads for many feature texts, shape (n, n_outputs)."""
        total = np.tile(self.bias, (len(texts), 1))
        if not texts:
            return total
        for m, weight, off in self._blocks(texts):
            total += weight * np.asarray(m @ self.weights[off:off + m.shape[1]])
        return total
