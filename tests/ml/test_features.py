"""Feature extraction: the lean scorer must agree with scikit-learn exactly."""

from __future__ import annotations

import numpy as np

from ml.corpus import load_corpus
from ml.features import CharNgrams, LinearScorer, WordNgrams, build_features
from ml.nbsvm import NBSVMClassifier
from ml.text import feature_text


def _decode(key: int) -> str:
    n = key >> 49
    return "".join(chr((key >> (7 * i)) & 127) for i in range(n))


def test_char_ngrams_stay_inside_padded_words() -> None:
    grams = sorted(_decode(k) for k in CharNgrams(2, 4)("ab c"))
    assert grams == sorted([" a", "ab", "b ", " ab", "ab ", " ab ", " c", "c ", " c "])
    assert CharNgrams(2, 4)("") == []


def test_char_ngram_batch_matches_single_texts() -> None:
    texts = ["duong bi ngap", "", "a", "mat dien ca khom"]
    rows, keys = CharNgrams(2, 5).batch(texts)
    for i, text in enumerate(texts):
        assert sorted(keys[rows == i].tolist()) == sorted(CharNgrams(2, 5)(text))


def test_word_ngrams() -> None:
    assert WordNgrams(1, 2)("mat dien roi") == ["mat", "dien", "roi", "mat dien", "dien roi"]


def test_scorer_equals_sklearn_transform() -> None:
    texts = [feature_text(e.text) for e in load_corpus("train")[:300]] + ["", "zzz qqq"]
    union = build_features()
    X = union.fit_transform(texts)
    coef = np.random.default_rng(0).normal(size=(4, X.shape[1]))
    scorer = LinearScorer(union, [(coef[:3], np.arange(3.0)), (coef[3:], np.array([0.5]))])
    assert abs(scorer.matrix(texts) - X).max() < 1e-12
    expected = np.hstack([X @ coef[:3].T + np.arange(3.0), X @ coef[3:].T + 0.5])
    np.testing.assert_allclose(scorer.score_batch(texts), expected, atol=1e-10)
    for i in (0, 5, len(texts) - 2, len(texts) - 1):
        np.testing.assert_allclose(scorer.score(texts[i]), expected[i], atol=1e-10)


def test_nbsvm_learns_a_separable_toy_problem() -> None:
    texts = ["mat dien", "cup dien", "dien chap", "mat nuoc", "nuoc yeu", "ong nuoc be"] * 3
    labels = ["dien", "dien", "dien", "nuoc", "nuoc", "nuoc"] * 3
    union = build_features()
    clf = NBSVMClassifier().fit(union.fit_transform(texts), labels)
    assert list(clf.predict(union.transform(["lai mat dien", "khong co nuoc"]))) == \
        ["dien", "nuoc"]
    assert clf.coef_.shape == (2, len(union.get_feature_names_out()))
