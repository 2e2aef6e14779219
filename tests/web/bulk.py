"""Bulk test data: many incidents inserted in one statement (not through intake)."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select

from ioc.core import Core
from ioc.db import utcnow
from ioc.models import Incident
from ioc.search import search_text

STATUSES = ("routed", "routed", "acknowledged", "in_progress", "new")
SLA = ("on_time", "on_time", "on_time", "at_risk", "overdue")


def incident_rows(core: Core, count: int, *, start: int = 0, open_share: float = 1.0,
                  seed: int = 7) -> list[dict]:
    """Plausible incident rows around the city; the first 200 are do_thi and routed."""
    rng = random.Random(seed + start)
    codes = list(core.taxonomy.codes)
    now = utcnow()
    rows = []
    for i in range(start, start + count):
        created = now - timedelta(minutes=rng.randint(0, 60 * 24 * 30))
        status = "routed" if i - start < 200 else rng.choice(STATUSES)
        if rng.random() > open_share:
            status = "resolved"
        dept = "do_thi" if i - start < 200 else (None if status == "new" else rng.choice(codes))
        rows.append({
            "code": f"PB{i:010d}", "channel": rng.choice(("field_report", "hotline", "sensor")),
            "source_id": f"bulk-{i}", "text": f"Phản ánh số {i}: ổ gà, rác, đèn đường hư",
            "lat": 10.78 + rng.random() * 0.06, "lon": 105.31 + rng.random() * 0.07,
            "department_code": dept, "routing_confidence": round(rng.random(), 3),
            "urgent": rng.random() < 0.03, "status": status,
            "sla_state": rng.choice(SLA), "sla_started_at": created,
            "ack_due_at": created + timedelta(hours=4), "resolve_due_at": created + timedelta(hours=72),
            "reported_at": created, "created_at": created, "updated_at": created,
            "acknowledged_at": created + timedelta(minutes=30) if status != "new" else None,
            "resolved_at": created + timedelta(hours=5) if status == "resolved" else None,
            "report_count": 1, "photos": [], "extra": {},
        })
        rows[-1]["search_text"] = search_text(rows[-1]["text"])
    return rows


def insert_open_incidents(core: Core, count: int) -> list[int]:
    """Insert ``count`` open incidents; returns their ids in insertion order."""
    rows = incident_rows(core, count)
    with core.uow() as uow:
        uow.session.execute(insert(Incident), rows)
        uow.commit()
        return list(uow.session.scalars(
            select(Incident.id).where(Incident.code.like("PB%")).order_by(Incident.id)))
