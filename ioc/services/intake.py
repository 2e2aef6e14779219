"""Intake: reports from any channel become incidents.

Idempotent on (channel, source id): a replayed message never creates a second
incident. Each new report is routed (or left for manual triage), gets its SLA
deadlines, and is linked to an open incident nearby that describes the same
problem (a duplicate adds to the original's report count; nothing is deleted).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, tuple_

from ioc.core import Core
from ioc.db import utcnow
from ioc.lifecycle import Status
from ioc.models import Incident
from ioc.routing import RoutingDecision
from ioc.services.common import incident_event, log_event, refresh_sla, set_deadlines
from ioc.services.dedup import DuplicateFinder
from ioc.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone


def new_tracking_code(now: datetime) -> str:
    """A public tracking code such as ``PA2611-7KQ3FX``: month, then 6 random symbols."""
    suffix = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"PA{now:%y%m}-{suffix}"


@dataclass(frozen=True)
class NewReport:
    """A report from any channel, already validated by its adapter."""

    channel: str
    source_id: str
    text: str
    reported_at: datetime
    lat: float | None = None
    lon: float | None = None
    address: str | None = None
    category_hint: str | None = None
    photos: tuple[str, ...] = ()
    reporter_name: str | None = None
    reporter_phone: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    routing: RoutingDecision | None = None  # preset by rule (sensors); else the model routes


@dataclass
class IntakeResult:
    """What one call created, and which reports were replays."""

    created: list[Incident] = field(default_factory=list)
    replayed: list[NewReport] = field(default_factory=list)
    duplicates: int = 0


def record_reports(
    uow: UnitOfWork, core: Core, reports: Sequence[NewReport], now: datetime | None = None
) -> IntakeResult:
    """Create incidents for the reports not seen before; does not commit."""
    now = now or utcnow()
    result = IntakeResult()
    fresh = _drop_replays(uow, reports, result)
    if not fresh:
        return result
    decisions = _route(core, fresh)
    finder = DuplicateFinder(
        uow, core, [(r.lat, r.lon) for r in fresh if r.lat is not None and r.lon is not None], now
    )
    for report, decision in zip(fresh, decisions, strict=True):
        incident = _build_incident(uow, core, report, decision, now)
        original = finder.find(incident)
        uow.session.add(incident)
        log_event(uow, incident, "system:intake", "created", now, None, "new",
                  channel=report.channel, source_id=report.source_id)
        if original is not None:
            _link_duplicate(uow, incident, original, now, announce=not finder.is_new(original))
            result.duplicates += 1
        elif incident.department_code:
            incident.status = Status.ROUTED
            log_event(uow, incident, "system:router", "routed", now, "new", "routed",
                      department=incident.department_code,
                      confidence=incident.routing_confidence, model=incident.routing_model)
        else:
            log_event(uow, incident, "system:router", "triage", now,
                      confidence=incident.routing_confidence, model=incident.routing_model,
                      reason="no department above the confidence threshold")
        refresh_sla(core, incident, now)
        finder.add(incident)
        result.created.append(incident)
    uow.session.flush()
    for incident in result.created:
        uow.emit(incident_event("incident.created", incident))
    return result


def _drop_replays(
    uow: UnitOfWork, reports: Sequence[NewReport], result: IntakeResult
) -> list[NewReport]:
    keys = {(r.channel, r.source_id) for r in reports}
    seen: set[tuple[str, str]] = set()
    for chunk in _chunks(sorted(keys), 400):
        rows = uow.session.execute(
            select(Incident.channel, Incident.source_id).where(
                tuple_(Incident.channel, Incident.source_id).in_(chunk)
            )
        )
        seen.update((c, s) for c, s in rows)
    fresh = []
    for report in reports:
        key = (report.channel, report.source_id)
        if key in seen:
            result.replayed.append(report)
        else:
            seen.add(key)
            fresh.append(report)
    return fresh


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def _route(core: Core, reports: list[NewReport]) -> list[RoutingDecision]:
    todo = [i for i, r in enumerate(reports) if r.routing is None]
    routed = core.routing.route(
        [reports[i].text for i in todo], [reports[i].category_hint for i in todo]
    )
    decisions: list[RoutingDecision | None] = [r.routing for r in reports]
    for i, decision in zip(todo, routed, strict=True):
        decisions[i] = decision
    return [d for d in decisions if d is not None]


def _build_incident(
    uow: UnitOfWork, core: Core, report: NewReport, decision: RoutingDecision, now: datetime
) -> Incident:
    ward = None
    if report.lat is not None and report.lon is not None:
        found = core.city.ward_at(report.lat, report.lon)
        ward = found.code if found else None
    extra = dict(report.extra)
    if decision.candidates:
        extra["candidates"] = [[c, round(p, 4)] for c, p in decision.candidates]
    incident = Incident(
        code=new_tracking_code(now),
        channel=report.channel,
        source_id=report.source_id,
        text=report.text,
        lat=report.lat,
        lon=report.lon,
        address=report.address,
        ward=ward,
        category_hint=report.category_hint,
        photos=list(report.photos),
        reporter_name=report.reporter_name,
        reporter_phone=report.reporter_phone,
        department_code=decision.department,
        routing_confidence=round(decision.confidence, 4),
        routing_model=decision.model_version,
        urgent=decision.urgent,
        status=Status.NEW,
        sla_state="on_time",
        reported_at=report.reported_at,
        created_at=now,
        updated_at=now,
        report_count=1,
        extra=extra,
    )
    set_deadlines(core, incident, now)
    return incident


def _link_duplicate(
    uow: UnitOfWork, incident: Incident, original: Incident, now: datetime, announce: bool
) -> None:
    if original.id is None:
        uow.session.flush()
    incident.status = Status.DUPLICATE
    incident.duplicate_of_id = original.id
    incident.department_code = original.department_code
    original.report_count = (original.report_count or 1) + 1
    original.updated_at = now
    log_event(uow, incident, "system:dedup", "duplicate", now, "new", "duplicate",
              duplicate_of=original.code)
    log_event(uow, original, "system:dedup", "duplicate_linked", now,
              duplicate=incident.code, report_count=original.report_count)
    if announce:
        uow.emit(incident_event("incident.updated", original))
