"""The periodic SLA sweep: marks incidents at risk and overdue."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ioc.core import Core
from ioc.db import utcnow
from ioc.models import Incident
from ioc.services.common import incident_event, log_event, refresh_sla
from ioc.unit_of_work import UnitOfWork


def sweep_sla(uow: UnitOfWork, core: Core, now: datetime | None = None,
              limit: int = 5000) -> int:
    """Update incidents whose SLA state is due to change; return how many changed.

    Only rows with ``sla_next_check_at <= now`` are read, so a sweep over a
    large table costs what changes, not what is stored. Rows are locked
    (PostgreSQL) so two sweeping workers do not log the same change twice.
    """
    now = now or utcnow()
    stmt = (
        select(Incident)
        .where(Incident.sla_next_check_at.is_not(None), Incident.sla_next_check_at <= now)
        .order_by(Incident.sla_next_check_at)
        .limit(limit)
    )
    if uow.db.dialect == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    changed = 0
    for incident in uow.session.scalars(stmt):
        state = refresh_sla(core, incident, now)
        if state is None:
            continue
        changed += 1
        deadline = incident.ack_due_at if incident.acknowledged_at is None else incident.resolve_due_at
        log_event(uow, incident, "system:sla", f"sla_{state}", now,
                  deadline=deadline.isoformat() if deadline else None)
        uow.emit(incident_event("incident.updated", incident, change=f"sla_{state}"))
    return changed
