"""Evaluation of a router on labelled examples, and its human-readable report.

Department metrics use the router's top candidate (what it would route to
with no threshold); ``coverage`` says how many reports clear the confidence
threshold and how accurate those are. The same texts are classified again
with their diacritics stripped to measure how much accents matter.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support

from ml.normalize import strip_diacritics
from ml.types import LabelledExample, Prediction

log = logging.getLogger(__name__)


class Classifier(Protocol):
    """What evaluation needs from a router."""

    threshold: float

    def classify_batch(self, texts: Sequence[str],
                       hints: Sequence[str | None] | None = None) -> list[Prediction]: ...


@dataclass
class EvalReport:
    """Figures of one evaluation; ``to_dict`` is what report.json holds."""

    examples: int
    macro_f1: float
    accuracy: float
    min_f1: float
    per_department: dict[str, dict[str, float]]
    labels: list[str]
    confusion: list[list[int]]  # rows: true department, columns: predicted, in `labels` order
    stripped_macro_f1: float
    diacritics_drop: float
    urgency_recall: float | None
    urgency_precision: float | None
    urgent_examples: int
    coverage: float  # share of reports at or above the threshold
    routed_accuracy: float | None  # accuracy on those
    threshold: float
    per_style: dict[str, dict[str, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EvalReport:
        """The inverse of ``to_dict``."""
        return cls(**data)


def _top(predictions: Sequence[Prediction]) -> list[str]:
    return [p.candidates[0][0] if p.candidates else "" for p in predictions]


def evaluate(router: Classifier, examples: Sequence[LabelledExample]) -> EvalReport:
    """Score ``router`` on ``examples``; raises ValueError when there are none."""
    if not examples:
        raise ValueError("nothing to evaluate: no examples")
    texts = [e.text for e in examples]
    truth = [e.department for e in examples]
    predictions = router.classify_batch(texts)
    predicted = _top(predictions)
    stripped = _top(router.classify_batch([strip_diacritics(t) for t in texts]))
    labels = sorted(set(truth) | set(predicted))
    present = sorted(set(truth))
    precision, recall, f1, support = precision_recall_fscore_support(
        truth, predicted, labels=present, zero_division=0)
    macro = float(np.mean(f1))
    stripped_macro = float(np.mean(f1_score(truth, stripped, labels=present, average=None,
                                            zero_division=0)))
    per_department = {
        code: {"precision": float(p), "recall": float(r), "f1": float(f), "support": int(s)}
        for code, p, r, f, s in zip(present, precision, recall, f1, support, strict=True)
    }
    correct = np.array([p == t for p, t in zip(predicted, truth, strict=True)])
    routed = np.array([p.department is not None for p in predictions])
    u_recall, u_precision, n_urgent = _urgency(examples, predictions)
    return EvalReport(
        examples=len(examples),
        macro_f1=macro,
        accuracy=float(correct.mean()),
        min_f1=float(np.min(f1)),
        per_department=per_department,
        labels=labels,
        confusion=_confusion(truth, predicted, labels),
        stripped_macro_f1=stripped_macro,
        diacritics_drop=macro - stripped_macro,
        urgency_recall=u_recall,
        urgency_precision=u_precision,
        urgent_examples=n_urgent,
        coverage=float(routed.mean()),
        routed_accuracy=float(correct[routed].mean()) if routed.any() else None,
        threshold=float(router.threshold),
        per_style=_per_style(examples, correct),
    )


def _confusion(truth: Sequence[str], predicted: Sequence[str], labels: list[str],
               ) -> list[list[int]]:
    """Counts of (true, predicted) pairs, rows and columns in ``labels`` order."""
    index = {label: i for i, label in enumerate(labels)}
    matrix = np.zeros((len(labels), len(labels)), dtype=int)
    for t, p in zip(truth, predicted, strict=True):
        matrix[index[t], index[p]] += 1
    return matrix.tolist()


def _urgency(examples: Sequence[LabelledExample],
             predictions: Sequence[Prediction]) -> tuple[float | None, float | None, int]:
    pairs = [(bool(e.urgent), p.urgent) for e, p in zip(examples, predictions, strict=True)
             if e.urgent is not None]
    if not pairs:
        return None, None, 0
    truth = np.array([t for t, _ in pairs])
    flagged = np.array([p for _, p in pairs])
    recall = float(flagged[truth].mean()) if truth.any() else None
    precision = float(truth[flagged].mean()) if flagged.any() else None
    return recall, precision, int(truth.sum())


def _per_style(examples: Sequence[LabelledExample],
               correct: np.ndarray) -> dict[str, dict[str, float]]:
    styles: dict[str, list[bool]] = {}
    for example, ok in zip(examples, correct, strict=True):
        if example.style:
            styles.setdefault(example.style, []).append(bool(ok))
    return {s: {"accuracy": float(np.mean(v)), "examples": len(v)}
            for s, v in sorted(styles.items())}


def _fmt(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:.3f}"


def format_report(report: EvalReport) -> str:
    """The report as a plain-text table (department scores, confusion matrix, urgency)."""
    lines = [
        f"examples: {report.examples}    macro-F1: {report.macro_f1:.3f}    "
        f"accuracy: {report.accuracy:.3f}    min F1: {report.min_f1:.3f}",
        f"without diacritics: macro-F1 {report.stripped_macro_f1:.3f} "
        f"(drop {report.diacritics_drop:+.3f})",
        f"urgency: recall {_fmt(report.urgency_recall)}  precision "
        f"{_fmt(report.urgency_precision)}  ({report.urgent_examples} urgent)",
        f"threshold {report.threshold:.2f}: {report.coverage:.1%} routed automatically, "
        f"accuracy on those {_fmt(report.routed_accuracy)}",
        "",
        f"{'department':<14}{'precision':>10}{'recall':>8}{'F1':>8}{'support':>9}",
    ]
    for code, m in report.per_department.items():
        lines.append(f"{code:<14}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}"
                     f"{int(m['support']):>9}")
    if report.per_style:
        lines += ["", "accuracy by style: " + "  ".join(
            f"{s} {m['accuracy']:.3f} ({int(m['examples'])})" for s, m in report.per_style.items())]
    width = max(5, *(len(c) for c in report.labels))
    short = [c[:6] for c in report.labels]
    lines += ["", "confusion matrix (rows: true, columns: predicted)",
              " " * (width + 1) + "".join(f"{s:>7}" for s in short)]
    for code, row in zip(report.labels, report.confusion, strict=True):
        lines.append(f"{code:<{width + 1}}" + "".join(f"{v:>7}" for v in row))
    return "\n".join(lines)
