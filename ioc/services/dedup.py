"""Duplicate detection: is a new report the same problem as an open incident nearby?

A report is a duplicate of an open incident that is within the configured
radius (default 150 m), was created within the window (default 24 h), is not
itself a duplicate, belongs to the same department (when both are known) and
whose text is similar enough.

Candidates live in a per-process grid of recent incidents (``RecentIndex``)
that each call tops up with the rows committed since the last call, so a
batch costs what is new, not everything open in the city. Each refresh
also files again, as they are now, the incidents whose history shows a change
of status or department since the previous one (closed and linked ones drop
out, reassigned ones move, reopened ones come back). Reports of the batch
being written are compared through a second, local grid.

With several writers (ingest workers behind a shared subscription, the web
app), ids are not committed in order: a transaction can commit id 41 after
another committed id 42. An id that is skipped over is remembered as a hole
and looked for again at the next refreshes for ``HOLE_PATIENCE``, so a late
commit still becomes a candidate.
"""

from __future__ import annotations

import logging
import math
import threading
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, func, select

from ioc.actors import INTAKE_ACTORS
from ioc.core import Core
from ioc.geo import EARTH_RADIUS_M
from ioc.lifecycle import OPEN_STATUSES
from ioc.models import Incident, IncidentEvent
from ioc.services.common import chunks
from ioc.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

OPEN_VALUES = tuple(s.value for s in OPEN_STATUSES)
MAX_COMPARED = 40
HOLE_PATIENCE = timedelta(minutes=2)  # a transaction open longer than this is not waited for
MAX_HOLES = 5000  # the newest ones, after a jump of the id sequence
EVENT_OVERLAP = 2000  # history entries read again at each refresh (late commits)
METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180


