"""One-stop-counter dossiers: counter events update dossiers.

Idempotent on the event's message id. Events may arrive out of order: the
dossier's status follows the latest event by its own time, and lateness is
recomputed whenever a deadline or a completion time becomes known. A dossier
finished after its due time is late and owes the citizen an apology letter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select, update

from ioc.db import utcnow
from ioc.events import Event
from ioc.models import Dossier, DossierEvent
from ioc.serialize import dossier_dict
from ioc.unit_of_work import UnitOfWork

COUNTER_EVENTS = ("received", "processing", "supplement_requested", "resolved", "returned",
                  "cancelled")
DONE_STATUSES = ("resolved", "returned", "cancelled")


@dataclass(frozen=True)
class CounterEvent:
    """A validated one-stop-counter event."""

    message_id: str
    dossier_id: str
    event: str
    at: datetime
    procedure_code: str | None = None
    procedure_name: str | None = None
    field: str | None = None
    office: str | None = None
    channel: str | None = None
    due_at: datetime | None = None


class _DossierState:
    """A dossier's column values while a batch is applied (cheaper than ORM objects)."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def row(self) -> dict[str, Any]:
        """The values to write."""
        return {k: v for k, v in self.__dict__.items() if k in _COLUMNS}


_COLUMNS = frozenset(c.key for c in Dossier.__table__.columns) - {"id"}


def apply_counter_events(uow: UnitOfWork, events: Sequence[CounterEvent]) -> list[dict[str, Any]]:
    """Record the events not seen before and update their dossiers; does not commit.

    Returns the touched dossiers as ``dossier_dict``s. The worker calls this
    with hundreds of events at a time, so rows are read and written in bulk.
    """
    if not events:
        return []
    session = uow.session
    ids = list({e.message_id for e in events})
    seen = set(session.scalars(select(DossierEvent.message_id).where(DossierEvent.message_id.in_(ids))))
    table = Dossier.__table__
    dossier_ids = list({e.dossier_id for e in events})
    dossiers = {
        row.dossier_id: _DossierState(**row._asdict())
        for row in session.execute(select(table).where(table.c.dossier_id.in_(dossier_ids)))
    }
    touched: dict[str, _DossierState] = {}
    fresh: list[_DossierState] = []
    pending: list[tuple[_DossierState, CounterEvent]] = []
    now = utcnow()
    for ev in events:
        if ev.message_id in seen:
            continue
        seen.add(ev.message_id)
        dossier = dossiers.get(ev.dossier_id)
        if dossier is None:
            dossier = _DossierState(
                id=None, dossier_id=ev.dossier_id, procedure_code=None, procedure_name=None,
                field=None, office=None, channel=None, status=ev.event, received_at=None,
                due_at=None, resolved_at=None, returned_at=None, last_event_at=ev.at,
                is_late=False, apology_due=False, updated_at=now)
            dossiers[ev.dossier_id] = dossier
            fresh.append(dossier)
        _apply(dossier, ev)
        dossier.updated_at = now
        pending.append((dossier, ev))
        touched[dossier.dossier_id] = dossier
    if not pending:
        return []
    if fresh:
        session.execute(table.insert(), [d.row() for d in fresh])
        new_ids = dict(session.execute(
            select(table.c.dossier_id, table.c.id)
            .where(table.c.dossier_id.in_([d.dossier_id for d in fresh]))).all())
        for d in fresh:
            d.id = new_ids[d.dossier_id]
    created = {d.dossier_id for d in fresh}
    old = [d for d in touched.values() if d.dossier_id not in created]
    if old:
        session.execute(
            update(table).where(table.c.id == bindparam("b_id"))
            .values({k: bindparam(f"b_{k}") for k in _COLUMNS}),
            [{"b_id": d.id, **{f"b_{k}": v for k, v in d.row().items()}} for d in old])
    session.execute(DossierEvent.__table__.insert(), [
        {"message_id": ev.message_id, "dossier_pk": d.id, "event": ev.event, "at": ev.at,
         "data": {"office": ev.office, "channel": ev.channel}, "created_at": now}
        for d, ev in pending])
    changed = [dossier_dict(d) for d in touched.values()]  # type: ignore[arg-type]
    for data in changed:
        uow.emit(Event("dossier.updated", data))
    return changed


def _apply(dossier: _DossierState, ev: CounterEvent) -> None:
    for attr in ("procedure_code", "procedure_name", "field", "office", "channel"):
        value = getattr(ev, attr)
        if value and not getattr(dossier, attr):
            setattr(dossier, attr, value)
    if ev.event == "received":
        dossier.received_at = ev.at
        dossier.due_at = ev.due_at or dossier.due_at
    elif ev.event == "resolved":
        dossier.resolved_at = ev.at
    elif ev.event == "returned":
        dossier.returned_at = ev.at
    if ev.at >= dossier.last_event_at:
        dossier.last_event_at = ev.at
        dossier.status = ev.event
    finished = dossier.resolved_at or dossier.returned_at
    dossier.is_late = bool(dossier.due_at and finished and finished > dossier.due_at)
    dossier.apology_due = dossier.is_late
