"""Actions staff take on incidents: acknowledge, start, resolve, reassign,
reject, mark duplicate, reopen, close, triage and notes.

Every action checks the lifecycle and the actor's rights, appends to the
event log, restarts or refreshes the SLA clock and queues a live event.
None of them commits: the caller's unit of work does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ioc.actors import Actor, NotFound, PermissionDenied
from ioc.core import Core
from ioc.db import utcnow
from ioc.lifecycle import Status, check_transition
from ioc.models import Incident, RoutingLabel
from ioc.services.common import incident_event, log_event, refresh_sla, set_deadlines
from ioc.unit_of_work import UnitOfWork


def get_incident(uow: UnitOfWork, actor: Actor, key: int | str) -> Incident:
    """Fetch by id or tracking code; NotFound when missing *or* not visible to the actor."""
    stmt = select(Incident)
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        stmt = stmt.where(Incident.id == int(key))
    else:
        stmt = stmt.where(Incident.code == str(key).upper())
    incident = uow.session.scalars(stmt).first()
    if incident is None or not actor.may_see(incident.department_code):
        raise NotFound(f"incident {key} not found")
    return incident


def _require_actor(actor: Actor, incident: Incident) -> None:
    if not actor.can_act:
        raise PermissionDenied(f"role '{actor.role}' is read-only")
    if not actor.may_see(incident.department_code):
        raise NotFound(f"incident {incident.id} not found")


def _move(
    uow: UnitOfWork,
    core: Core,
    incident: Incident,
    actor: Actor,
    target: Status,
    kind: str,
    now: datetime,
    previous_department: str | None = None,
    **data: object,
) -> Incident:
    current = incident.status
    check_transition(current, target)
    incident.status = target
    incident.updated_at = now
    log_event(uow, incident, actor.name, kind, now, current, target, **data)
    changed = refresh_sla(core, incident, now)
    if changed:
        log_event(uow, incident, "system:sla", f"sla_{changed}", now)
    uow.emit(incident_event("incident.updated", incident, previous_department, change=kind))
    return incident


def acknowledge(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor,
                now: datetime | None = None) -> Incident:
    """The department has seen it and owns it."""
    now = now or utcnow()
    _require_actor(actor, incident)
    incident.acknowledged_at = incident.acknowledged_at or now
    return _move(uow, core, incident, actor, Status.ACKNOWLEDGED, "acknowledged", now)


def start(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor,
          now: datetime | None = None) -> Incident:
    """Work has started on site."""
    now = now or utcnow()
    _require_actor(actor, incident)
    return _move(uow, core, incident, actor, Status.IN_PROGRESS, "started", now)


def resolve(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor, note: str,
            now: datetime | None = None, photos: list[str] | None = None) -> Incident:
    """The problem is fixed; the note (and photos) tell the citizen how."""
    now = now or utcnow()
    _require_actor(actor, incident)
    note = (note or "").strip()
    if not note:
        raise ValueError("a resolution note is required")
    incident.resolved_at = now
    incident.resolution_note = note
    if incident.acknowledged_at is None:
        incident.acknowledged_at = now
    on_time = incident.resolve_due_at is None or now <= incident.resolve_due_at
    return _move(uow, core, incident, actor, Status.RESOLVED, "resolved", now,
                 note=note, on_time=on_time, photos=list(photos or []))


def reassign(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor, department: str,
             reason: str, now: datetime | None = None) -> Incident:
    """Send to another department; the choice is kept as a training label."""
    now = now or utcnow()
    _require_actor(actor, incident)
    if core.taxonomy.get(department) is None:
        raise ValueError(f"unknown department '{department}'")
    if department == incident.department_code:
        raise ValueError("the incident is already with that department")
    if not (reason or "").strip():
        raise ValueError("a reason is required to reassign")
    previous = incident.department_code
    _label(uow, incident, department, "reassign" if previous else "triage", actor, now)
    incident.department_code = department
    incident.acknowledged_at = None
    set_deadlines(core, incident, now)
    return _move(uow, core, incident, actor, Status.ROUTED,
                 "reassigned" if previous else "triaged", now, previous,
                 department=department, from_department=previous, reason=reason.strip())


def triage(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor, department: str,
           now: datetime | None = None) -> Incident:
    """An operator routes an incident the classifier was unsure about."""
    if incident.department_code is not None:
        raise ValueError("the incident is already routed; reassign it instead")
    return reassign(uow, core, incident, actor, department, "manual triage", now)


def reject(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor, reason: str,
           now: datetime | None = None) -> Incident:
    """Not in scope, not actionable, or spam."""
    now = now or utcnow()
    _require_actor(actor, incident)
    if not (reason or "").strip():
        raise ValueError("a reason is required to reject")
    return _move(uow, core, incident, actor, Status.REJECTED, "rejected", now,
                 reason=reason.strip())


def mark_duplicate(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor,
                   original: Incident, now: datetime | None = None) -> Incident:
    """Link to an earlier incident about the same problem."""
    now = now or utcnow()
    _require_actor(actor, incident)
    if original.id == incident.id or original.duplicate_of_id is not None:
        raise ValueError("the original must be another incident that is not itself a duplicate")
    incident.duplicate_of_id = original.id
    original.report_count = (original.report_count or 1) + 1
    log_event(uow, original, actor.name, "duplicate_linked", now, duplicate=incident.code,
              report_count=original.report_count)
    uow.emit(incident_event("incident.updated", original, change="duplicate_linked"))
    return _move(uow, core, incident, actor, Status.DUPLICATE, "duplicate", now,
                 duplicate_of=original.code)


def reopen(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor, reason: str,
           now: datetime | None = None) -> Incident:
    """Back to work (e.g. the citizen is not satisfied): the SLA clock restarts."""
    now = now or utcnow()
    if actor.role not in {"system", "admin", "operator"} and not actor.may_see(
        incident.department_code
    ):
        raise PermissionDenied("only operators reopen other departments' incidents")
    incident.resolved_at = None
    incident.closed_at = None
    incident.acknowledged_at = None
    set_deadlines(core, incident, now)
    return _move(uow, core, incident, actor, Status.REOPENED, "reopened", now,
                 reason=(reason or "").strip())


def close(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor,
          now: datetime | None = None) -> Incident:
    """Resolved and confirmed: nothing left to do."""
    now = now or utcnow()
    incident.closed_at = now
    return _move(uow, core, incident, actor, Status.CLOSED, "closed", now)


def add_note(uow: UnitOfWork, core: Core, incident: Incident, actor: Actor, note: str,
             photos: list[str] | None = None, now: datetime | None = None) -> Incident:
    """A note (and photos) in the history, without changing status."""
    now = now or utcnow()
    _require_actor(actor, incident)
    note = (note or "").strip()
    if not note and not photos:
        raise ValueError("a note or a photo is required")
    incident.updated_at = now
    log_event(uow, incident, actor.name, "note", now, note=note, photos=photos or [])
    uow.emit(incident_event("incident.updated", incident, change="note"))
    return incident


def _label(uow: UnitOfWork, incident: Incident, department: str, source: str, actor: Actor,
           now: datetime) -> None:
    predicted = (incident.extra or {}).get("candidates") or [[incident.department_code, 0]]
    uow.session.add(
        RoutingLabel(
            incident_id=incident.id,
            text=incident.text,
            department_code=department,
            predicted_code=predicted[0][0] if predicted else None,
            source=source,
            actor=actor.name,
            created_at=now,
        )
    )
