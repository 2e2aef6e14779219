"""Helpers shared by the incident services: history entries, SLA refresh, events."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ioc.core import Core
from ioc.events import OPERATORS_ROOM, Event
from ioc.models import Incident, IncidentEvent
from ioc.serialize import incident_summary
from ioc.sla import deadlines, position
from ioc.unit_of_work import UnitOfWork


def chunks(items: list[Any], size: int) -> list[list[Any]]:
    """``items`` in runs of at most ``size`` (for IN lists the database accepts)."""
    return [items[i:i + size] for i in range(0, len(items), size)]


def log_event(
    uow: UnitOfWork,
    incident: Incident,
    actor: str,
    kind: str,
    at: datetime,
    from_status: str | None = None,
    to_status: str | None = None,
    **data: Any,
) -> None:
    """Append one entry to the incident's history."""
    entry = IncidentEvent(
        incident=incident,
        at=at,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        data=data,
    )
    uow.session.add(entry)


def set_deadlines(core: Core, incident: Incident, start: datetime) -> None:
    """(Re)start the SLA clock from ``start`` with the department's figures."""
    dept = core.taxonomy.get(incident.department_code) if incident.department_code else None
    ack_due, resolve_due = deadlines(start, dept.sla if dept else None, incident.urgent)
    incident.sla_started_at = start
    incident.ack_due_at = ack_due
    incident.resolve_due_at = resolve_due


def refresh_sla(core: Core, incident: Incident, now: datetime) -> str | None:
    """Recompute the SLA state; return the new state if it changed."""
    pos = position(
        incident.status,
        incident.sla_started_at,
        incident.ack_due_at,
        incident.resolve_due_at,
        now,
        core.settings.sla_at_risk_fraction,
    )
    incident.sla_next_check_at = pos.next_check_at
    if pos.state != incident.sla_state:
        incident.sla_state = pos.state
        return pos.state
    return None


def rooms_for(incident: Incident, previous_department: str | None = None) -> tuple[str, ...]:
    """Operators always; the department's room; the old one too after a reassignment."""
    rooms = [OPERATORS_ROOM]
    for code in (incident.department_code, previous_department):
        if code and code not in rooms:
            rooms.append(code)
    return tuple(rooms)


def incident_event(kind: str, incident: Incident, previous_department: str | None = None,
                   change: str | None = None) -> Event:
    """The live event for a created or changed incident.

    ``change`` names what happened (the history entry's kind: ``reassigned``,
    ``note``, ``sla_overdue``...), so that a screen can tell an incident that
    just arrived in a department from one that was only touched.
    """
    data = incident_summary(incident)
    if change:
        data["change"] = change
    return Event(kind, data, rooms_for(incident, previous_department))
