"""Feature extraction and a lean linear scorer for the router.

Features are word uni/bi-grams and character n-grams (TF-IDF) of the
diacritic-stripped normalised text, so a report typed without accents gets
the same features as the same report typed with them. Training uses the
scikit-learn objects; at prediction time ``LinearScorer`` reuses their
analysers, vocabularies and idf weights but computes ``x @ W + b`` with numpy
directly, skipping scikit-learn's per-call validation (a single report scores
in well under a millisecond).
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
    word = TfidfVectorizer(analyzer="word", token_pattern=r"(?u)\b\w+\b", lowercase=False,
                           ngram_range=cfg.word_ngrams, sublinear_tf=True,
                           min_df=cfg.min_df, max_df=cfg.max_df)
    char = TfidfVectorizer(analyzer="char_wb", lowercase=False, ngram_range=cfg.char_ngrams,
                           sublinear_tf=True, min_df=cfg.min_df, max_df=cfg.max_df)
    return FeatureUnion([("word", word), ("char", char)])


class LinearScorer:
    """``x @ W + b`` for a fitted FeatureUnion of TfidfVectorizers and linear heads.

    ``heads`` are ``(coef, intercept)`` pairs with coef of shape
    (n_outputs, n_features); their outputs are concatenated in order.
    """

    def __init__(self, union: FeatureUnion,
                 heads: Sequence[tuple[np.ndarray, np.ndarray]]) -> None:
        self._blocks = []
        offset = 0
        for _, vec in union.transformer_list:
            if not (vec.sublinear_tf and vec.use_idf and vec.norm == "l2"):
                raise ValueError("LinearScorer expects sublinear, idf, l2-normalised TF-IDF")
            self._blocks.append((vec.build_analyzer(), vec.vocabulary_,
                                 np.asarray(vec.idf_, dtype=np.float64), offset))
            offset += len(vec.vocabulary_)
        self.n_features = offset
        self.weights = np.ascontiguousarray(
            np.hstack([np.asarray(coef, dtype=np.float64).T for coef, _ in heads]))
        self.bias = np.concatenate([np.ravel(b).astype(np.float64) for _, b in heads])
        if self.weights.shape[0] != offset:
            raise ValueError("head width does not match the feature count")

    def vectorize(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and TF-IDF values of one feature text."""
        all_idx, all_val = [], []
        for analyze, vocab, idf, offset in self._blocks:
            counts = Counter(analyze(text))
            pairs = [(vocab[t], c) for t, c in counts.items() if t in vocab]
            if not pairs:
                continue
            idx = np.fromiter((j for j, _ in pairs), dtype=np.intp, count=len(pairs))
            tf = np.fromiter((c for _, c in pairs), dtype=np.float64, count=len(pairs))
            val = (np.log(tf) + 1.0) * idf[idx]
            val /= np.sqrt(val @ val)
            all_idx.append(idx + offset)
            all_val.append(val)
        if not all_idx:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.float64)
        if len(all_idx) == 1:
            return all_idx[0], all_val[0]
        return np.concatenate(all_idx), np.concatenate(all_val)

    def score(self, text: str) -> np.ndarray:
        """Scores of all heads for one feature text, shape (n_outputs,)."""
        idx, val = self.vectorize(text)
        return val @ self.weights[idx] + self.bias

    def matrix(self, texts: Sequence[str]) -> sp.csr_matrix:
        """The TF-IDF matrix of many feature texts (same values as the union's transform)."""
        indptr = [0]
        indices: list[np.ndarray] = []
        data: list[np.ndarray] = []
        for text in texts:
            idx, val = self.vectorize(text)
            indices.append(idx)
            data.append(val)
            indptr.append(indptr[-1] + len(idx))
        return sp.csr_matrix(
            (np.concatenate(data) if data else np.empty(0),
             np.concatenate(indices) if indices else np.empty(0, dtype=np.intp),
             np.asarray(indptr)),
            shape=(len(texts), self.n_features))

    def score_batch(self, texts: Sequence[str]) -> np.ndarray:
        """Scores of all heads for many feature texts, shape (n, n_outputs)."""
        return np.asarray(self.matrix(texts) @ self.weights) + self.bias
