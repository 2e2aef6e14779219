"""Routing: which department acts on a report, how sure we are, how urgent.

Wraps whatever model the ``ml`` package provides behind a provider function,
so the model can be swapped (hot reload) without the callers noticing. With
no model, or when the model is unsure, the department stays empty and the
incident waits in the manual triage queue: a guess is never routed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

#: Sensor kinds and the department their alerts go to.
SENSOR_ROUTES: dict[str, str] = {
    "water_level": "do_thi",
    "flood_depth": "do_thi",
    "rainfall": "do_thi",
    "air_quality": "moi_truong",
    "pm25": "moi_truong",
    "water_quality": "moi_truong",
    "noise": "an_ninh",
    "smoke": "pccc",
    "gas": "pccc",
    "fire": "pccc",
    "temperature": "pccc",
}
#: Sensor kinds whose alerts are always urgent.
URGENT_SENSOR_KINDS = frozenset({"smoke", "gas", "fire"})


class Model(Protocol):
    """The part of ``ml``'s Router that routing relies on."""

    version: str

    def classify_batch(
        self, texts: Sequence[str], hints: Sequence[str | None] | None = None
    ) -> list[Any]: ...


@dataclass(frozen=True)
class RoutingDecision:
    """The outcome of routing one report."""

    department: str | None
    confidence: float
    urgent: bool
    model_version: str | None
    candidates: tuple[tuple[str, float], ...] = ()


class RoutingService:
    """Route reports in batches with the current model."""

    def __init__(self, model_provider: Callable[[], Model | None], known_codes: set[str]) -> None:
        self._provider = model_provider
        self._known = known_codes

    def route(
        self, texts: Sequence[str], hints: Sequence[str | None] | None = None
    ) -> list[RoutingDecision]:
        """One decision per text, in order."""
        if not texts:
            return []
        model = self._provider()
        if model is None:
            return [RoutingDecision(None, 0.0, False, None) for _ in texts]
        predictions = model.classify_batch(list(texts), list(hints) if hints else None)
        decisions = []
        for pred in predictions:
            department = str(pred.department) if pred.department in self._known else None
            decisions.append(
                RoutingDecision(
                    department=department,
                    confidence=float(pred.confidence),
                    urgent=bool(pred.urgent),
                    model_version=model.version,
                    candidates=tuple((str(c), float(p)) for c, p in pred.candidates),
                )
            )
        return decisions


def route_sensor(kind: str, value: float, threshold: float | None) -> RoutingDecision:
    """Sensor alerts are routed by kind; urgency by kind or by how far past the threshold."""
    department = SENSOR_ROUTES.get(kind)
    urgent = kind in URGENT_SENSOR_KINDS or (
        threshold is not None and threshold > 0 and value >= 1.5 * threshold
    )
    return RoutingDecision(department, 1.0 if department else 0.0, urgent, "rule:sensor")
