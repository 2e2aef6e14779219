"""Read-side queries: filtered, paged listings and counts for the API and console."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ioc.actors import Actor
from ioc.lifecycle import OPEN_STATUSES, Status
from ioc.models import DeadLetter, Dossier, Incident

MAX_LIMIT = 1000


class QueryError(ValueError):
    """A filter or cursor that cannot be understood."""


@dataclass(frozen=True)
class IncidentFilter:
    """Filters of the incident listing; empty means any."""

    statuses: Sequence[str] = ()
    departments: Sequence[str] = ()
    channels: Sequence[str] = ()
    since: datetime | None = None
    open_only: bool = False
    triage_only: bool = False
    urgent: bool | None = None
    ward: str | None = None


@dataclass
class Page:
    """One page of results and the cursor to the next."""

    items: list[Any]
    next_cursor: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def encode_cursor(last_id: int) -> str:
    """An opaque cursor after ``last_id``."""
    return base64.urlsafe_b64encode(f"i:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor points after; QueryError if it is not ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value = raw.split(":", 1)
        if kind != "i":
            raise ValueError
        return int(value)
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise QueryError("invalid cursor") from None


def check_limit(limit: int) -> int:
    """Clamp-check a page size."""
    if limit < 1 or limit > MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    return limit


def _page(session: Session, stmt: Select[Any], id_col: Any, limit: int,
          cursor: str | None) -> Page:
    limit = check_limit(limit)
    if cursor:
        stmt = stmt.where(id_col < decode_cursor(cursor))
    rows = list(session.scalars(stmt.order_by(id_col.desc()).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    return Page(rows, encode_cursor(rows[-1].id) if more and rows else None)


def filter_incidents(stmt: Select[Any], actor: Actor, flt: IncidentFilter) -> Select[Any]:
    """Apply the actor's visibility and the listing filters to any incident select.

    Raises QueryError for an unknown status.
    """
    if not actor.sees_everything:
        stmt = stmt.where(Incident.department_code == actor.department)
    if flt.statuses:
        unknown = set(flt.statuses) - {s.value for s in Status}
        if unknown:
            raise QueryError(f"unknown status: {', '.join(sorted(unknown))}")
        stmt = stmt.where(Incident.status.in_(list(flt.statuses)))
    if flt.open_only:
        stmt = stmt.where(Incident.status.in_([s.value for s in OPEN_STATUSES]))
    if flt.triage_only:
        stmt = stmt.where(Incident.department_code.is_(None), Incident.status == Status.NEW)
    if flt.departments:
        stmt = stmt.where(Incident.department_code.in_(list(flt.departments)))
    if flt.channels:
        stmt = stmt.where(Incident.channel.in_(list(flt.channels)))
    if flt.since is not None:
        stmt = stmt.where(Incident.updated_at >= flt.since)
    if flt.urgent is not None:
        stmt = stmt.where(Incident.urgent.is_(flt.urgent))
    if flt.ward:
        stmt = stmt.where(Incident.ward == flt.ward)
    return stmt


def list_incidents(session: Session, actor: Actor, flt: IncidentFilter, limit: int = 100,
                   cursor: str | None = None) -> Page:
    """Incidents visible to the actor, newest first."""
    return _page(session, filter_incidents(select(Incident), actor, flt), Incident.id, limit,
                 cursor)


def list_dossiers(session: Session, *, late: bool | None = None, status: str | None = None,
                  office: str | None = None, limit: int = 100, cursor: str | None = None) -> Page:
    """Dossiers, newest first."""
    stmt = select(Dossier)
    if late is not None:
        stmt = stmt.where(Dossier.is_late.is_(late))
    if status:
        stmt = stmt.where(Dossier.status == status)
    if office:
        stmt = stmt.where(Dossier.office == office)
    return _page(session, stmt, Dossier.id, limit, cursor)


def list_dead_letters(session: Session, limit: int = 100, cursor: str | None = None) -> Page:
    """Dead letters, newest first."""
    return _page(session, select(DeadLetter), DeadLetter.id, limit, cursor)


def count_by(session: Session, column: Any, *where: Any) -> dict[Any, int]:
    """``{value: count}`` grouped by a column."""
    rows = session.execute(select(column, func.count()).where(*where).group_by(column))
    return {value: count for value, count in rows}
