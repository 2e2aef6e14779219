"""The console's KPI strip: one cheap server computation, then incremental upkeep.

The strip shows open incidents per department, incidents awaiting triage,
the median minutes to acknowledge and to resolve *today* (city time) and
today's on-time rate. The server computes it with three queries that each
read an index range (status, acknowledged_at, resolved_at), never the whole
incident table, and caches the result for a few seconds per process; the
browser then keeps it current from the live events (it gets the raw
per-incident minutes of today so it can add samples and recompute medians).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ioc.console_queries import OPEN_VALUES
from ioc.db import utcnow
from ioc.kpis import citizen_satisfaction, start_of_day
from ioc.models import Incident
from ioc.queries import count_by

#: At most this many samples per list go to the browser (the most recent ones).
MAX_SAMPLES = 20_000


def _minutes(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return round((end - start).total_seconds() / 60, 1)


def compute_strip(session: Session, tz: str, now: datetime | None = None) -> dict[str, Any]:
    """The KPI strip figures and today's samples (see the module docstring)."""
    now = now or utcnow()
    today = start_of_day(now, tz)
    open_by = count_by(session, Incident.department_code, Incident.status.in_(OPEN_VALUES))
    triage = open_by.pop(None, 0)
    ack_rows = session.execute(
        select(Incident.created_at, Incident.acknowledged_at)
        .where(Incident.acknowledged_at >= today)
        .order_by(Incident.acknowledged_at.desc()).limit(MAX_SAMPLES)
    ).all()
    res_rows = session.execute(
        select(Incident.created_at, Incident.resolved_at, Incident.resolve_due_at)
        .where(Incident.resolved_at >= today)
        .order_by(Incident.resolved_at.desc()).limit(MAX_SAMPLES)
    ).all()
    ack = [m for m in (_minutes(c, a) for c, a in ack_rows) if m is not None]
    res = [m for m in (_minutes(c, r) for c, r, _ in res_rows) if m is not None]
    on_time = sum(1 for _, r, due in res_rows if due is None or r <= due)
    return {
        "at": now.isoformat(),
        "day_start": today.isoformat(),
        "open_by_department": {k: v for k, v in open_by.items() if k},
        "open_total": sum(open_by.values()) + triage,
        "awaiting_triage": triage,
        "ack_minutes_today": ack,
        "resolve_minutes_today": res,
        "median_minutes_to_acknowledge_today": round(median(ack), 1) if ack else None,
        "median_minutes_to_resolve_today": round(median(res), 1) if res else None,
        "resolved_today": len(res_rows),
        "resolved_on_time_today": on_time,
        "on_time_rate_today": round(on_time / len(res_rows), 4) if res_rows else None,
        "satisfaction_30d": citizen_satisfaction(session, now - timedelta(days=30)),
    }


class TtlCache:
    """Values computed per key, served again for ``ttl`` seconds.

    One computation at a time: concurrent callers wait for it rather than
    each running the same queries (no stampede when many screens reload together).
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._values: dict[Any, tuple[float, Any]] = {}
        self.computations = 0

    def get(self, key: Any, compute: Callable[[], Any]) -> Any:
        """The value of ``key``, computed again when older than ``ttl``."""
        with self._lock:
            now = time.monotonic()
            hit = self._values.get(key)
            if hit is None or now - hit[0] >= self.ttl:
                # stale keys go (a new day, a period nobody looks at any more)
                self._values = {k: v for k, v in self._values.items() if now - v[0] < self.ttl}
                hit = self._values[key] = (time.monotonic(), compute())
                self.computations += 1
            return hit[1]

    def invalidate(self) -> None:
        """Forget every value (the next calls recompute)."""
        with self._lock:
            self._values = {}


class KpiCache:
    """The KPI strip computed in this process, recomputed when older than ``ttl``
    seconds or on a new day (a ``TtlCache`` keyed by the day)."""

    def __init__(self, ttl: float = 10.0) -> None:
        self._cache = TtlCache(ttl)

    @property
    def computations(self) -> int:
        """How many times the strip was computed."""
        return self._cache.computations

    def get(self, session_factory: Any, tz: str, now: datetime | None = None) -> dict[str, Any]:
        """The cached strip, recomputed with a new session when stale or on a new day."""
        now = now or utcnow()

        def compute() -> dict[str, Any]:
            with session_factory() as session:
                return compute_strip(session, tz, now)

        return self._cache.get(start_of_day(now, tz).isoformat(), compute)

    def invalidate(self) -> None:
        """Forget the cached value (the next call recomputes)."""
        self._cache.invalidate()
