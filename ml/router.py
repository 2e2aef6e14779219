"""The loaded routing model: text (and an optional hint) in, ``Prediction`` out.

Both paths share one ``LinearScorer`` whose weight matrix holds the department
classifier and the urgency model side by side, so a report is featurised once
and scored with one gather-and-dot. Confidences are the classifier's softmax
at the calibrated temperature; a category hint multiplies the odds of the
hinted department instead of replacing the text's verdict.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from ml.features import LinearScorer
from ml.normalize import strip_diacritics
from ml.text import feature_text, prepare
from ml.train import TrainedModel
from ml.types import Prediction
from ml.urgency import DangerLexicon

log = logging.getLogger(__name__)

TOP_K = 3


class Router:
    """A trained model ready to classify reports.

    ``threshold``: below this confidence the department is None (manual triage).
    """

    def __init__(self, model: TrainedModel, version: str, threshold: float = 0.45) -> None:
        self.model = model
        self.version = version
        self.threshold = float(threshold)
        self._scorer = LinearScorer(model.pipeline.named_steps["features"],
                                    [model.department_head(), model.urgency_head()])
        self._codes = model.classes
        self._n = len(model.classes)
        self._inv_t = 1.0 / model.temperature
        self._lexicon = DangerLexicon()
        self._code_index = {code: i for i, code in enumerate(self._codes)}
        for i, code in enumerate(self._codes):  # "do thi", "Do_Thi" ... name the code too
            self._code_index.setdefault(code.replace("_", " "), i)

    @property
    def departments(self) -> tuple[str, ...]:
        """The department codes this model can predict."""
        return self._codes

    def classify(self, text: str, hint: str | None = None) -> Prediction:
        """Route one report; ``hint`` (a code or free words) is extra evidence."""
        normal, ft = prepare(text)
        scores = self._scorer.score(ft)
        probs = self._softmax(scores[None, : self._n])[0]
        if hint:
            probs = self._apply_hint(probs[None, :], [hint])[0]
        return self._predictions(probs[None, :], scores[None, self._n], [(normal, ft)])[0]

    def classify_batch(self, texts: Sequence[str],
                       hints: Sequence[str | None] | None = None) -> list[Prediction]:
        """Route many reports at once (the ingest path); one Prediction per text, in order."""
        if not texts:
            return []
        prepared = [prepare(t) for t in texts]
        scores = self._scorer.score_batch([ft for _, ft in prepared])
        probs = self._softmax(scores[:, : self._n])
        if hints is not None and any(hints):
            if len(hints) != len(texts):
                raise ValueError("hints must be None or as long as texts")
            probs = self._apply_hint(probs, hints)
        return self._predictions(probs, scores[:, self._n], prepared)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated department probabilities, shape (n, len(departments))."""
        return self._softmax(self._scorer.score_batch([feature_text(t) for t in texts])[:, : self._n])

    def _softmax(self, logits: np.ndarray) -> np.ndarray:
        z = logits * self._inv_t
        z -= z.max(axis=1, keepdims=True)
        np.exp(z, out=z)
        z /= z.sum(axis=1, keepdims=True)
        return z

    def _hint_vector(self, hint: str) -> np.ndarray | None:
        """A distribution over departments from a hint: one-hot for a code, else the model's."""
        key = strip_diacritics(hint).strip().lower()
        index = self._code_index.get(key, self._code_index.get(key.replace("-", "_")))
        if index is not None:
            vec = np.zeros(self._n)
            vec[index] = 1.0
            return vec
        ft = feature_text(hint)
        if not ft:
            return None
        return self._softmax(self._scorer.score(ft)[None, : self._n])[0]

    def _apply_hint(self, probs: np.ndarray, hints: Sequence[str | None]) -> np.ndarray:
        """Multiply each hinted department's odds by ``1 + hint_weight`` and renormalise."""
        probs = probs.copy()
        weight = self.model.hint_weight
        for row, hint in enumerate(hints):
            vec = self._hint_vector(hint) if hint else None
            if vec is not None:
                probs[row] *= 1.0 + weight * vec
                probs[row] /= probs[row].sum()
        return probs

    def _predictions(self, probs: np.ndarray, urgency_logits: np.ndarray,
                     prepared: Sequence[tuple[str, str]]) -> list[Prediction]:
        """Predictions from department probabilities and urgency logits, row by row."""
        codes, model, lexicon = self._codes, self.model, self._lexicon
        columns = range(self._n)
        urgencies = (1.0 / (1.0 + np.exp(-urgency_logits))).tolist()
        results = []
        for row, urgency, (normal, ft) in zip(probs.tolist(), urgencies, prepared, strict=True):
            top = sorted(columns, key=row.__getitem__, reverse=True)[:TOP_K]
            candidates = tuple((codes[i], row[i]) for i in top)
            confidence = candidates[0][1]
            # the lexicon is a safety net for what the model does not already flag
            if urgency < model.urgency_threshold and lexicon.matches(ft, normal):
                urgency = model.lexicon_score
            results.append(Prediction(
                department=candidates[0][0] if confidence >= self.threshold else None,
                confidence=confidence,
                urgent=urgency >= model.urgency_threshold,
                urgency=urgency,
                candidates=candidates,
                model_version=self.version,
            ))
        return results
