"""Read-side helpers for the operator console and the department inbox.

The console must stay fast with tens of thousands of open incidents, so the
snapshot is *compact*: selected columns only, codes dictionary-encoded into
small integers, times as epoch seconds, text truncated. Exports stream the
filtered list in id-ordered chunks of plain column tuples, never loading the
ORM objects (whose event history would come along).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, lazyload

from ioc.actors import Actor
from ioc.lifecycle import AWAITING_ACK, OPEN_STATUSES, Status
from ioc.models import Incident
from ioc.queries import IncidentFilter, QueryError, check_limit, count_by, filter_incidents
from ioc.search import fold

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


#: The governing deadline in SQL, as ``governing_deadline`` computes it in Python.
DEADLINE = case((Incident.status.in_(sorted(AWAITING_ACK_VALUES)), Incident.ack_due_at),
                else_=Incident.resolve_due_at)
#: The open statuses in lifecycle order (the inbox's status tabs).
OPEN_ORDER = tuple(s for s in STATUS_VALUES if s in OPEN_VALUES)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

#: A position in the inbox order: (deadline in µs since 1970 or None = no deadline, id).
InboxKey = tuple[int | None, int]


@dataclass(frozen=True)
class InboxFilter:
    """One department's open incidents, optionally narrowed to a status, a ward or a text."""

    department: str
    status: str | None = None
    ward: str | None = None
    text: str = ""

    @property
    def narrowed(self) -> bool:
        """Whether anything beyond the department is filtered."""
        return bool(self.status or self.ward or self.text)


@dataclass
class InboxPage:
    """One page of an inbox, the cursor to the next and the key of its last row."""

    items: list[Incident]
    next_cursor: str | None
    boundary: InboxKey | None


@dataclass(frozen=True)
class InboxCounts:
    """Open incidents of the department, per status, and those matching the filter."""

    total: int
    by_status: dict[str, int]
    matching: int

    def as_dict(self) -> dict[str, Any]:
        """The JSON form."""
        return {"total": self.total, "by_status": self.by_status, "matching": self.matching}


def deadline_key(deadline: datetime | None) -> int | None:
    """A deadline as whole microseconds since 1970 (exact, unlike a float)."""
    return None if deadline is None else (deadline - _EPOCH) // timedelta(microseconds=1)


def inbox_key(incident: Incident) -> InboxKey:
    """Where an incident stands in the inbox order."""
    deadline = governing_deadline(incident.status, incident.ack_due_at, incident.resolve_due_at)
    return deadline_key(deadline), incident.id


def encode_inbox_cursor(key: InboxKey) -> str:
    """An opaque cursor after ``key``."""
    deadline = "n" if key[0] is None else str(key[0])
    return base64.urlsafe_b64encode(f"d:{deadline}:{key[1]}".encode()).decode().rstrip("=")


def decode_inbox_cursor(cursor: str) -> InboxKey:
    """The key a cursor points after; QueryError if it is not an inbox cursor."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, deadline, last_id = raw.split(":")
        if kind != "d":
            raise ValueError
        return (None if deadline == "n" else int(deadline)), int(last_id)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise QueryError("invalid cursor") from None


def _inbox_where(actor: Actor, flt: InboxFilter) -> list[Any]:
    """The conditions of an inbox; QueryError for another department or a closed status."""
    if not actor.may_see(flt.department):
        raise QueryError("not your department")
    if flt.status and flt.status not in OPEN_VALUES:
        raise QueryError(f"not an open status: {flt.status}")
    where: list[Any] = [Incident.status.in_([flt.status] if flt.status else OPEN_VALUES),
                        Incident.department_code == flt.department]
    if flt.ward:
        where.append(Incident.ward == flt.ward)
    if flt.text:
        where.append(or_(Incident.code.startswith(flt.text.upper(), autoescape=True),
                         Incident.search_text.contains(fold(flt.text), autoescape=True)))
    return where


def _after(key: InboxKey) -> Any:
    """Rows after ``key`` in the order (deadline, nulls last; id)."""
    deadline, last_id = key
    due = DEADLINE
    if deadline is None:
        return and_(due.is_(None), Incident.id > last_id)
    at = _EPOCH + timedelta(microseconds=deadline)
    return or_(due > at, and_(due == at, Incident.id > last_id), due.is_(None))


def inbox_page(session: Session, actor: Actor, flt: InboxFilter, limit: int,
               cursor: str | None = None) -> InboxPage:
    """A page of a department's open incidents, the first deadline on top (keyset paging).

    The database reads the department's open rows through the (status,
    department) index and keeps only the top ``limit`` of the sort; Python
    never sees more than one page. Raises QueryError for another department,
    a closed status, a bad cursor or a bad limit.
    """
    limit = check_limit(limit)
    stmt = select(Incident).where(*_inbox_where(actor, flt)).options(lazyload(Incident.events))
    if cursor:
        stmt = stmt.where(_after(decode_inbox_cursor(cursor)))
    stmt = stmt.order_by(DEADLINE.asc().nulls_last(), Incident.id.asc()).limit(limit + 1)
    rows = list(session.scalars(stmt))
    more, rows = len(rows) > limit, rows[:limit]
    boundary = inbox_key(rows[-1]) if rows else None
    return InboxPage(rows, encode_inbox_cursor(boundary) if more and boundary else None, boundary)


def inbox_counts(session: Session, actor: Actor, flt: InboxFilter) -> InboxCounts:
    """How many open incidents the department has, per status, and how many match ``flt``.

    The per-status counts read only the covering (status, department) index.
    """
    where = _inbox_where(actor, flt)
    found = count_by(session, Incident.status, Incident.status.in_(OPEN_VALUES),
                     Incident.department_code == flt.department)
    by_status = {s: found.get(s, 0) for s in OPEN_ORDER}
    total = sum(by_status.values())
    if flt.ward or flt.text:
        matching = session.scalar(select(func.count()).select_from(Incident).where(*where)) or 0
    else:
        matching = by_status[flt.status] if flt.status else total
    return InboxCounts(total, by_status, matching)


def triage_queue(session: Session, limit: int = 200) -> list[Incident]:
    """Incidents waiting for an operator to choose the department, oldest first."""
    return list(session.scalars(
        select(Incident).where(Incident.status == Status.NEW,
                               Incident.department_code.is_(None))
        .options(lazyload(Incident.events)).order_by(Incident.id).limit(limit)
    ))
