"""Read-side helpers for the operator console and the department inbox.

The console must stay fast with tens of thousands of open incidents, so the
snapshot is *compact*: selected columns only, codes dictionary-encoded into
small integers, times as epoch seconds, text truncated. Exports stream the
filtered list in id-ordered chunks of plain column tuples, never loading the
ORM objects (whose event history would come along).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, lazyload

from ioc.actors import Actor
from ioc.lifecycle import AWAITING_ACK, OPEN_STATUSES, Status
from ioc.models import Incident
from ioc.queries import IncidentFilter, QueryError, filter_incidents

#: Characters of incident text carried in the snapshot (the detail view has it all).
SNAPSHOT_TEXT_CHARS = 90

OPEN_VALUES = tuple(sorted(s.value for s in OPEN_STATUSES))
AWAITING_ACK_VALUES = frozenset(s.value for s in AWAITING_ACK)
STATUS_VALUES = tuple(s.value for s in Status)
SLA_VALUES = ("on_time", "at_risk", "overdue")

#: Columns of one snapshot row, in order.
SNAPSHOT_COLUMNS = (
    "id", "code", "lat", "lon", "department", "status", "sla_state", "urgent", "channel",
    "ward", "created_at", "updated_at", "deadline", "resolve_due", "confidence", "text",
)

#: Columns of an export row, in order.
EXPORT_COLUMNS = (
    "id", "code", "status", "department", "channel", "urgent", "sla_state", "ward", "lat",
    "lon", "address", "reported_at", "created_at", "updated_at", "ack_due_at",
    "resolve_due_at", "confidence", "report_count", "text",
)


def epoch(value: datetime | None) -> int | None:
    """Whole seconds since 1970 (UTC), or None."""
    return int(value.timestamp()) if value is not None else None


def governing_deadline(status: str, ack_due: datetime | None,
                       resolve_due: datetime | None) -> datetime | None:
    """The deadline the SLA clock currently runs against (as ``ioc.sla.position``)."""
    return ack_due if status in AWAITING_ACK_VALUES else resolve_due




@dataclass
class Snapshot:
    """Every open incident the actor may see, as compact rows."""

    at: datetime
    columns: tuple[str, ...]
    departments: list[str]
    statuses: list[str]
    sla_states: list[str]
    channels: list[str]
    rows: list[list[Any]]

    def as_dict(self) -> dict[str, Any]:
        """The JSON body of the snapshot endpoint."""
        return {
            "at": self.at.isoformat(),
            "at_epoch_ms": int(self.at.timestamp() * 1000),
            "columns": list(self.columns),
            "dictionaries": {
                "department": self.departments,
                "status": self.statuses,
                "sla_state": self.sla_states,
                "channel": self.channels,
            },
            "count": len(self.rows),
            "rows": self.rows,
        }


class _Codes:
    """Dictionary encoding: value → small integer index (None stays None)."""

    def __init__(self, initial: Sequence[str] = ()) -> None:
        self.values: list[str] = list(initial)
        self.index = {v: i for i, v in enumerate(self.values)}

    def __call__(self, value: str | None) -> int | None:
        if value is None:
            return None
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found


def open_snapshot(session: Session, actor: Actor, now: datetime,
                  department_codes: Sequence[str] = ()) -> Snapshot:
    """All open incidents visible to ``actor`` (one indexed query on status)."""
    stmt = select(
        Incident.id, Incident.code, Incident.lat, Incident.lon, Incident.department_code,
        Incident.status, Incident.sla_state, Incident.urgent, Incident.channel, Incident.ward,
        Incident.created_at, Incident.updated_at, Incident.ack_due_at, Incident.resolve_due_at,
        Incident.routing_confidence, func.substr(Incident.text, 1, SNAPSHOT_TEXT_CHARS),
    ).where(Incident.status.in_(OPEN_VALUES))
    if not actor.sees_everything:
        stmt = stmt.where(Incident.department_code == actor.department)
    depts, statuses = _Codes(department_codes), _Codes(STATUS_VALUES)
    slas, channels = _Codes(SLA_VALUES), _Codes()
    rows: list[list[Any]] = []
    for (id_, code, lat, lon, dept, status, sla, urgent, channel, ward, created, updated,
         ack_due, resolve_due, confidence, text) in session.execute(stmt):
        rows.append([
            id_, code, lat, lon, depts(dept), statuses(status), slas(sla), 1 if urgent else 0,
            channels(channel), ward, epoch(created), round(updated.timestamp(), 3),
            epoch(governing_deadline(status, ack_due, resolve_due)), epoch(resolve_due),
            confidence, text,
        ])
    return Snapshot(now, SNAPSHOT_COLUMNS, depts.values, statuses.values, slas.values,
                    channels.values, rows)


def iter_export_rows(session: Session, actor: Actor, flt: IncidentFilter,
                     chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """The filtered incidents as plain dicts (newest first), read in id-ordered chunks."""
    columns = (
        Incident.id, Incident.code, Incident.status, Incident.department_code,
        Incident.channel, Incident.urgent, Incident.sla_state, Incident.ward, Incident.lat,
        Incident.lon, Incident.address, Incident.reported_at, Incident.created_at,
        Incident.updated_at, Incident.ack_due_at, Incident.resolve_due_at,
        Incident.routing_confidence, Incident.report_count, Incident.text,
    )
    base = filter_incidents(select(*columns), actor, flt)
    last_id: int | None = None
    while True:
        stmt = base if last_id is None else base.where(Incident.id < last_id)
        rows = session.execute(stmt.order_by(Incident.id.desc()).limit(chunk)).all()
        for row in rows:
            yield dict(zip(EXPORT_COLUMNS, row, strict=True))
        if len(rows) < chunk:
            return
        last_id = rows[-1][0]


def inbox_incidents(session: Session, actor: Actor, department: str,
                    limit: int = 500) -> list[Incident]:
    """A department's open incidents, the one whose deadline comes first on top.

    Raises QueryError when the actor may not see that department.
    """
    if not actor.may_see(department):
        raise QueryError("not your department")
    rows = list(session.scalars(
        select(Incident).where(Incident.status.in_(OPEN_VALUES),
                               Incident.department_code == department)
        .options(lazyload(Incident.events)).order_by(Incident.id.desc()).limit(limit)
    ))
    far = datetime.max.replace(tzinfo=None)

    def key(incident: Incident) -> tuple[datetime, int]:
        deadline = governing_deadline(incident.status, incident.ack_due_at,
                                      incident.resolve_due_at)
        return (deadline.replace(tzinfo=None) if deadline else far, incident.id)

    rows.sort(key=key)
    return rows


def triage_queue(session: Session, limit: int = 200) -> list[Incident]:
    """Incidents waiting for an operator to choose the department, oldest first."""
    return list(session.scalars(
        select(Incident).where(Incident.status == Status.NEW,
                               Incident.department_code.is_(None))
        .options(lazyload(Incident.events)).order_by(Incident.id).limit(limit)
    ))
