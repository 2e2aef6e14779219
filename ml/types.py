"""Value types shared by the classifier, the store and their callers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prediction:
    """What the router decided for one report."""

    department: str | None  # taxonomy code; None when confidence < threshold (manual triage)
    confidence: float  # calibrated probability of the top department, 0..1
    urgent: bool
    urgency: float  # 0..1 score behind `urgent`
    candidates: tuple[tuple[str, float], ...]  # top 3 (code, probability), best first
    model_version: str

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready dict (candidates as lists, probabilities rounded)."""
        return {
            "department": self.department,
            "confidence": round(self.confidence, 4),
            "urgent": self.urgent,
            "urgency": round(self.urgency, 4),
            "candidates": [[code, round(p, 4)] for code, p in self.candidates],
            "model_version": self.model_version,
        }


@dataclass(frozen=True)
class LabelledExample:
    """One report with the department that must act (and, when known, urgency)."""

    text: str
    department: str
    urgent: bool | None = None
    style: str | None = None  # corpus style (app, nodiac, chat, hotline, formal, english)
