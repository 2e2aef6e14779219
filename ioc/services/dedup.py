"""Duplicate detection: is a new report the same problem as an open incident nearby?

A report is a duplicate of an open incident that is within the configured
radius (default 150 m), was created within the window (default 24 h), is not
itself a duplicate, belongs to the same department (when both are known) and
whose text is similar enough. One query per batch loads the open recent
incidents around the batch into a grid; reports of the same batch are added
to the grid as they are created, so each lookup is a few dictionary reads.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from ioc.core import Core
from ioc.geo import bbox_around, haversine_m
from ioc.lifecycle import OPEN_STATUSES
from ioc.models import Incident
from ioc.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

MAX_PRELOAD = 100_000

# (incident or its id, lat, lon, department, text)
Candidate = tuple[Any, float, float, str | None, str]


class _Grid:
    """Candidates bucketed in cells larger than the radius."""

    CELL = 0.002  # degrees (~220 m): neighbours are always in the 3×3 cells around

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[Candidate]] = {}

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return int(lat // self.CELL), int(lon // self.CELL)

    def add(self, item: Candidate) -> None:
        self._cells.setdefault(self._cell(item[1], item[2]), []).append(item)

    def near(self, lat: float, lon: float) -> list[Candidate]:
        ci, cj = self._cell(lat, lon)
        return [c for di in (-1, 0, 1) for dj in (-1, 0, 1)
                for c in self._cells.get((ci + di, cj + dj), ())]


class DuplicateFinder:
    """Finds originals for the reports of one intake batch."""

    def __init__(self, uow: UnitOfWork, core: Core, points: Sequence[tuple[float, float]],
                 now: datetime) -> None:
        self.uow = uow
        self.settings = core.settings
        self.grid = _Grid()
        self._known: dict[int, tuple[str, str | None]] = {}  # id -> (code, department)
        if points:
            self._preload(points, now)

    def _preload(self, points: Sequence[tuple[float, float]], now: datetime) -> None:
        radius = self.settings.duplicate_radius_m
        lats = [p[0] for p in points]
        lons = [p[1] for p in points]
        min_lat, _, min_lon, _ = bbox_around(min(lats), min(lons), radius)
        _, max_lat, _, max_lon = bbox_around(max(lats), max(lons), radius)
        since = now - timedelta(hours=self.settings.duplicate_window_h)
        stmt = (
            select(Incident.id, Incident.code, Incident.lat, Incident.lon,
                   Incident.department_code, Incident.text)
            .where(
                Incident.lat.between(min_lat, max_lat),
                Incident.lon.between(min_lon, max_lon),
                Incident.created_at >= since,
                Incident.status.in_([s.value for s in OPEN_STATUSES]),
                Incident.duplicate_of_id.is_(None),
            )
            .limit(MAX_PRELOAD)
        )
        with self.uow.session.no_autoflush:
            rows = self.uow.session.execute(stmt).all()
        if len(rows) == MAX_PRELOAD:
            log.warning("duplicate search limited to %d recent open incidents", MAX_PRELOAD)
        for row in rows:
            self.grid.add((row.id, row.lat, row.lon, row.department_code, row.text))
            self._known[row.id] = (row.code, row.department_code)

    def add(self, incident: Any) -> None:
        """A new incident of this batch (any object with the incident's attributes)."""
        if incident.lat is not None and incident.lon is not None and incident.status != "duplicate":
            self.grid.add((incident, incident.lat, incident.lon, incident.department_code,
                           incident.text))

    def describe(self, incident_id: int) -> tuple[str, str | None]:
        """(tracking code, department) of a stored candidate."""
        return self._known[incident_id]

    def find(self, incident: Any) -> Any | None:
        """The best matching original: a stored incident's id, or an object of this batch."""
        if incident.lat is None or incident.lon is None:
            return None
        from ml.similarity import text_similarity

        radius = self.settings.duplicate_radius_m
        best: tuple[float, Any] | None = None
        for key, lat, lon, department, text in self.grid.near(incident.lat, incident.lon):
            if incident.department_code and department not in (None, incident.department_code):
                continue
            if haversine_m(incident.lat, incident.lon, lat, lon) > radius:
                continue
            score = text_similarity(incident.text, text)
            if score >= self.settings.duplicate_min_similarity and (best is None or score > best[0]):
                best = (score, key)
        return best[1] if best else None
