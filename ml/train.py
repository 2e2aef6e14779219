"""Fitting the routing model: department classifier, calibration and urgency.

One scikit-learn pipeline (``feature_text`` -> word + character TF-IDF ->
NB-SVM, i.e. one-vs-rest linear SVMs on naive-Bayes-scaled features) routes
reports; a binary NB-SVM on the same features scores urgency. Out-of-fold
predictions on the training data (never the test split) set what the fits do
not learn themselves: the softmax temperature that turns department margins
into calibrated probabilities (temperature scaling), the sigmoid that turns
urgency margins into a 0..1 score (Platt scaling), and the urgency threshold
that keeps recall high.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import minimize, minimize_scalar
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from ml.features import FeatureConfig, build_features
from ml.nbsvm import NBSVMClassifier
from ml.text import feature_text, prepare
from ml.types import LabelledExample
from ml.urgency import DangerLexicon

log = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters; the defaults were chosen by cross-validation on the train split."""

    features: FeatureConfig = field(default_factory=FeatureConfig)
    C: float = 0.5  # department classifier (NB-SVM) regularisation
    nb_alpha: float = 1.0  # NB-SVM count smoothing
    svm_mix: float = 0.5  # share of a plain LinearSVC mixed into the department classifier
    urgency_C: float = 0.5
    folds: int = 4  # for the out-of-fold calibration data
    urgency_recall: float = 0.97  # out-of-fold recall the urgency threshold aims at
    max_urgency_threshold: float = 0.5
    lexicon_score: float = 0.9  # urgency score of a report with a danger term
    hint_weight: float = 2.0  # a hinted department's odds are multiplied by 1 + this
    seed: int = 13


@dataclass
class TrainedModel:
    """Everything ``model.joblib`` holds: fitted estimators and the derived constants."""

    pipeline: Pipeline  # feature_text -> features -> department classifier (NB-SVM)
    urgency: NBSVMClassifier | None  # None when no example had an urgency label
    urgency_scale: tuple[float, float]  # Platt sigmoid (a, b) on the urgency margin
    classes: tuple[str, ...]
    temperature: float
    urgency_threshold: float
    lexicon_score: float
    hint_weight: float
    stats: dict[str, object] = field(default_factory=dict)

    def department_head(self) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients (n_classes, n_features) and intercepts: one margin per department."""
        clf = self.pipeline.named_steps["classifier"]
        return np.asarray(clf.coef_), np.asarray(clf.intercept_)

    def urgency_head(self) -> tuple[np.ndarray, np.ndarray]:
        """Coefficients (1, n_features) and intercept of the Platt-scaled urgency logit."""
        a, b = self.urgency_scale
        if self.urgency is None:
            n = len(self.pipeline.named_steps["classifier"].coef_[0])
            return np.zeros((1, n)), np.array([-10.0])
        coef, intercept = self.urgency.coef_, self.urgency.intercept_
        return (a * (coef[1] - coef[0]))[None, :], np.array([a * (intercept[1] - intercept[0]) + b])


def feature_texts(texts: Sequence[str]) -> list[str]:
    """``feature_text`` of each text (the pipeline's first step)."""
    return [feature_text(t) for t in texts]


def _margin(clf: NBSVMClassifier, X: Any) -> np.ndarray:
    d = clf.decision_function(X)
    return d[:, 1] - d[:, 0]


def _lexicon_flags(texts: Sequence[str]) -> np.ndarray:
    lexicon = DangerLexicon()
    return np.array([lexicon.matches(ft, normal) for normal, ft in map(prepare, texts)])


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    """The softmax temperature minimising the log-loss of out-of-fold logits."""

    def nll(log_t: float) -> float:
        z = logits / np.exp(log_t)
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-logp[np.arange(len(y)), y].mean())

    result = minimize_scalar(nll, bounds=(-5.0, 3.0), method="bounded")
    return float(np.exp(result.x))


