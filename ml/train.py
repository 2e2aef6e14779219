"""Fitting the routing model: department classifier, calibration and urgency.

One scikit-learn pipeline (``feature_text`` -> word + character TF-IDF ->
linear SVM, one-vs-rest) routes reports; a logistic regression on the same
features scores urgency. Out-of-fold predictions on the training data (never
the test split) set the numbers the fits do not learn themselves: the softmax
temperature that turns SVM margins into calibrated probabilities (temperature
scaling), and the urgency threshold that keeps recall high.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.svm import LinearSVC

from ml.features import FeatureConfig, build_features
from ml.normalize import normalize
from ml.text import feature_text
from ml.types import LabelledExample
from ml.urgency import DangerLexicon

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters; the defaults were chosen by cross-validation on the train split."""

    features: FeatureConfig = field(default_factory=FeatureConfig)
    C: float = 0.5  # department classifier (LinearSVC) regularisation
    urgency_C: float = 3.0
    folds: int = 4  # for the out-of-fold calibration data
    urgency_recall: float = 0.97  # out-of-fold recall the urgency threshold aims at
    max_urgency_threshold: float = 0.5
    lexicon_score: float = 0.9  # urgency score of a report with a danger term
    hint_weight: float = 2.0  # a hinted department's odds are multiplied by 1 + this
    seed: int = 13


@dataclass
class TrainedModel:
    """Everything ``model.joblib`` holds: fitted estimators and the derived constants."""

    pipeline: Pipeline  # feature_text -> features -> department classifier (LinearSVC)
    urgency: LogisticRegression
    classes: tuple[str, ...]
    temperature: float
    urgency_threshold: float
    lexicon_score: float
    hint_weight: float
    stats: dict[str, object] = field(default_factory=dict)


def feature_texts(texts: Sequence[str]) -> list[str]:
    """``feature_text`` of each text (the pipeline's first step)."""
    return [feature_text(t) for t in texts]


def _classifier(C: float) -> LinearSVC:
    return LinearSVC(C=C)


def department_head(clf: LinearSVC) -> tuple[np.ndarray, np.ndarray]:
    """Coefficients (n_classes, n_features) and intercepts giving one margin per class.

    A two-class SVM has a single margin m; it becomes (-m/2, m/2), whose softmax
    is the sigmoid of m, so the router treats every model alike.
    """
    coef, intercept = np.asarray(clf.coef_), np.asarray(clf.intercept_)
    if coef.shape[0] == 1:
        coef, intercept = np.vstack([-coef / 2, coef / 2]), np.concatenate([-intercept / 2,
                                                                            intercept / 2])
    return coef, intercept


def _margins(clf: LinearSVC, X: Any) -> np.ndarray:
    coef, intercept = department_head(clf)
    return np.asarray(X @ coef.T) + intercept


def _urgency_classifier(C: float) -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=2000, class_weight="balanced")


def _lexicon_flags(texts: Sequence[str]) -> np.ndarray:
    lexicon = DangerLexicon()
    return np.array([lexicon.matches(feature_text(t), normalize(t)) for t in texts])


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature minimising the log-loss of out-of-fold logits."""

    def nll(log_t: float) -> float:
        z = logits / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())

    result = minimize_scalar(nll, bounds=(-3.0, 3.0), method="bounded")
    return float(np.exp(result.x))


def urgency_threshold(scores: np.ndarray, urgent: np.ndarray, recall: float,
                      cap: float) -> float:
    """The highest threshold (at most ``cap``) whose recall on ``scores`` is >= ``recall``."""
    positives = np.sort(scores[urgent])
    if len(positives) == 0:
        return cap
    k = int(np.floor((1.0 - recall) * len(positives)))
    return float(min(cap, positives[k] - 1e-9))


def fit_model(examples: Sequence[LabelledExample], config: TrainConfig | None = None,
              progress: Progress | None = None) -> TrainedModel:
    """Fit department and urgency models on ``examples``; raises ValueError when too few."""
    cfg = config or TrainConfig()
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    texts = [e.text for e in examples]
    labels = np.array([e.department for e in examples])
    classes = tuple(sorted(set(labels)))
    if len(classes) < 2:
        raise ValueError("training needs examples of at least two departments")
    y = np.searchsorted(classes, labels)
    say(f"featurising {len(texts)} examples")
    fts = feature_texts(texts)
    features = build_features(cfg.features)
    X = features.fit_transform(fts)
    has_urgency = np.array([e.urgent is not None for e in examples])
    urgent = np.array([bool(e.urgent) for e in examples])
    lexicon = _lexicon_flags(texts)

    folds = min(cfg.folds, int(np.bincount(y).min()))
    oof_logits = np.zeros((len(y), len(classes)))
    oof_urgency = np.zeros(len(y))
    if folds >= 2:
        splitter = StratifiedKFold(folds, shuffle=True, random_state=cfg.seed)
        for i, (tr, te) in enumerate(splitter.split(X, y), 1):
            say(f"cross-validation fold {i}/{folds}")
            clf = _classifier(cfg.C).fit(X[tr], y[tr])
            oof_logits[np.ix_(te, clf.classes_)] = _margins(clf, X[te])
            missing = np.setdiff1d(np.arange(len(classes)), clf.classes_)
            oof_logits[np.ix_(te, missing)] = -1e3
            tr_u = tr[has_urgency[tr]]
            if len(set(urgent[tr_u])) == 2:
                uclf = _urgency_classifier(cfg.urgency_C).fit(X[tr_u], urgent[tr_u])
                oof_urgency[te] = uclf.predict_proba(X[te])[:, 1]
        temperature = fit_temperature(oof_logits, y)
    else:
        temperature = 1.0
    combined = np.maximum(oof_urgency, np.where(lexicon, cfg.lexicon_score, 0.0))
    mask = has_urgency
    u_threshold = urgency_threshold(combined[mask], urgent[mask], cfg.urgency_recall,
                                    cfg.max_urgency_threshold)

    say("fitting the department classifier")
    clf = _classifier(cfg.C).fit(X, y)
    pipeline = Pipeline([
        ("normalize", FunctionTransformer(feature_texts).fit(texts[:1])),
        ("features", features),
        ("classifier", clf),
    ])
    say("fitting the urgency model")
    if len(set(urgent[has_urgency])) == 2:
        uclf = _urgency_classifier(cfg.urgency_C).fit(X[has_urgency], urgent[has_urgency])
    else:  # no urgency labels: the lexicon decides alone
        uclf = _urgency_classifier(cfg.urgency_C).fit(X[:2], np.array([False, True]))
        uclf.coef_[:] = 0.0
        uclf.intercept_[:] = -10.0
    stats = {
        "examples": len(texts),
        "features": int(X.shape[1]),
        "folds": folds,
        "oof_accuracy": float((oof_logits.argmax(axis=1) == y).mean()) if folds >= 2 else None,
        "fit_seconds": round(time.perf_counter() - started, 2),
    }
    log.info("fitted routing model: %s", stats)
    return TrainedModel(pipeline, uclf, classes, temperature, u_threshold,
                        cfg.lexicon_score, cfg.hint_weight, stats)
