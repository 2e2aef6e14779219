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

from sqlalchemy import select

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


def apply_counter_events(uow: UnitOfWork, events: Sequence[CounterEvent]) -> list[Dossier]:
    """Record the events not seen before and update their dossiers; does not commit."""
    if not events:
        return []
    session = uow.session
    ids = list({e.message_id for e in events})
    seen = set(session.scalars(select(DossierEvent.message_id).where(DossierEvent.message_id.in_(ids))))
    dossier_ids = list({e.dossier_id for e in events})
    dossiers = {
        d.dossier_id: d
        for d in session.scalars(select(Dossier).where(Dossier.dossier_id.in_(dossier_ids)))
    }
    touched: dict[str, Dossier] = {}
    now = utcnow()
    for ev in events:
        if ev.message_id in seen:
            continue
        seen.add(ev.message_id)
        dossier = dossiers.get(ev.dossier_id)
        if dossier is None:
            dossier = Dossier(dossier_id=ev.dossier_id, status=ev.event, last_event_at=ev.at,
                              is_late=False, apology_due=False)
            session.add(dossier)
            dossiers[ev.dossier_id] = dossier
        _apply(dossier, ev)
        dossier.updated_at = now
        session.add(DossierEvent(message_id=ev.message_id, dossier=dossier, event=ev.event,
                                 at=ev.at, data={"office": ev.office, "channel": ev.channel}))
        touched[dossier.dossier_id] = dossier
    session.flush()
    for dossier in touched.values():
        uow.emit(Event("dossier.updated", dossier_dict(dossier)))
    return list(touched.values())


def _apply(dossier: Dossier, ev: CounterEvent) -> None:
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