def fit_platt(margins: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """(a, b) such that sigmoid(a * margin + b) is a calibrated probability."""

    def nll(params: np.ndarray) -> float:
        z = params[0] * margins + params[1]
        return float(np.mean(np.logaddexp(0.0, z) - truth * z))

    result = minimize(nll, np.array([1.0, 0.0]), method="Nelder-Mead")
    return float(result.x[0]), float(result.x[1])


def urgency_threshold(scores: np.ndarray, urgent: np.ndarray, recall: float,
                      cap: float) -> float:
    """The highest threshold (at most ``cap``) whose recall on ``scores`` is >= ``recall``."""
    positives = np.sort(scores[urgent])
    if len(positives) == 0:
        return cap
    k = int(np.floor((1.0 - recall) * len(positives)))
    return float(min(cap, positives[k] - 1e-9))


def _out_of_fold(X: Any, y: np.ndarray, urgent: np.ndarray, has_urgency: np.ndarray,
                 n_classes: int, cfg: TrainConfig, say: Progress,
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Out-of-fold department margins, urgency margins and which rows got them.

    Departments with fewer examples than folds (a new code known only from a
    few corrections) are kept in every training fold and never held out.
    """
    logits = np.zeros((len(y), n_classes))
    u_margins = np.zeros(len(y))
    held_out = np.zeros(len(y), dtype=bool)
    counts = np.bincount(y, minlength=n_classes)
    common = np.flatnonzero(counts[y] >= cfg.folds)
    rare = np.flatnonzero(counts[y] < cfg.folds)
    if cfg.folds < 2 or len(set(y[common])) < 2:
        return logits, u_margins, held_out, 0
    splitter = StratifiedKFold(cfg.folds, shuffle=True, random_state=cfg.seed)
    for i, (tr_c, te_c) in enumerate(splitter.split(common, y[common]), 1):
        say(f"cross-validation fold {i}/{cfg.folds}")
        tr, te = np.concatenate([common[tr_c], rare]), common[te_c]
        clf = NBSVMClassifier(cfg.C, cfg.nb_alpha, cfg.svm_mix).fit(X[tr], y[tr])
        logits[np.ix_(te, clf.classes_)] = clf.decision_function(X[te])
        held_out[te] = True
        tr_u = tr[has_urgency[tr]]
        if len(set(urgent[tr_u])) == 2:
            uclf = NBSVMClassifier(cfg.urgency_C, cfg.nb_alpha).fit(X[tr_u], urgent[tr_u])
            u_margins[te] = _margin(uclf, X[te])
    return logits, u_margins, held_out, cfg.folds


def fit_model(examples: Sequence[LabelledExample], config: TrainConfig | None = None,
              progress: Progress | None = None) -> TrainedModel:
    """Fit department and urgency models on ``examples``.

    Raises ValueError with fewer than two departments.
    """
    cfg = config or TrainConfig()
    say = progress or (lambda _msg: None)
    started = time.perf_counter()
    texts = [e.text for e in examples]
    labels = np.array([e.department for e in examples])
    classes = tuple(str(c) for c in sorted(set(labels)))
    if len(classes) < 2:
        raise ValueError("training needs examples of at least two departments")
    y = np.searchsorted(classes, labels)
    say(f"featurising {len(texts)} examples")
    features = build_features(cfg.features)
    X = features.fit_transform(feature_texts(texts))
    has_urgency = np.array([e.urgent is not None for e in examples])
    urgent = np.array([bool(e.urgent) for e in examples])
    can_learn_urgency = len(set(urgent[has_urgency])) == 2

    logits, u_margins, held_out, folds = _out_of_fold(X, y, urgent, has_urgency,
                                                      len(classes), cfg, say)
    temperature = fit_temperature(logits[held_out], y[held_out]) if folds else 1.0
    known = has_urgency & held_out
    if can_learn_urgency and len(set(urgent[known])) == 2:
        scale = fit_platt(u_margins[known], urgent[known])
        oof_urgency = 1.0 / (1.0 + np.exp(-(scale[0] * u_margins + scale[1])))
        lexicon = _lexicon_flags(texts)
        combined = np.maximum(oof_urgency, np.where(lexicon, cfg.lexicon_score, 0.0))
        u_threshold = urgency_threshold(combined[known], urgent[known], cfg.urgency_recall,
                                        cfg.max_urgency_threshold)
    else:  # too few labels to calibrate: the default sigmoid and a cautious threshold
        scale, combined, u_threshold = (1.0, 0.0), np.zeros(len(y)), cfg.max_urgency_threshold

    say("fitting the department classifier")
    clf = NBSVMClassifier(cfg.C, cfg.nb_alpha, cfg.svm_mix).fit(X, y)
    pipeline = Pipeline([
        ("normalize", FunctionTransformer(feature_texts).fit(texts[:1])),
        ("features", features),
        ("classifier", clf),
    ])
    uclf = None
    if can_learn_urgency:
        say("fitting the urgency model")
        uclf = NBSVMClassifier(cfg.urgency_C, cfg.nb_alpha).fit(X[has_urgency],
                                                                 urgent[has_urgency])
    stats = {
        "examples": len(texts),
        "features": int(X.shape[1]),
        "folds": folds,
        "oof_accuracy": _rate(logits.argmax(axis=1) == y, held_out),
        "oof_urgency_recall": _rate(combined >= u_threshold, urgent & known),
        "oof_urgency_precision": _rate(urgent, (combined >= u_threshold) & known),
        "fit_seconds": round(time.perf_counter() - started, 2),
    }
    log.info("fitted routing model: %s", stats)
    return TrainedModel(pipeline, uclf, scale, classes, temperature, u_threshold,
                        cfg.lexicon_score, cfg.hint_weight, stats)


def _rate(hits: np.ndarray, among: np.ndarray) -> float | None:
    return float(hits[among].mean()) if among.any() else None