class _Grid:
    """Items bucketed by department and by cells larger than the radius.

    Items are tuples (key, lat, lon, department, text, code, created_at).
    Keying by department first means a report only looks at the incidents it
    could duplicate: same department, or no department yet.
    """

    CELL = 0.002  # degrees (~220 m): neighbours are always in the 3×3 cells around

    def __init__(self) -> None:
        self.cells: dict[tuple[str | None, int, int], list[tuple[Any, ...]]] = {}
        self.departments: set[str | None] = set()

    def _cell(self, department: str | None, lat: float, lon: float) -> tuple[str | None, int, int]:
        return department, int(lat // self.CELL), int(lon // self.CELL)

    def add(self, item: tuple[Any, ...]) -> tuple[str | None, int, int]:
        """File an item; returns its cell."""
        self.departments.add(item[3])
        cell = self._cell(item[3], item[1], item[2])
        self.cells.setdefault(cell, []).append(item)
        return cell

    def near(self, lat: float, lon: float, department: str | None) -> list[tuple[Any, ...]]:
        """Items of ``department`` (and of none) in the 3×3 cells around; all when None."""
        wanted = (department, None) if department is not None else tuple(self.departments)
        _, ci, cj = self._cell(None, lat, lon)
        found: list[tuple[Any, ...]] = []
        for dept in wanted:
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    found.extend(self.cells.get((dept, ci + di, cj + dj), ()))
        return found


class RecentIndex:
    """Committed, located, non-duplicate incidents of the last window, by place.

    Items: (id, lat, lon, department, text, code, created_at).
    """

    def __init__(self, window: timedelta) -> None:
        self.window = window
        self.grid = _Grid()
        self.max_id = 0
        self.lock = threading.Lock()
        self._cell_of: dict[int, tuple[str | None, int, int]] = {}
        self._holes: dict[int, datetime] = {}  # id skipped over -> when first missed
        self._last_event_id = 0
        self._last_evict: datetime | None = None
        self._loaded = False

    def refresh(self, uow: UnitOfWork, now: datetime) -> None:
        """Add what was committed since the last refresh; re-file what staff changed."""
        since = now - self.window
        if not self._loaded:
            self._load(uow, since)
            self._loaded = True
        else:
            self._refile_changed(uow, since)
            self._top_up(uow, now, since)
        if self._last_evict is None or now - self._last_evict > timedelta(minutes=5):
            self._evict(since)
            self._last_evict = now

    def _refile_changed(self, uow: UnitOfWork, since: datetime) -> None:
        """Incidents whose status or department changed after intake (closed, linked,
        reassigned, reopened): drop them and file them again as they are now.

        Read from the history, not from ``updated_at`` (which every new report
        sets): a short overlap of event ids covers commits arriving out of order.
        """
        ev = IncidentEvent.__table__
        conn = uow.session.connection()
        newest = conn.execute(select(func.max(ev.c.id))).scalar() or 0
        changed = set(conn.execute(
            select(ev.c.incident_id).where(
                ev.c.id > self._last_event_id - EVENT_OVERLAP, ev.c.id <= newest,
                ev.c.incident_id <= self.max_id, ev.c.to_status.is_not(None),
                ev.c.actor.not_in(INTAKE_ACTORS))).scalars())
        self._last_event_id = max(self._last_event_id, newest)
        if not changed:
            return
        self.forget(changed)
        for chunk in chunks(sorted(changed), 500):
            for row in conn.execute(self._columns().where(Incident.__table__.c.id.in_(chunk))):
                self._file(row, since)

    def _columns(self) -> Select[Any]:
        t = Incident.__table__
        return select(t.c.id, t.c.lat, t.c.lon, t.c.department_code, t.c.text, t.c.code,
                      t.c.created_at, t.c.status, t.c.duplicate_of_id)

    def _file(self, row: Any, since: datetime) -> None:
        if (row.lat is not None and row.duplicate_of_id is None and row.status in OPEN_VALUES
                and row.created_at >= since and row.id not in self._cell_of):
            self._cell_of[row.id] = self.grid.add(tuple(row[:7]))

    def _load(self, uow: UnitOfWork, since: datetime) -> None:
        """The first refresh: what is open and recent, and where the ids stand."""
        t = Incident.__table__
        conn = uow.session.connection()
        self._last_event_id = conn.execute(
            select(func.max(IncidentEvent.__table__.c.id))).scalar() or 0
        with uow.session.no_autoflush:
            self.max_id = conn.execute(select(func.max(t.c.id))).scalar() or 0
            rows = conn.execute(self._columns().where(
                t.c.id <= self.max_id, t.c.created_at >= since, t.c.lat.is_not(None),
                t.c.duplicate_of_id.is_(None), t.c.status.in_(OPEN_VALUES))).all()
        for row in rows:
            self._file(row, since)

    def _top_up(self, uow: UnitOfWork, now: datetime, since: datetime) -> None:
        """Every row above the newest id seen (eligible or not: to know which ids are
        missing), and the holes still awaited."""
        t = Incident.__table__
        holes = [i for i, missed in self._holes.items() if now - missed <= HOLE_PATIENCE]
        where = (t.c.id > self.max_id) | t.c.id.in_(holes) if holes else t.c.id > self.max_id
        with uow.session.no_autoflush:
            rows = uow.session.connection().execute(self._columns().where(where)).all()
        found = set()
        for row in rows:
            found.add(row.id)
            self._file(row, since)
        newest = max(found, default=self.max_id)
        missing = sorted({*range(self.max_id + 1, newest), *holes} - found)[-MAX_HOLES:]
        self._holes = {i: self._holes.get(i, now) for i in missing}
        self.max_id = max(self.max_id, newest)

    def _evict(self, since: datetime) -> None:
        self.forget({i[0] for items in self.grid.cells.values() for i in items if i[6] < since})

    def forget(self, incident_ids: set[int]) -> None:
        """Drop incidents that were closed, linked or left the window."""
        cells: dict[tuple[str | None, int, int], set[int]] = {}
        for incident_id in incident_ids & self._cell_of.keys():
            cells.setdefault(self._cell_of.pop(incident_id), set()).add(incident_id)
        for cell, ids in cells.items():
            kept = [i for i in self.grid.cells[cell] if i[0] not in ids]
            if kept:
                self.grid.cells[cell] = kept
            else:
                del self.grid.cells[cell]


def recent_index(core: Core) -> RecentIndex:
    """The process-wide index of this core (created on first use)."""
    index = core.extras.get("dedup_index")
    if index is None:
        index = core.extras.setdefault(
            "dedup_index", RecentIndex(timedelta(hours=core.settings.duplicate_window_h)))
    return index


class DuplicateFinder:
    """Finds originals for the reports of one intake call."""

    def __init__(self, uow: UnitOfWork, core: Core, now: datetime) -> None:
        self.uow = uow
        self.settings = core.settings
        self.index = recent_index(core)
        self.local = _Grid()
        self.since = now - timedelta(hours=self.settings.duplicate_window_h)
        self._known: dict[int, tuple[str, str | None]] = {}
        with self.index.lock:
            self.index.refresh(uow, now)

    def add(self, incident: Any) -> None:
        """A new incident of this call (any object with the incident's attributes)."""
        if incident.lat is not None and incident.lon is not None and incident.status != "duplicate":
            self.local.add((incident, incident.lat, incident.lon, incident.department_code,
                            incident.text, incident.code, incident.created_at))

    def describe(self, incident_id: int) -> tuple[str, str | None]:
        """(tracking code, department) of a stored original returned by ``find``."""
        return self._known[incident_id]

    def find(self, incident: Any) -> Any | None:
        """The best matching original: a stored incident's id, or an object of this call."""
        if incident.lat is None or incident.lon is None:
            return None
        from ml.similarity import text_similarity

        lat, lon = incident.lat, incident.lon
        with self.index.lock:
            candidates = self.index.grid.near(lat, lon, incident.department_code)
        candidates += self.local.near(lat, lon, incident.department_code)
        # Equirectangular distance: within a few hundred metres it equals the
        # great-circle one to the millimetre, at a fraction of the cost.
        limit = (self.settings.duplicate_radius_m / METRES_PER_DEGREE) ** 2
        shrink = math.cos(math.radians(lat))
        since = self.since
        nearby: list[tuple[float, tuple[Any, ...]]] = []
        for item in candidates:
            dy = item[1] - lat
            dx = (item[2] - lon) * shrink
            d2 = dy * dy + dx * dx
            if d2 <= limit and item[6] >= since:
                nearby.append((d2, item))
        # In a dense spot, the nearest few are the ones worth reading.
        nearby.sort(key=lambda pair: pair[0])
        best: tuple[float, tuple[Any, ...]] | None = None
        threshold = self.settings.duplicate_min_similarity
        for _d2, item in nearby[:MAX_COMPARED]:
            score = text_similarity(incident.text, item[4])
            if score >= threshold and (best is None or score > best[0]):
                best = (score, item)
        if best is None:
            return None
        key = best[1][0]
        if isinstance(key, int):
            self._known[key] = (best[1][5], best[1][3])
        return key
